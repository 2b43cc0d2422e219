"""Retries, error mapping, malformed responses and logging through the client."""

from __future__ import annotations

import email.utils
import logging
import time

import httpx
import pytest

from pulumi_chatcomp._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from tests.unit.client.helpers import (
    API_KEY,
    Harness,
    Script,
    completion_body,
    error,
    ok,
    page_body,
)


@pytest.mark.parametrize(
    ("headers", "expected_sleep"),
    [
        pytest.param({"retry-after-ms": "1234"}, 1.234, id="retry-after-ms"),
        pytest.param({"retry-after": "3"}, 3.0, id="retry-after-seconds"),
        pytest.param({"retry-after": "2.5"}, 2.5, id="retry-after-fraction"),
    ],
)
def test_server_asked_waits_are_honoured(
    harness: Harness, headers: dict[str, str], expected_sleep: float
) -> None:
    script = Script(error(503, **headers), ok(completion_body()))
    harness.client(script).retrieve("chatcmpl-1")
    assert len(script.requests) == 2
    assert harness.sleeps == [pytest.approx(expected_sleep)]


def test_retry_after_http_date_is_honoured(harness: Harness) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    script = Script(error(429, retry_after=when), ok(completion_body()))
    harness.client(script).retrieve("chatcmpl-1")
    # An HTTP date has whole seconds, so the wait is within a second of 30.
    assert 28.0 < harness.sleeps[0] <= 30.0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"retry-after": "whenever"}, id="junk"),
        pytest.param({"retry-after": "100000"}, id="huge"),
        pytest.param({}, id="absent"),
    ],
)
def test_unusable_retry_after_falls_back_to_backoff(
    harness: Harness, headers: dict[str, str]
) -> None:
    script = Script(error(500, **headers), error(500, **headers), ok(completion_body()))
    harness.client(script).retrieve("chatcmpl-1")
    first, second = harness.sleeps
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        pytest.param(408, APIStatusError, id="408"),
        pytest.param(409, ConflictError, id="409"),
        pytest.param(429, RateLimitError, id="429"),
        pytest.param(500, InternalServerError, id="500"),
        pytest.param(502, InternalServerError, id="502"),
    ],
)
@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_gives_up_after_max_retries(
    harness: Harness, status: int, cls: type[APIStatusError], max_retries: int
) -> None:
    script = Script(*(error(status) for _ in range(max_retries + 1)))
    with pytest.raises(cls) as caught:
        harness.client(script, max_retries=max_retries).retrieve("chatcmpl-1")
    assert len(script.requests) == max_retries + 1
    assert len(harness.sleeps) == max_retries
    assert caught.value.status_code == status


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        pytest.param(400, BadRequestError, id="400"),
        pytest.param(401, AuthenticationError, id="401"),
        pytest.param(403, PermissionDeniedError, id="403"),
        pytest.param(404, NotFoundError, id="404"),
        pytest.param(422, UnprocessableEntityError, id="422"),
    ],
)
def test_client_errors_are_not_retried_and_carry_details(
    harness: Harness, status: int, cls: type[APIStatusError]
) -> None:
    body = {
        "error": {
            "type": "invalid_request_error",
            "code": "c1",
            "param": "p1",
            "message": "Explained.",
        }
    }
    script = Script(httpx.Response(status, json=body, headers={"x-request-id": "req_e"}))
    with pytest.raises(cls) as caught:
        harness.client(script).retrieve("chatcmpl-1")
    assert len(script.requests) == 1 and harness.sleeps == []
    error_ = caught.value
    assert (
        error_.status_code,
        error_.type,
        error_.code,
        error_.param,
        error_.message,
        error_.request_id,
    ) == (
        status,
        "invalid_request_error",
        "c1",
        "p1",
        "Explained.",
        "req_e",
    )
    assert "GET /chat/completions/chatcmpl-1" in str(error_)
    assert error_.response.status_code == status and error_.request is not None


@pytest.mark.parametrize(
    ("header", "status", "expected_requests"),
    [
        pytest.param("true", 400, 2, id="400-retried-when-told"),
        pytest.param("false", 500, 1, id="500-not-retried-when-told"),
        pytest.param("false", 429, 1, id="429-not-retried-when-told"),
    ],
)
def test_x_should_retry_overrides(
    harness: Harness, header: str, status: int, expected_requests: int
) -> None:
    steps = [error(status, x_should_retry=header), ok(completion_body())]
    script = Script(*steps)
    client = harness.client(script)
    if expected_requests == 2:
        client.retrieve("chatcmpl-1")
    else:
        with pytest.raises(APIStatusError):
            client.retrieve("chatcmpl-1")
    assert len(script.requests) == expected_requests


def test_connection_errors_are_retried_then_raised(harness: Harness) -> None:
    script = Script(*(httpx.ConnectError("Connection refused") for _ in range(3)))
    with pytest.raises(APIConnectionError) as caught:
        harness.client(script).retrieve("chatcmpl-1")
    assert len(script.requests) == 3
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "Could not connect to https://api.test/v1" in str(caught.value)
    assert "chatcomp:baseUrl" in str(caught.value)


def test_timeouts_become_api_timeout_errors(harness: Harness) -> None:
    script = Script(*(httpx.ReadTimeout("timed out") for _ in range(2)), ok(completion_body()))
    client = harness.client(script, max_retries=1, timeout=7)
    with pytest.raises(APITimeoutError) as caught:
        client.retrieve("chatcmpl-1")
    assert "within 7.0s" in str(caught.value) and "chatcomp:timeout" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_recovers_after_a_transient_error(harness: Harness) -> None:
    script = Script(httpx.RemoteProtocolError("Server disconnected"), ok(completion_body()))
    assert harness.client(script).retrieve("chatcmpl-1").id == "chatcmpl-1"
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        pytest.param(
            httpx.Response(
                200, text="<html><body>Login</body></html>", headers={"content-type": "text/html"}
            ),
            "not valid JSON (text/html",
            id="html",
        ),
        pytest.param(
            httpx.Response(200, text='{"id": "chatcmpl-1", "choi'), "not valid JSON", id="truncated"
        ),
        pytest.param(httpx.Response(200, text=""), "the body is empty", id="empty"),
        pytest.param(
            httpx.Response(200, json={**completion_body(), "choices": "many"}),
            "choices",
            id="wrong-type",
        ),
        pytest.param(
            httpx.Response(200, json={"object": "chat.completion"}), "id", id="missing-fields"
        ),
        pytest.param(httpx.Response(200, json=[1, 2]), "ChatCompletion", id="not-an-object"),
    ],
)
def test_malformed_bodies_name_endpoint_and_request_id(
    harness: Harness, response: httpx.Response, expected: str
) -> None:
    response.headers["x-request-id"] = "req_bad"
    script = Script(response)
    with pytest.raises(APIResponseValidationError) as caught:
        harness.client(script).retrieve("chatcmpl-1")
    text = str(caught.value)
    assert "GET /chat/completions/chatcmpl-1" in text
    assert "req_bad" in text
    assert expected in text
    assert len(script.requests) == 1  # a malformed answer is not retried


def test_malformed_page_names_the_list_endpoint(harness: Harness) -> None:
    script = Script(ok({**page_body([], False), "data": "oops"}))
    with pytest.raises(APIResponseValidationError, match=r"GET /chat/completions returned"):
        list(harness.client(script).list())


def test_missing_key_gets_advice_about_the_pairing_rule(harness: Harness) -> None:
    script = Script(error(401, "Missing bearer authentication"))
    with pytest.raises(AuthenticationError) as caught:
        harness.client(script, api_key=None).retrieve("chatcmpl-1")
    assert "No API key was sent" in str(caught.value)
    assert "chatcomp:useEnvApiKey" in str(caught.value)


def test_wrong_base_url_gets_advice(harness: Harness) -> None:
    script = Script(httpx.Response(404, text="Not Found"))
    with pytest.raises(NotFoundError, match="Check chatcomp:baseUrl"):
        list(harness.client(script).list())


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(API_KEY, id="openai-shaped-key"),
        pytest.param("opaque-gateway-secret-42", id="opaque-gateway-key"),
    ],
)
def test_the_key_never_appears_in_errors(harness: Harness, key: str) -> None:
    echo = f"Incorrect API key provided: {key}. Header was: {key}"
    script = Script(
        httpx.Response(401, json={"error": {"message": echo, "param": key}}),
        httpx.Response(200, text=f"<html>{key}</html>"),
        httpx.ConnectError(f"failed for https://proxy.test/v1?token={key}"),
        httpx.Response(503, text=f"upstream rejected {key}"),
    )
    client = harness.client(script, api_key=key, max_retries=0)
    raised = []
    for _ in range(4):
        with pytest.raises(Exception) as caught:
            client.retrieve("chatcmpl-1")
        raised.append(caught.value)
    for exc in raised:
        assert key not in str(exc)
        assert key not in repr(exc)
        assert key not in repr(vars(exc).get("body"))
        assert key not in str(vars(exc).get("message"))


def test_logs_show_calls_but_never_the_key_or_the_body(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    script = Script(error(503, retry_after="1"), ok(completion_body(), request_id="req_log"))
    client = harness.client(script)
    with caplog.at_level(logging.DEBUG, logger="pulumi_chatcomp"):
        client.update("chatcmpl-1", {"secret-prompt-marker": "x"})
    ours = [record for record in caplog.records if record.name == "pulumi_chatcomp"]
    text = "\n".join(record.getMessage() for record in ours)
    assert "POST /chat/completions/chatcmpl-1 -> 503" in text
    assert "req_log" in text
    assert "attempt 2/3" in text
    assert "waiting 1.00s" in text
    assert API_KEY not in text
    assert "secret-prompt-marker" not in text
    assert all(record.levelno == logging.DEBUG for record in ours)
