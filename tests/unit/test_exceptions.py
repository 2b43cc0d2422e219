"""The error tree and how error responses map onto it (pulumi_chatcomp._exceptions)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_chatcomp import _exceptions
from pulumi_chatcomp._exceptions import (
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
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    status_error_from_event,
    status_error_from_response,
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
