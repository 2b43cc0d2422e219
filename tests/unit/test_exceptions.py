"""The error tree and how error responses map onto it (pulumi_chatcomp._exceptions)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_chatcomp import _exceptions
from pulumi_chatcomp._exceptions import (
    TERMS,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChatCompError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    Phrase,
    RateLimitError,
    Terms,
    UnprocessableEntityError,
    in_terms,
    status_error_from_event,
    status_error_from_response,
    without_entry_point,
)
from pulumi_chatcomp._redact import remember

KEY = "sk-proj-secretsecret0123456789"
ENDPOINT = "POST /chat/completions"
REQUEST = httpx.Request("POST", "https://api.example/v1/chat/completions")


def error_response(status: int, body: Any = None, text: str | None = None) -> httpx.Response:
    headers = {"x-request-id": "req_42"}
    if text is not None:
        return httpx.Response(status, text=text, headers=headers, request=REQUEST)
    return httpx.Response(status, json=body, headers=headers, request=REQUEST)


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        pytest.param(ConfigurationError, ChatCompError, id="configuration"),
        pytest.param(APIError, ChatCompError, id="api"),
        pytest.param(APIStatusError, APIError, id="status"),
        pytest.param(APIConnectionError, APIError, id="connection"),
        pytest.param(APITimeoutError, APIConnectionError, id="timeout"),
        pytest.param(APIResponseValidationError, APIError, id="validation"),
        *(
            pytest.param(cls, APIStatusError, id=cls.__name__)
            for cls in (
                BadRequestError,
                AuthenticationError,
                PermissionDeniedError,
                NotFoundError,
                ConflictError,
                UnprocessableEntityError,
                RateLimitError,
                InternalServerError,
            )
        ),
    ],
)
def test_tree(child: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(child, parent)


def test_every_public_class_has_a_docstring_and_is_drawn_in_the_tree() -> None:
    tree = _exceptions.__doc__ or ""
    for name in _exceptions.__all__:
        obj = getattr(_exceptions, name)
        assert obj.__doc__, name
        if isinstance(obj, type):
            assert name in tree, name


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        pytest.param(400, BadRequestError, id="400"),
        pytest.param(401, AuthenticationError, id="401"),
        pytest.param(403, PermissionDeniedError, id="403"),
        pytest.param(404, NotFoundError, id="404"),
        pytest.param(409, ConflictError, id="409"),
        pytest.param(422, UnprocessableEntityError, id="422"),
        pytest.param(429, RateLimitError, id="429"),
        pytest.param(500, InternalServerError, id="500"),
        pytest.param(503, InternalServerError, id="503"),
        pytest.param(418, APIStatusError, id="418-generic"),
    ],
)
def test_status_maps_to_class_with_all_fields(status: int, cls: type[APIStatusError]) -> None:
    body = {
        "error": {
            "type": "invalid_request_error",
            "code": "bad_value",
            "param": "temperature",
            "message": "Temperature is too hot.",
        }
    }
    error = status_error_from_response(error_response(status, body), endpoint=ENDPOINT)
    assert type(error) is cls
    assert (error.status_code, error.request_id) == (status, "req_42")
    assert (error.type, error.code, error.param) == (
        "invalid_request_error",
        "bad_value",
        "temperature",
    )
    assert error.message == "Temperature is too hot."
    assert error.request is REQUEST and error.response.status_code == status
    text = str(error)
    for part in (ENDPOINT, str(status), "Temperature is too hot", "param temperature", "req_42"):
        assert part in text


@pytest.mark.parametrize(
    ("response", "expected_message"),
    [
        pytest.param(
            error_response(502, text="<html><body><h1>502 Bad Gateway</h1></body></html>"),
            "502 Bad Gateway",
            id="html",
        ),
        pytest.param(error_response(500, text=""), "the response has no body", id="empty"),
        pytest.param(
            error_response(400, {"error": "plain string"}), "plain string", id="string-error"
        ),
        pytest.param(
            error_response(404, {"detail": "Not Found"}),
            '{"detail":"Not Found"}',
            id="foreign-json",
        ),
        pytest.param(
            error_response(400, {"error": {"message": None}}),
            "the server gave no message",
            id="null-message",
        ),
        pytest.param(error_response(503, text="x" * 1000), "x" * 150, id="long-text-shortened"),
    ],
)
def test_odd_error_bodies_still_give_a_message(
    response: httpx.Response, expected_message: str
) -> None:
    error = status_error_from_response(response, endpoint=ENDPOINT)
    assert expected_message in error.message
    assert len(error.message) < 200


def test_hints_tell_the_user_what_to_do() -> None:
    unauthorized = status_error_from_response(
        error_response(401, {"error": {"message": "bad"}}), endpoint=ENDPOINT
    )
    assert "chatcomp:apiKey" in str(unauthorized)
    custom = status_error_from_response(
        error_response(401, {"error": {"message": "bad"}}), endpoint=ENDPOINT, hint="Do this"
    )
    assert str(custom).endswith(". Do this.")
    missing = status_error_from_response(
        error_response(404, {"error": {"message": "gone"}}), endpoint=ENDPOINT
    )
    assert "store=true" in str(missing)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {
                "error": {
                    "message": f"Incorrect API key provided: {KEY}.",
                    "type": "invalid_request_error",
                }
            },
            id="message",
        ),
        pytest.param({"error": {"message": "no", "param": KEY}}, id="param"),
        pytest.param({"error": {"message": "no", "code": f"Bearer {KEY}"}}, id="code"),
    ],
)
def test_status_errors_never_show_the_key(body: dict[str, Any]) -> None:
    remember(KEY)  # as Settings does with every key it is given
    error = status_error_from_response(error_response(401, body), endpoint=ENDPOINT)
    assert KEY not in str(error)
    assert KEY not in repr(error)
    assert KEY not in error.message
    assert KEY not in repr(error.body)


def test_html_page_echoing_the_key_is_redacted() -> None:
    page = f"<html>Authorization: Bearer {KEY} was rejected</html>"
    remember(KEY)
    error = status_error_from_response(error_response(403, text=page), endpoint=ENDPOINT)
    assert KEY not in str(error)
    assert "[REDACTED]" in str(error)


def test_unknown_key_shapes_are_redacted_too() -> None:
    error = status_error_from_response(
        error_response(
            401, {"error": {"message": "Incorrect API key provided: sk-abcdefghijklmnop"}}
        ),
        endpoint=ENDPOINT,
    )
    assert "sk-abcdefghijklmnop" not in str(error)


@pytest.mark.parametrize(
    ("event", "cls", "status"),
    [
        pytest.param(
            {"error": {"type": "server_error", "message": "boom"}},
            InternalServerError,
            500,
            id="server-error",
        ),
        pytest.param(
            {"error": {"type": "invalid_request_error", "message": "bad"}},
            BadRequestError,
            400,
            id="invalid",
        ),
        pytest.param(
            {"error": {"type": None, "code": "rate_limit_exceeded", "message": "slow"}},
            RateLimitError,
            429,
            id="by-code",
        ),
        pytest.param(
            {"error": {"message": "odd", "status": 404}}, NotFoundError, 404, id="explicit-status"
        ),
        pytest.param({"error": {"message": "???"}}, InternalServerError, 500, id="unknown"),
        pytest.param({"error": "just text"}, InternalServerError, 500, id="string"),
    ],
)
def test_stream_error_events(event: dict[str, Any], cls: type[APIStatusError], status: int) -> None:
    response = httpx.Response(200, headers={"x-request-id": "req_s"}, request=REQUEST)
    error = status_error_from_event(event, endpoint=ENDPOINT, response=response)
    assert type(error) is cls
    assert error.status_code == status
    assert error.request_id == "req_s"


def test_validation_error_names_endpoint_and_request_id() -> None:
    response = httpx.Response(
        200, text="<html>", headers={"x-request-id": "req_v"}, request=REQUEST
    )
    error = APIResponseValidationError("the body is not JSON", endpoint=ENDPOINT, response=response)
    assert ENDPOINT in str(error) and "req_v" in str(error)
    assert (error.status_code, error.request_id) == (200, "req_v")


def test_add_sentence_extends_the_message() -> None:
    error = APIConnectionError("It broke.", endpoint=ENDPOINT)
    error.add_sentence("It was not retried")
    assert str(error) == "It broke. It was not retried."


class Shouting(Terms):
    # Another edge's words: enough to tell them from TERMS'.
    def setting(self, name: str) -> str:
        return name.upper()

    def set_key(self) -> str | None:
        return None

    def given_as(self, argument: str) -> str:
        return f"via {argument.upper()}"


def test_the_settings_advice_names_are_fields_worded_by_the_edge() -> None:
    error = AuthenticationError(endpoint=ENDPOINT, response=error_response(401), message="no")
    assert error.settings == ("apiKey",)
    assert str(error).endswith(
        "Check chatcomp:apiKey (pulumi config set --secret chatcomp:apiKey ...) or OPENAI_API_KEY."
    )
    assert error.render(Shouting()).endswith("Check OPENAI_API_KEY.")
    denied = PermissionDeniedError(endpoint=ENDPOINT, response=error_response(403), message="no")
    assert denied.settings == ("organization", "project")
    assert denied.render(Shouting()).endswith("may use this model, ORGANIZATION and PROJECT.")


def test_a_phrase_is_worded_when_shown_and_never_shows_the_key() -> None:
    remember(KEY)
    error = APIConnectionError("It broke", endpoint=ENDPOINT)
    error.add_sentence(Phrase(lambda terms: f"Check {terms.setting('baseUrl')} ({KEY})", "baseUrl"))
    assert str(error) == "It broke. Check chatcomp:baseUrl ([REDACTED])."
    assert error.render(Shouting()) == "It broke. Check BASEURL ([REDACTED])."
    assert KEY not in repr(error.advice)


def test_an_invalid_argument_keeps_its_argument_and_problem() -> None:
    problem = Phrase(lambda terms: f"is reserved; give a set's tag {terms.given_as('set_tag')}")
    error = InvalidArgumentError("metadata['k']", problem, function="get_chat_completions")
    assert (error.argument, error.problem) == ("metadata['k']", problem)
    assert (
        str(error) == "get_chat_completions: metadata['k'] is reserved; give a set's tag as set_tag"
    )
    assert error.describe(Shouting()) == "metadata['k'] is reserved; give a set's tag via SET_TAG"
    assert in_terms(error.problem, TERMS) == "is reserved; give a set's tag as set_tag"


def test_a_configuration_error_keeps_its_setting_and_problem() -> None:
    error = ConfigurationError(key="CHATCOMP_TIMEOUT", problem="must be positive, got '0'")
    assert (error.key, error.problem) == ("CHATCOMP_TIMEOUT", "must be positive, got '0'")
    assert str(error) == "CHATCOMP_TIMEOUT must be positive, got '0'"
    assert ConfigurationError("the whole message").problem is None


@pytest.mark.parametrize(
    "carried",
    [
        pytest.param(
            "invoke of {token} failed: invocation of {token} returned an error: {error}",
            id="an-error-of-the-plugin",
        ),
        pytest.param("{error}", id="as-sent"),
    ],
)
def test_the_entry_point_a_message_crossed_a_boundary_with_comes_off(carried: str) -> None:
    # Both ends of the text a plugin sends and a program's face reads: str(error) made, and
    # the entry point taken off again, within whatever sentence carried it.
    token = "chatcomp:index:getChatCompletion"
    error = NotFoundError(endpoint=ENDPOINT, response=error_response(404), message="gone")
    error.function = "get_chat_completion"
    text = carried.format(token=token, error=error)
    assert str(error).startswith("get_chat_completion: ")
    assert without_entry_point(text, "get_chat_completion") == error.describe()
    assert without_entry_point(error.describe(), "get_chat_completion") == error.describe()
