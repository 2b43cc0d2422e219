"""Build a chat completion for a validated request body, deterministically and instantly.

The text depends on the request's content (model, messages, seed, sampling settings, tools,
response format) and the choice index, never on the clock, so the same request gives the same
text. Limits (``max_completion_tokens``/``max_tokens``, ``stop``) cut that text afterwards,
so a cut answer is a prefix of the uncut one. A ``structured_next`` fault (``_broken``)
breaks a JSON answer before those limits apply.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from pulumi_chatcomp.server import _broken
from pulumi_chatcomp.server._schema_values import value_for_schema
from pulumi_chatcomp.server._text import (
    VOCABULARY,
    count_tokens,
    seed_for,
    sentences,
    short_phrase,
    tokenize,
    topic_words,
)

SYSTEM_FINGERPRINT = "fp_chatcomp0"
_SEED_FIELDS = (
    "model",
    "messages",
    "seed",
    "temperature",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "tools",
    "tool_choice",
    "functions",
    "function_call",
    "response_format",
)


@dataclass
class Generated:
    """One choice before it is shaped as a message or as stream chunks."""

    index: int
    content: str | None
    finish_reason: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    function_call: dict[str, str] | None = None
    logprobs: dict[str, Any] | None = None
    refusal: str | None = None


def generate_choices(body: dict[str, Any], structured_fault: str | None = None) -> list[Generated]:
    """The choices for a request body; ``structured_fault`` (a ``structured_next`` mode)
    breaks each JSON answer that way."""
    base = seed_for(*(body.get(name) for name in _SEED_FIELDS))
    prompt = _prompt_text(body.get("messages", []))
    topic = topic_words(_last_user_text(body.get("messages", [])) or prompt)
    n = body.get("n") or 1
    return [
        _choice(body, index, random.Random(seed_for(base, index)), topic, structured_fault)
        for index in range(n)
    ]


def build_completion(
    body: dict[str, Any], completion_id: str, created: int, choices: list[Generated]
) -> dict[str, Any]:
    """The ``chat.completion`` object for a create response."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": body["model"],
        "choices": [_choice_object(choice) for choice in choices],
        "usage": usage(body, choices),
        "service_tier": served_tier(body.get("service_tier")),
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }


def served_tier(requested: str | None) -> str:
    if requested in (None, "auto"):
        return "default"
    return "priority" if requested == "fast" else requested


def usage(body: dict[str, Any], choices: list[Generated]) -> dict[str, Any]:
    prompt_tokens = 3 + sum(4 + count_tokens(_content_text(m)) for m in body.get("messages", []))
    if body.get("tools"):
        prompt_tokens += count_tokens(json.dumps(body["tools"]))
    completion_tokens = sum(_completion_tokens(choice) for choice in choices)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _completion_tokens(choice: Generated) -> int:
    total = count_tokens(choice.content or "") + count_tokens(choice.refusal or "")
    for call in choice.tool_calls:
        payload = call.get("function") or call.get("custom") or {}
        total += 3 + sum(count_tokens(str(v)) for v in payload.values())
    if choice.function_call:
        total += 3 + sum(count_tokens(v) for v in choice.function_call.values())
    return total


def _choice_object(choice: Generated) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": choice.content,
        "refusal": choice.refusal,
        "annotations": [],
    }
    if choice.tool_calls:
        message["tool_calls"] = choice.tool_calls
    if choice.function_call:
        message["function_call"] = choice.function_call
    return {
        "index": choice.index,
        "message": message,
        "finish_reason": choice.finish_reason,
        "logprobs": choice.logprobs,
    }


def _choice(
    body: dict[str, Any],
    index: int,
    rng: random.Random,
    topic: list[str],
    structured_fault: str | None = None,
) -> Generated:
    messages = body.get("messages", [])
    last_role = messages[-1].get("role") if messages else None
    tool = _pick_tool(body, rng, answered=last_role == "tool")
    if tool is not None:
        return Generated(index, None, "tool_calls", tool_calls=[_tool_call(tool, rng, topic)])
    function = _pick_function(body, rng, answered=last_role in ("function", "tool"))
    if function is not None:
        arguments = value_for_schema(function.get("parameters") or {"type": "object"}, rng)
        call = {"name": function["name"], "arguments": json.dumps(arguments)}
        return Generated(index, None, "function_call", function_call=call)
    if structured_fault == "refusal":
        return Generated(index, None, "stop", refusal=_broken.REFUSAL)
    text = _text(body, rng, topic)
    if structured_fault == "not_json":
        text = _broken.not_json(text)
    elif structured_fault == "schema_mismatch":
        text = _broken.mismatched(text, (body.get("response_format") or {}).get("type", ""))
    text, finish_reason = _limit(body, text)
    if structured_fault == "cut_off":
        text, finish_reason = _broken.cut_off(text), "length"
    logprobs = _logprobs(text, body.get("top_logprobs") or 0, rng) if body.get("logprobs") else None
    return Generated(index, text, finish_reason, logprobs=logprobs)


def _text(body: dict[str, Any], rng: random.Random, topic: list[str]) -> str:
    response_format = body.get("response_format") or {}
    kind = response_format.get("type")
    if kind == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        if schema is None:
            schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
        return json.dumps(value_for_schema(schema, rng))
    if kind == "json_object":
        return json.dumps({"topic": short_phrase(rng, topic), "answer": sentences(rng, topic, 1)})
    return sentences(rng, topic)


def _limit(body: dict[str, Any], text: str) -> tuple[str, str]:
    maximum = body.get("max_completion_tokens")
    if maximum is None:
        maximum = body.get("max_tokens")
    stops = body.get("stop")
    stops = [stops] if isinstance(stops, str) else list(stops or [])
    found = [i for i in (text.find(s) for s in stops if s) if i >= 0]
    stop_at = min(found) if found else None
    tokens = tokenize(text)
    if maximum is not None and len(tokens) > maximum:
        cut = "".join(tokens[:maximum])
        if stop_at is None or stop_at > len(cut):
            return cut, "length"
    if stop_at is not None:
        return text[:stop_at], "stop"
    return text, "stop"


def _pick_tool(
    body: dict[str, Any], rng: random.Random, *, answered: bool
) -> dict[str, Any] | None:
    tools: list[dict[str, Any]] = body.get("tools") or []
    choice = body.get("tool_choice")
    if not tools or choice == "none":
        return None
    mode = "auto"
    if isinstance(choice, str):
        mode = choice
    elif isinstance(choice, dict):
        kind = choice.get("type")
        if kind in ("function", "custom"):
            name = (choice.get(kind) or {}).get("name")
            return next((t for t in tools if _tool_name(t) == name), None)
        if kind == "allowed_tools":
            allowed = choice.get("allowed_tools") or {}
            mode = allowed.get("mode", "auto")
            names = {_tool_name(t) for t in allowed.get("tools") or []}
            tools = [t for t in tools if _tool_name(t) in names] or tools
    if mode == "auto" and answered:
        return None
    return rng.choice(tools)


def _pick_function(
    body: dict[str, Any], rng: random.Random, *, answered: bool
) -> dict[str, Any] | None:
    functions: list[dict[str, Any]] = body.get("functions") or []
    choice = body.get("function_call")
    if not functions or choice == "none":
        return None
    if isinstance(choice, dict):
        return next((f for f in functions if f.get("name") == choice.get("name")), None)
    return None if answered else rng.choice(functions)


def _tool_name(tool: dict[str, Any]) -> str | None:
    kind = tool.get("type", "function")
    name = (tool.get(kind) or {}).get("name")
    return name if isinstance(name, str) else None


def _tool_call(tool: dict[str, Any], rng: random.Random, topic: list[str]) -> dict[str, Any]:
    call_id = "call_" + "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(24)
    )
    if tool.get("type") == "custom":
        return {
            "id": call_id,
            "type": "custom",
            "custom": {"name": tool["custom"]["name"], "input": short_phrase(rng, topic, 4)},
        }
    function = tool["function"]
    arguments = value_for_schema(function.get("parameters") or {"type": "object"}, rng)
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": function["name"], "arguments": json.dumps(arguments)},
    }


def _logprobs(text: str, top: int, rng: random.Random) -> dict[str, Any]:
    content = []
    for token in tokenize(text):
        logprob = -round(rng.random() * 1.5, 6)
        alternatives = [{"token": token, "logprob": logprob, "bytes": list(token.encode())}]
        for rank in range(1, top):
            other = " " + VOCABULARY[(rng.randrange(len(VOCABULARY)) + rank) % len(VOCABULARY)]
            value = round(logprob - rank - rng.random(), 6)
            alternatives.append({"token": other, "logprob": value, "bytes": list(other.encode())})
        content.append({**alternatives[0], "top_logprobs": alternatives[:top]})
    return {"content": content, "refusal": None}


def _content_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part.get("text") or part.get("refusal") or ""
            for part in content
            if isinstance(part, dict)
        )
    return ""


def _prompt_text(messages: list[dict[str, Any]]) -> str:
    return " ".join(_content_text(m) for m in messages)


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return _content_text(message)
    return ""
