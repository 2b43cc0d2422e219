"""A create whose answer cannot be parsed may still have been stored: find it by token."""

from __future__ import annotations

import json

import httpx
import pytest

from pulumi_chatcomp import APIResponseValidationError, ChatCompletionsClient, Settings

STORED = {
    "id": "chatcmpl-stored",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {"role": "assistant", "content": "hi", "refusal": None},
        }
    ],
    "metadata": {"pulumi_chatcomp_token": "tok-1"},
}
PARAMS = {"model": "gpt-4o-mini", "store": True, "messages": [{"role": "user", "content": "hi"}]}


def _client(found: list[dict[str, object]], calls: list[str]) -> ChatCompletionsClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(200, text="<html>502 Bad Gateway</html>")
        assert request.url.params["metadata[pulumi_chatcomp_token]"] == "tok-1"
        page = {"object": "list", "data": found, "has_more": False}
        return httpx.Response(200, content=json.dumps(page))

    settings = Settings.resolve({"baseUrl": "http://api.test/v1", "apiKey": "sk-x"}, env={})
    return ChatCompletionsClient(settings, transport=httpx.MockTransport(handler))


def test_an_unreadable_answer_to_a_stored_create_adopts_what_was_stored() -> None:
    calls: list[str] = []
    completion = _client([STORED], calls).create(PARAMS, idempotency_token="tok-1")
    assert completion.id == "chatcmpl-stored"
    assert calls == ["POST /v1/chat/completions", "GET /v1/chat/completions"]


def test_an_unreadable_answer_with_nothing_stored_is_reported_not_resent() -> None:
    calls: list[str] = []
    with pytest.raises(APIResponseValidationError, match="POST /chat/completions"):
        _client([], calls).create(PARAMS, idempotency_token="tok-1")
    assert calls.count("POST /v1/chat/completions") == 1
