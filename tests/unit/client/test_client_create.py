"""Creating completions: params, streaming, and the retry rule that avoids duplicates."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic
import pytest

from pulumi_chatcomp._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    RateLimitError,
)
from pulumi_chatcomp.client._client import IDEMPOTENCY_METADATA_KEY
from pulumi_chatcomp.models import ChatCompletionCreateParams
from tests.unit.client.helpers import (
    Harness,
    Script,
    completion_body,
    error,
    ok,
    page_body,
    sse,
)

PARAMS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "store": True,
    "metadata": {"dataset": "faq"},
    "messages": [{"role": "user", "content": "Hi"}],
}
TOKEN = "tok-7f3a"


class FakeAPI:
    """A stored-completions API whose create can fail in scripted ways.

    `create_outcomes` is played in order, one per create POST: "ok" stores and answers,
    "commit-then-drop" stores and then loses the connection, anything else is returned or
    raised without storing.
    """

    def __init__(self, *create_outcomes: Any) -> None:
        self.create_outcomes = list(create_outcomes)
        self.stored: list[dict[str, Any]] = []
        self.creates = 0
        self.lookups: list[httpx.Request] = []
        self.log: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            self.lookups.append(request)
            self.log.append("lookup")
            wanted = {
                key[len("metadata[") : -1]: value
                for key, value in request.url.params.items()
                if key.startswith("metadata[")
            }
            found = [item for item in self.stored if wanted.items() <= item["metadata"].items()]
            return ok(page_body(found[: int(request.url.params["limit"])], False))
        self.creates += 1
        self.log.append("create")
        outcome = self.create_outcomes.pop(0)
        if outcome in ("ok", "commit-then-drop"):
            body = json.loads(request.content)
            stored = completion_body(
                f"chatcmpl-{self.creates}", metadata=body.get("metadata") or {}
            )
            self.stored.append(stored)
            if outcome == "commit-then-drop":
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            return ok(stored)
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, httpx.Response)
        return outcome


def test_create_sends_the_params_and_parses_the_answer(harness: Harness) -> None:
    script = Script(ok(completion_body("chatcmpl-new"), request_id="req_create"))
    client = harness.client(script)
    completion = client.create(PARAMS)
    assert completion.id == "chatcmpl-new"
    assert client.last_request_id == "req_create"
    request = script.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/chat/completions")
    assert request.headers["content-type"] == "application/json"
    assert (
        json.loads(request.content) == ChatCompletionCreateParams.model_validate(PARAMS).to_body()
    )


def test_create_accepts_a_params_model(harness: Harness) -> None:
    script = Script(ok(completion_body()))
    harness.client(script).create(ChatCompletionCreateParams.model_validate(PARAMS))
    assert json.loads(script.requests[0].content)["model"] == "gpt-4o-mini"


def test_invalid_params_fail_before_sending(harness: Harness) -> None:
    script = Script()
    with pytest.raises(pydantic.ValidationError):
        harness.client(script).create({**PARAMS, "temperature": 9})
    assert script.requests == []


def test_streamed_create_is_assembled(harness: Harness) -> None:
    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {
            "id": "chatcmpl-st",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": choices,
            **extra,
        }

    script = Script(
        sse(
            chunk(
                [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": "Hi "},
                        "finish_reason": None,
                    }
                ]
            ),
            chunk([{"index": 0, "delta": {"content": "there"}, "finish_reason": "stop"}]),
            chunk([], usage={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}),
        )
    )
    params = {**PARAMS, "stream": True, "stream_options": {"include_usage": True}}
    completion = harness.client(script).create(params)
    assert completion.id == "chatcmpl-st"
    assert completion.choices[0].message.content == "Hi there"
    assert completion.usage is not None and completion.usage.completion_tokens == 2
    assert script.requests[0].headers["accept"] == "text/event-stream"


def test_streamed_create_answered_with_json_still_works(harness: Harness) -> None:
    script = Script(ok(completion_body("chatcmpl-json")))
    assert harness.client(script).create({**PARAMS, "stream": True}).id == "chatcmpl-json"


@pytest.mark.parametrize(
    ("failure", "retried"),
    [
        pytest.param(httpx.ConnectError("Connection refused"), True, id="connect-error"),
        pytest.param(httpx.ConnectTimeout("no route"), True, id="connect-timeout"),
        pytest.param(error(429), True, id="429"),
        pytest.param(error(503, retry_after="2"), True, id="503-with-retry-after"),
        pytest.param(error(500, x_should_retry="true"), True, id="told-to-retry"),
        pytest.param(error(503), False, id="503-bare"),
        pytest.param(error(500), False, id="500"),
        pytest.param(error(502), False, id="502"),
        pytest.param(error(408), False, id="408"),
        pytest.param(error(409), False, id="409"),
        pytest.param(error(429, x_should_retry="false"), False, id="429-told-not-to"),
        pytest.param(httpx.ReadTimeout("read timed out"), False, id="read-timeout"),
        pytest.param(httpx.RemoteProtocolError("disconnected"), False, id="dropped"),
        pytest.param(error(400), False, id="400"),
    ],
)
def test_without_a_token_only_unprocessed_creates_are_retried(
    harness: Harness, failure: Any, retried: bool
) -> None:
    api = FakeAPI(failure, "ok")
    client = harness.client(api)
    if retried:
        assert client.create(PARAMS).id == "chatcmpl-2"
        assert api.creates == 2
    else:
        with pytest.raises((APIStatusError, APIConnectionError)):
            client.create(PARAMS)
        assert api.creates == 1
    assert api.lookups == []


def test_ambiguous_failure_without_token_explains_why_no_retry(harness: Harness) -> None:
    api = FakeAPI("commit-then-drop")
    with pytest.raises(APIConnectionError) as caught:
        harness.client(api).create(PARAMS)
    assert "may have been created" in str(caught.value)
    assert len(api.stored) == 1


def test_unprocessed_create_gives_up_after_max_retries(harness: Harness) -> None:
    api = FakeAPI(*(error(429) for _ in range(3)))
    with pytest.raises(RateLimitError):
        harness.client(api, max_retries=2).create(PARAMS)
    assert api.creates == 3
    assert len(harness.sleeps) == 2


def test_token_goes_into_metadata(harness: Harness) -> None:
    api = FakeAPI("ok")
    harness.client(api).create(PARAMS, idempotency_token=TOKEN)
    assert api.stored[0]["metadata"] == {"dataset": "faq", IDEMPOTENCY_METADATA_KEY: TOKEN}


def test_dropped_connection_after_commit_adopts_the_stored_completion(harness: Harness) -> None:
    api = FakeAPI("commit-then-drop")
    completion = harness.client(api).create(PARAMS, idempotency_token=TOKEN)
    assert completion.id == "chatcmpl-1"
    assert api.creates == 1  # exactly one create POST
    assert len(api.stored) == 1
    lookup = api.lookups[0].url.params
    assert lookup[f"metadata[{IDEMPOTENCY_METADATA_KEY}]"] == TOKEN
    assert lookup["order"] == "desc"  # the newest first


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ReadTimeout("read timed out"), id="read-timeout"),
        pytest.param(httpx.RemoteProtocolError("disconnected"), id="dropped"),
        pytest.param(error(500), id="500"),
        pytest.param(error(502), id="502"),
        pytest.param(error(408), id="408"),
        pytest.param(error(409), id="409"),
    ],
)
def test_ambiguous_failure_with_nothing_stored_looks_up_then_retries(
    harness: Harness, failure: Any
) -> None:
    api = FakeAPI(failure, "ok")
    completion = harness.client(api).create(PARAMS, idempotency_token=TOKEN)
    assert completion.id == "chatcmpl-2"
    assert api.log == ["create", "lookup", "create"]
    assert len(harness.sleeps) == 1  # one wait, before the look-up


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ConnectError("refused"), id="connect-error"),
        pytest.param(error(429), id="429"),
    ],
)
def test_unprocessed_failure_with_token_retries_without_lookup(
    harness: Harness, failure: Any
) -> None:
    api = FakeAPI(failure, "ok")
    harness.client(api).create(PARAMS, idempotency_token=TOKEN)
    assert api.log == ["create", "create"]


def test_last_attempt_is_looked_up_too(harness: Harness) -> None:
    api = FakeAPI(error(500), "commit-then-drop")
    completion = harness.client(api, max_retries=1).create(PARAMS, idempotency_token=TOKEN)
    assert completion.id == "chatcmpl-2"
    assert api.log == ["create", "lookup", "create", "lookup"]


def test_gives_up_when_nothing_is_found_after_the_last_attempt(harness: Harness) -> None:
    api = FakeAPI(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        harness.client(api, max_retries=1).create(PARAMS, idempotency_token=TOKEN)
    assert api.log == ["create", "lookup", "create", "lookup"]


def test_failed_lookup_never_resends_the_create(harness: Harness) -> None:
    api = FakeAPI(error(500, "first"))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return error(403, "no list permission")
        return api(request)

    with pytest.raises(InternalServerError) as caught:
        harness.client(handler).create(PARAMS, idempotency_token=TOKEN)
    assert api.creates == 1
    assert "Could not check whether the completion was created" in str(caught.value)


def test_streamed_create_dropped_mid_stream_is_adopted(harness: Harness) -> None:
    def chunks() -> Any:
        yield b'data: {"id": "chatcmpl-x", "object": "chat.completion.chunk", '
        yield b'"created": 1, "model": "m", '
        yield b'"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": null}]}\n\n'
        raise httpx.ReadError("connection reset")

    stored = completion_body("chatcmpl-x", metadata={IDEMPOTENCY_METADATA_KEY: TOKEN})
    script = Script(
        httpx.Response(200, content=chunks(), headers={"content-type": "text/event-stream"}),
        ok(page_body([stored], False)),
    )
    completion = harness.client(script).create({**PARAMS, "stream": True}, idempotency_token=TOKEN)
    assert completion.id == "chatcmpl-x"
    assert [request.method for request in script.requests] == ["POST", "GET"]


def test_error_event_in_a_stream_is_not_retried(harness: Harness) -> None:
    script = Script(
        sse('event: error\ndata: {"error": {"type": "server_error", "message": "oops"}}\n\n')
    )
    with pytest.raises(InternalServerError, match="oops"):
        harness.client(script).create({**PARAMS, "stream": True})
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("params", "token", "message"),
    [
        pytest.param(
            {**PARAMS, "store": False, "metadata": None}, TOKEN, "needs store=true", id="not-stored"
        ),
        pytest.param(
            {k: v for k, v in PARAMS.items() if k not in ("store", "metadata")},
            TOKEN,
            "needs store=true",
            id="store-unset",
        ),
        pytest.param(PARAMS, "", "idempotency_token must be", id="empty-token"),
        pytest.param(PARAMS, "x" * 513, "idempotency_token must be", id="long-token"),
        pytest.param(
            {**PARAMS, "metadata": {IDEMPOTENCY_METADATA_KEY: "someone-else"}},
            TOKEN,
            "reserved",
            id="reserved-key",
        ),
        pytest.param(
            {**PARAMS, "metadata": {f"k{n}": "v" for n in range(16)}},
            TOKEN,
            "at most 15",
            id="no-free-pair",
        ),
    ],
)
def test_token_preconditions(
    harness: Harness, params: dict[str, Any], token: str, message: str
) -> None:
    script = Script()
    with pytest.raises(ValueError, match=message):
        harness.client(script).create(params, idempotency_token=token)
    assert script.requests == []


def test_token_already_in_metadata_with_same_value_is_fine(harness: Harness) -> None:
    api = FakeAPI("ok")
    params = {**PARAMS, "metadata": {IDEMPOTENCY_METADATA_KEY: TOKEN}}
    harness.client(api).create(params, idempotency_token=TOKEN)
    assert api.stored[0]["metadata"] == {IDEMPOTENCY_METADATA_KEY: TOKEN}


def test_bad_request_on_create_is_raised_at_once(harness: Harness) -> None:
    api = FakeAPI(error(400, "Unsupported model"))
    with pytest.raises(BadRequestError, match="Unsupported model"):
        harness.client(api).create(PARAMS, idempotency_token=TOKEN)
    assert api.log == ["create"]
