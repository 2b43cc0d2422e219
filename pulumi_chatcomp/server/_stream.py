"""Server-sent events for ``stream: true``: ``data: {chunk}`` lines, then ``data: [DONE]``."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

from pulumi_chatcomp.server._generate import Generated
from pulumi_chatcomp.server._text import tokenize

_TOKENS_PER_CHUNK = 3


def sse_events(
    completion: dict[str, Any],
    choices: list[Generated],
    stream_options: dict[str, Any] | None,
) -> Iterator[str]:
    options = stream_options or {}
    include_usage = bool(options.get("include_usage"))
    obfuscate = options.get("include_obfuscation", True) is not False
    head = {
        "id": completion["id"],
        "object": "chat.completion.chunk",
        "created": completion["created"],
        "model": completion["model"],
        "service_tier": completion["service_tier"],
        "system_fingerprint": completion["system_fingerprint"],
    }

    def chunk(choices_part: list[dict[str, Any]], usage: Any = None) -> str:
        data: dict[str, Any] = {**head, "choices": choices_part}
        if include_usage:
            data["usage"] = usage
        if obfuscate:
            data["obfuscation"] = secrets.token_urlsafe(6)
        return f"data: {json.dumps(data, separators=(',', ':'))}\n\n"

    for choice in choices:
        for delta, finish_reason, logprobs in _deltas(choice):
            part: dict[str, Any] = {
                "index": choice.index,
                "delta": delta,
                "finish_reason": finish_reason,
                "logprobs": logprobs,
            }
            yield chunk([part])
    if include_usage:
        yield chunk([], completion["usage"])
    yield "data: [DONE]\n\n"


def _deltas(choice: Generated) -> Iterator[tuple[dict[str, Any], str | None, Any]]:
    yield {"role": "assistant", "content": "", "refusal": None}, None, _lp(choice, [])
    if choice.content:
        tokens = tokenize(choice.content)
        entries = (choice.logprobs or {}).get("content") or []
        for start in range(0, len(tokens), _TOKENS_PER_CHUNK):
            piece = "".join(tokens[start : start + _TOKENS_PER_CHUNK])
            yield {"content": piece}, None, _lp(choice, entries[start : start + _TOKENS_PER_CHUNK])
    if choice.refusal:
        yield {"refusal": choice.refusal}, None, None
    for position, call in enumerate(choice.tool_calls):
        if call["type"] != "function":
            yield {"tool_calls": [{"index": position, **call}]}, None, None
            continue
        function = call["function"]
        opening = {"name": function["name"], "arguments": ""}
        yield (
            {
                "tool_calls": [
                    {"index": position, "id": call["id"], "type": "function", "function": opening}
                ]
            },
            None,
            None,
        )
        for piece in _pieces(function["arguments"]):
            yield (
                {"tool_calls": [{"index": position, "function": {"arguments": piece}}]},
                None,
                None,
            )
    if choice.function_call:
        yield {"function_call": {"name": choice.function_call["name"], "arguments": ""}}, None, None
        for piece in _pieces(choice.function_call["arguments"]):
            yield {"function_call": {"arguments": piece}}, None, None
    yield {}, choice.finish_reason, None


def _pieces(text: str) -> Iterator[str]:
    tokens = tokenize(text)
    for start in range(0, len(tokens), _TOKENS_PER_CHUNK):
        yield "".join(tokens[start : start + _TOKENS_PER_CHUNK])


def _lp(choice: Generated, entries: list[Any]) -> dict[str, Any] | None:
    if choice.logprobs is None:
        return None
    return {"content": entries, "refusal": None}
