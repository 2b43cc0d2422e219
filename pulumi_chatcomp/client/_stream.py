"""Read a ``stream: true`` create as server-sent events and assemble one ``ChatCompletion``.

Each ``data:`` event is a chat completion chunk; the stream ends with ``data: [DONE]``. Content and
refusal text are concatenated per choice, tool-call deltas are merged by their ``index``,
logprobs are appended, and ``usage`` comes from the final usage chunk (sent when
``stream_options.include_usage`` is true).

>>> assembler = StreamAssembler()
>>> assembler.add({"id": "c1", "created": 1, "model": "m",
...                "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]})
>>> assembler.add({"id": "c1", "created": 1, "model": "m",
...                "choices": [{"index": 0, "delta": {"content": "!"}, "finish_reason": "stop"}]})
>>> assembler.result()["choices"][0]["message"]["content"]
'Hi!'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent, SSEError

from pulumi_chatcomp._exceptions import APIResponseValidationError, status_error_from_event
from pulumi_chatcomp.client._parse import validate
from pulumi_chatcomp.models import ChatCompletion, ChatCompletionChunk

__all__ = ["StreamAssembler", "read_stream"]

_DONE = "[DONE]"
# Top-level chunk fields copied to the completion; the last non-null value wins.
_CARRIED_FIELDS = ("service_tier", "system_fingerprint", "usage", "moderation")


class _Choice:
    def __init__(self, index: int) -> None:
        self.index = index
        self.role = "assistant"
        self.content: list[str] | None = None
        self.refusal: list[str] | None = None
        self.tool_calls: dict[int, dict[str, Any]] = {}
        self.function_call: dict[str, Any] | None = None
        self.audio: dict[str, Any] | None = None
        self.finish_reason: str | None = None
        self.logprobs: dict[str, list[Any] | None] | None = None

    def add(self, choice: Mapping[str, Any]) -> None:
        delta = choice.get("delta") or {}
        if delta.get("role"):
            self.role = delta["role"]
        if delta.get("content") is not None:
            self.content = [*(self.content or []), delta["content"]]
        if delta.get("refusal") is not None:
            self.refusal = [*(self.refusal or []), delta["refusal"]]
        for call in delta.get("tool_calls") or []:
            merged = self.tool_calls.setdefault(call.get("index", len(self.tool_calls)), {})
            _merge(merged, {key: value for key, value in call.items() if key != "index"})
        if delta.get("function_call"):
            self.function_call = _merge(self.function_call or {}, delta["function_call"])
        if delta.get("audio"):
            self.audio = _merge(self.audio or {}, delta["audio"])
        if choice.get("finish_reason") is not None:
            self.finish_reason = choice["finish_reason"]
        logprobs = choice.get("logprobs")
        if logprobs:
            self.logprobs = self.logprobs or {"content": None, "refusal": None}
            for key in ("content", "refusal"):
                if logprobs.get(key) is not None:
                    self.logprobs[key] = [*(self.logprobs[key] or []), *logprobs[key]]

    def result(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": self.role,
            "content": None if self.content is None else "".join(self.content),
            "refusal": None if self.refusal is None else "".join(self.refusal),
        }
        if self.tool_calls:
            message["tool_calls"] = [self.tool_calls[key] for key in sorted(self.tool_calls)]
        if self.function_call is not None:
            message["function_call"] = self.function_call
        if self.audio is not None:
            message["audio"] = self.audio
        return {
            "index": self.index,
            "message": message,
            "finish_reason": self.finish_reason,
            "logprobs": self.logprobs,
        }


class StreamAssembler:
    """Fold chat completion chunks (as JSON objects) into one chat completion object."""

    def __init__(self) -> None:
        self._head: dict[str, Any] = {}
        self._carried: dict[str, Any] = {}
        self._choices: dict[int, _Choice] = {}
        self.chunks = 0
        """How many chunks were added."""

    def add(self, chunk: Mapping[str, Any]) -> None:
        """Merge one chunk into the completion being built."""
        self.chunks += 1
        for key in ("id", "created", "model"):
            if key not in self._head and chunk.get(key) is not None:
                self._head[key] = chunk[key]
        for key in _CARRIED_FIELDS:
            if chunk.get(key) is not None:
                self._carried[key] = chunk[key]
        for choice in chunk.get("choices") or []:
            index = choice.get("index", 0)
            self._choices.setdefault(index, _Choice(index)).add(choice)

    def result(self) -> dict[str, Any]:
        """The assembled completion as a JSON object shaped like a non-streamed response."""
        return {
            **self._head,
            "object": "chat.completion",
            "choices": [self._choices[index].result() for index in sorted(self._choices)],
            **self._carried,
        }


def read_stream(response: httpx.Response, *, endpoint: str) -> ChatCompletion:
    """Consume an SSE response up to ``data: [DONE]`` and return the assembled completion.

    Raises the matching ``APIStatusError`` for an error event, ``APIResponseValidationError`` for
    a malformed or unfinished stream; transport errors (``httpx.TransportError``) pass through.
    """
    assembler = StreamAssembler()
    try:
        for payload in _payloads(EventSource(response).iter_sse(), response, endpoint):
            validate(ChatCompletionChunk, payload, endpoint=endpoint, response=response)
            assembler.add(payload)
    except SSEError as exc:
        raise APIResponseValidationError(
            f"asked for a stream but got {response.headers.get('content-type', 'no content type')}",
            endpoint=endpoint,
            response=response,
        ) from exc
    if assembler.chunks == 0:
        raise APIResponseValidationError(
            "the stream ended without any chunk", endpoint=endpoint, response=response
        )
    return validate(ChatCompletion, assembler.result(), endpoint=endpoint, response=response)


def _payloads(
    events: Iterator[ServerSentEvent],
    response: httpx.Response,
    endpoint: str,
) -> Iterator[dict[str, Any]]:
    for event in events:
        if event.data.startswith(_DONE):
            return
        if event.event not in ("message", "error") or not event.data.strip():
            continue  # comments, keep-alives and event kinds this API does not define
        try:
            payload = json.loads(event.data)
        except json.JSONDecodeError as exc:
            raise APIResponseValidationError(
                f"a stream event is not valid JSON (starts with {event.data[:80]!r})",
                endpoint=endpoint,
                response=response,
            ) from exc
        if event.event == "error" or (isinstance(payload, dict) and payload.get("error")):
            error = payload if isinstance(payload, dict) else {"error": str(payload)}
            raise status_error_from_event(error, endpoint=endpoint, response=response)
        yield payload
    raise APIResponseValidationError(
        "the stream ended before data: [DONE]", endpoint=endpoint, response=response
    )


def _merge(target: dict[str, Any], delta: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a delta into ``target``: text is appended, objects merged, other values replaced."""
    for key, value in delta.items():
        current = target.get(key)
        if value is None:
            target.setdefault(key, None)
        elif key in ("id", "type"):
            target[key] = value
        elif isinstance(value, str) and isinstance(current, str):
            target[key] = current + value
        elif isinstance(value, Mapping):
            target[key] = _merge(current if isinstance(current, dict) else {}, value)
        else:
            target[key] = value
    return target
