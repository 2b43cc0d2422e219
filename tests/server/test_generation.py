"""Generated answers: deterministic, cut by limits, shaped by tools and response formats."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import openai
import pytest

from tests.server.helpers import WEATHER_TOOL, user

SEARCH_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "search",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}},
            "required": ["query"],
        },
    },
}


def _create(http: httpx.Client, **body: Any) -> dict[str, Any]:
    response = http.post("/chat/completions", json={"model": "gpt-4o", **body})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _content(completion: dict[str, Any], index: int = 0) -> str:
    content: str = completion["choices"][index]["message"]["content"]
    return content


def test_same_request_gives_same_text(http: httpx.Client) -> None:
    body = {"messages": user("Describe the sea"), "seed": 42, "n": 2}
    first, second = _create(http, **body), _create(http, **body)
    assert first["id"] != second["id"]
    assert [_content(first, i) for i in (0, 1)] == [_content(second, i) for i in (0, 1)]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"seed": 43}, id="seed"),
        pytest.param({"messages": user("Describe the desert")}, id="prompt"),
        pytest.param({"model": "gpt-4o-mini"}, id="model"),
    ],
)
def test_a_different_request_gives_different_text(
    http: httpx.Client, change: dict[str, Any]
) -> None:
    body: dict[str, Any] = {"messages": user("Describe the sea"), "seed": 42}
    assert _content(_create(http, **body)) != _content(_create(http, **{**body, **change}))


def test_answer_echoes_the_prompt_topic(http: httpx.Client) -> None:
    content = _content(_create(http, messages=user("Tell me about glaciers")))
    assert "glaciers" in content.lower()


@pytest.mark.parametrize("field", ["max_completion_tokens", "max_tokens"])
def test_token_limit_cuts_a_prefix_with_finish_length(http: httpx.Client, field: str) -> None:
    body = {"messages": user("Describe the sea"), "seed": 1}
    full = _create(http, **body)
    cut = _create(http, **body, **{field: 5})
    assert cut["choices"][0]["finish_reason"] == "length"
    assert cut["usage"]["completion_tokens"] == 5
    assert _content(full).startswith(_content(cut)) and _content(cut) != _content(full)


def test_stop_sequence_cuts_before_it(http: httpx.Client) -> None:
    body = {"messages": user("Describe the sea"), "seed": 1}
    full = _content(_create(http, **body))
    stop = full.split()[3]
    cut = _create(http, **body, stop=[stop, "zzz-never"])
    assert cut["choices"][0]["finish_reason"] == "stop"
    assert _content(cut) == full[: full.index(stop)]


def test_stream_and_plain_give_the_same_text(client: openai.OpenAI) -> None:
    kwargs: dict[str, Any] = {"model": "gpt-4o", "messages": user("Describe the sea"), "seed": 5}
    plain = client.chat.completions.create(**kwargs).choices[0].message.content
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in client.chat.completions.create(**kwargs, stream=True)
        if chunk.choices
    )
    assert streamed == plain


@pytest.mark.parametrize(
    ("tool_choice", "expected"),
    [
        pytest.param("auto", {"get_weather", "search"}, id="auto"),
        pytest.param("required", {"get_weather", "search"}, id="required"),
        pytest.param({"type": "function", "function": {"name": "search"}}, {"search"}, id="named"),
        pytest.param(
            {
                "type": "allowed_tools",
                "allowed_tools": {
                    "mode": "required",
                    "tools": [{"type": "function", "function": {"name": "get_weather"}}],
                },
            },
            {"get_weather"},
            id="allowed-tools",
        ),
    ],
)
def test_tool_calls_follow_tool_choice(
    http: httpx.Client, tool_choice: Any, expected: set[str]
) -> None:
    tools = [WEATHER_TOOL, SEARCH_TOOL]
    schemas = {t["function"]["name"]: t["function"]["parameters"] for t in tools}
    completion = _create(
        http, messages=user("Weather in Oslo?"), tools=tools, tool_choice=tool_choice, n=4
    )
    for choice in completion["choices"]:
        assert choice["finish_reason"] == "tool_calls"
        call = choice["message"]["tool_calls"][0]
        assert call["function"]["name"] in expected
        jsonschema.validate(
            json.loads(call["function"]["arguments"]), schemas[call["function"]["name"]]
        )


def test_auto_answers_in_text_after_a_tool_result(http: httpx.Client) -> None:
    messages = [
        *user("Weather in Oslo?"),
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "rainy, 7 degrees"},
    ]
    completion = _create(http, messages=messages, tools=[WEATHER_TOOL])
    choice = completion["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["content"]
    assert "tool_calls" not in choice["message"]


def test_tool_choice_none_answers_in_text(http: httpx.Client) -> None:
    completion = _create(http, messages=user("Weather?"), tools=[WEATHER_TOOL], tool_choice="none")
    assert completion["choices"][0]["finish_reason"] == "stop"


def test_json_object_is_a_json_object(http: httpx.Client) -> None:
    completion = _create(
        http, messages=user("Answer in JSON"), response_format={"type": "json_object"}
    )
    assert isinstance(json.loads(_content(completion)), dict)


SCHEMAS = [
    pytest.param(
        {
            "type": "object",
            "properties": {"kind": {"enum": ["a", "b"]}, "n": {"const": 3}},
            "required": ["kind", "n"],
        },
        id="enum-const",
    ),
    pytest.param(
        {
            "type": "object",
            "properties": {
                "person": {"$ref": "#/$defs/person"},
                "friends": {
                    "type": "array",
                    "items": {"$ref": "#/$defs/person"},
                    "minItems": 2,
                    "maxItems": 2,
                },
            },
            "required": ["person", "friends"],
            "additionalProperties": False,
            "$defs": {
                "person": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "minLength": 3, "maxLength": 8},
                        "age": {"type": "integer", "minimum": 18, "exclusiveMaximum": 30},
                        "email": {"type": "string", "format": "email"},
                    },
                    "required": ["name", "age"],
                    "additionalProperties": False,
                }
            },
        },
        id="nested-refs",
    ),
    pytest.param(
        {
            "type": "object",
            "properties": {
                "score": {"type": "number", "multipleOf": 0.5, "minimum": 1, "maximum": 3},
                "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "flags": {"type": "array", "items": {"type": "boolean"}},
                "code": {"type": "string", "pattern": "^[0-9]+$"},
            },
            "required": ["score", "maybe", "flags", "code"],
        },
        id="numbers-unions-patterns",
    ),
]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_json_schema_answers_validate(http: httpx.Client, schema: dict[str, Any]) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "out", "schema": schema, "strict": True}}
    completion = _create(http, messages=user("Fill it"), response_format=fmt, n=5)
    for index in range(5):
        jsonschema.validate(
            json.loads(_content(completion, index)),
            schema,
            format_checker=jsonschema.FormatChecker(),
        )
