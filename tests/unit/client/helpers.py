"""Fakes for client tests: canned API bodies, a scripted mock transport, a client harness."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from pulumi_chatcomp._config import Settings
from pulumi_chatcomp.client._client import ChatCompletionsClient

API_KEY = "sk-test-client-0123456789abcdefXYZ"
BASE_URL = "https://api.test/v1"

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def completion_body(
    completion_id: str = "chatcmpl-1", content: str = "Hello", **extra: Any
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
        **extra,
    }


def page_body(items: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": has_more,
    }


def ok(body: Any, request_id: str = "req_ok", **headers: str) -> httpx.Response:
    return httpx.Response(200, json=body, headers={"x-request-id": request_id, **headers})


def error(
    status: int, message: str = "nope", request_id: str = "req_err", **headers: str
) -> httpx.Response:
    body = {
        "error": {"type": "invalid_request_error", "code": None, "param": None, "message": message}
    }
    headers = {key.replace("_", "-"): value for key, value in headers.items()}
    return httpx.Response(status, json=body, headers={"x-request-id": request_id, **headers})


def sse(*events: dict[str, Any] | str, done: bool = True) -> httpx.Response:
    lines = []
    for event in events:
        lines.append(event if isinstance(event, str) else f"data: {json.dumps(event)}\n\n")
    if done:
        lines.append("data: [DONE]\n\n")
    return httpx.Response(
        200,
        content="".join(lines).encode(),
        headers={"content-type": "text/event-stream", "x-request-id": "req_stream"},
    )


class Script:
    """A MockTransport handler that plays `steps` in order and records every request."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.steps:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step

    def bodies(self) -> list[Any]:
        return [
            json.loads(request.content) if request.content else None for request in self.requests
        ]


class Harness:
    """Builds clients on mock transports; records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.clients: list[ChatCompletionsClient] = []

    def client(
        self,
        handler: Callable[[httpx.Request], httpx.Response],
        settings: Settings | None = None,
        **settings_fields: Any,
    ) -> ChatCompletionsClient:
        if settings is None:
            settings = Settings(**{"api_key": API_KEY, "base_url": BASE_URL, **settings_fields})
        client = ChatCompletionsClient(
            settings, transport=httpx.MockTransport(handler), sleep=self.sleeps.append
        )
        self.clients.append(client)
        return client
