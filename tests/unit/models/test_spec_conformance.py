"""Our models against the OpenAI spec: requests we build validate against
``CreateChatCompletionRequest``, and every example response in the spec parses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionCreateParams,
    ChatCompletionDeleted,
    ChatCompletionList,
    ChatCompletionMessageList,
)
from tests.helpers import SPEC_ENV, find_spec, load_spec, schema, validate_against

USER = {"role": "user", "content": "Write a haiku about mountain rivers."}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        "strict": True,
    },
}

# Sets every request field at once (the spec's schema has no rules between fields).
EVERY_FIELD: dict[str, Any] = {
    "messages": [
        {"role": "developer", "content": "Answer briefly.", "name": "policy"},
        {"role": "system", "content": [{"type": "text", "text": "Be kind."}]},
        USER,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 21 C"},
    ],
    "model": "gpt-4o",
    "audio": {"voice": "alloy", "format": "mp3"},
    "frequency_penalty": -2,
    "function_call": {"name": "get_weather"},
    "functions": [{"name": "get_weather", "description": "d", "parameters": {"type": "object"}}],
    "logit_bias": {"50256": -100, "1234": 100},
    "logprobs": True,
    "max_completion_tokens": 256,
    "max_tokens": 256,
    "metadata": {"suite": "conformance", "owner": "ml-platform"},
    "modalities": ["text", "audio"],
    "moderation": {
        "model": "omni-moderation-latest",
        "policy": {"input": {"mode": "block"}, "output": {"mode": "score"}},
    },
    "n": 128,
    "parallel_tool_calls": False,
    "prediction": {"type": "content", "content": "A haiku"},
    "presence_penalty": 2,
    "prompt_cache_key": "haiku-v1",
    "prompt_cache_options": {"ttl": "30m", "mode": "explicit"},
    "prompt_cache_retention": "24h",
    "reasoning_effort": "xhigh",
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "haiku",
            "description": "A haiku",
            "schema": {"type": "object", "properties": {"lines": {"type": "array"}}},
            "strict": True,
        },
    },
    "safety_identifier": "a" * 64,
    "seed": -(2**63),
    "service_tier": "flex",
    "stop": ["\n\n", "END", "STOP", "###"],
    "store": True,
    "stream": True,
    "stream_options": {"include_usage": True, "include_obfuscation": False},
    "temperature": 2,
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "tools": [WEATHER, {"type": "custom", "custom": {"name": "shell"}}],
    "top_logprobs": 20,
    "top_p": 0,
    "user": "user-1234",
    "verbosity": "low",
    "web_search_options": {
        "user_location": {
            "type": "approximate",
            "approximate": {
                "country": "NO",
                "region": "Oslo",
                "city": "Oslo",
                "timezone": "Europe/Oslo",
            },
        },
        "search_context_size": "high",
    },
}


def _body(**fields: Any) -> dict[str, Any]:
    request = {"model": "gpt-4o", "messages": [USER], **fields}
    return ChatCompletionCreateParams.from_body(request, warn_deprecated=False).to_body()


def _spec_request_fields(name: str = "CreateChatCompletionRequest") -> set[str]:
    fields: set[str] = set()
    node = schema(name)
    for part in [node, *node.get("allOf", [])]:
        if "$ref" in part:
            fields |= _spec_request_fields(part["$ref"].rsplit("/", 1)[-1])
        fields |= set(part.get("properties", {}))
    return fields


def test_params_model_exactly_the_fields_of_the_spec_request() -> None:
    ours = {field.alias or name for name, field in ChatCompletionCreateParams.model_fields.items()}
    assert ours == _spec_request_fields()


def test_request_setting_every_field_matches_the_spec() -> None:
    body = ChatCompletionCreateParams.from_body(EVERY_FIELD, warn_deprecated=False).to_body()
    assert set(body) == _spec_request_fields()
    validate_against("CreateChatCompletionRequest", body)


_MESSAGES = [
    pytest.param({"role": "developer", "content": "Be brief."}, id="developer-text"),
    pytest.param(
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        id="developer-parts",
    ),
    pytest.param({"role": "system", "content": "Be brief.", "name": "ops"}, id="system-text"),
    pytest.param(
        {
            "role": "system",
            "content": [
                {"type": "text", "text": "Be brief.", "prompt_cache_breakpoint": {}},
            ],
        },
        id="system-parts-cache-breakpoint",
    ),
    pytest.param({"role": "user", "content": "Hi", "name": "ana"}, id="user-text"),
    pytest.param(
        {"role": "user", "content": [{"type": "text", "text": "Describe"}]}, id="user-text-part"
    ),
    pytest.param(
        {
            "role": "user",
            "content": [
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.com/a.png", "detail": "low"},
                }
            ],
        },
        id="user-image-part",
    ),
    pytest.param(
        {
            "role": "user",
            "content": [
                {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}
            ],
        },
        id="user-audio-part",
    ),
    pytest.param(
        {
            "role": "user",
            "content": [
                {"type": "file", "file": {"filename": "a.pdf", "file_data": "JVBERi0="}},
                {"type": "file", "file": {"file_id": "file-abc"}},
            ],
        },
        id="user-file-parts",
    ),
    pytest.param({"role": "assistant", "content": "Hello"}, id="assistant-text"),
    pytest.param(
        {
            "role": "assistant",
            "content": [{"type": "refusal", "refusal": "I can't help with that."}],
            "refusal": "I can't help with that.",
        },
        id="assistant-refusal-part",
    ),
    pytest.param(
        {"role": "assistant", "content": [{"type": "text", "text": "Hi"}], "audio": {"id": "a1"}},
        id="assistant-text-part-audio",
    ),
    pytest.param(
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "c1", "type": "custom", "custom": {"name": "shell", "input": "ls"}}
            ],
        },
        id="assistant-custom-tool-call",
    ),
    pytest.param(
        {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}},
        id="assistant-function-call",
    ),
    pytest.param({"role": "tool", "tool_call_id": "c1", "content": "42"}, id="tool-text"),
    pytest.param(
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "42"}]},
        id="tool-parts",
    ),
    pytest.param({"role": "function", "name": "f", "content": "42"}, id="function"),
    pytest.param({"role": "function", "name": "f", "content": None}, id="function-null-content"),
]


@pytest.mark.parametrize("message", _MESSAGES)
def test_each_message_kind_matches_the_spec(message: dict[str, Any]) -> None:
    validate_against("CreateChatCompletionRequest", _body(messages=[message]))


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"response_format": {"type": "text"}}, id="response-format-text"),
        pytest.param({"response_format": {"type": "json_object"}}, id="response-format-json"),
        pytest.param(
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}},
            id="response-format-json-schema-minimal",
        ),
        pytest.param({"tools": [WEATHER], "tool_choice": "required"}, id="tool-choice-mode"),
        pytest.param(
            {
                "tools": [WEATHER],
                "tool_choice": {
                    "type": "allowed_tools",
                    "allowed_tools": {
                        "mode": "auto",
                        "tools": [{"type": "function", "function": {"name": "get_weather"}}],
                    },
                },
            },
            id="tool-choice-allowed-tools",
        ),
        pytest.param(
            {
                "tools": [
                    {
                        "type": "custom",
                        "custom": {
                            "name": "sql",
                            "description": "Run a query",
                            "format": {
                                "type": "grammar",
                                "grammar": {"definition": "start: /.+/", "syntax": "lark"},
                            },
                        },
                    }
                ],
                "tool_choice": {"type": "custom", "custom": {"name": "sql"}},
            },
            id="custom-tool-grammar",
        ),
        pytest.param(
            {"tools": [{"type": "custom", "custom": {"name": "t", "format": {"type": "text"}}}]},
            id="custom-tool-text-format",
        ),
        pytest.param({"function_call": "none"}, id="function-call-mode"),
        pytest.param({"stop": "END"}, id="stop-string"),
        pytest.param(
            {"modalities": ["audio"], "audio": {"voice": {"id": "voice_1"}, "format": "pcm16"}},
            id="custom-voice",
        ),
        pytest.param(
            {"prediction": {"type": "content", "content": [{"type": "text", "text": "x"}]}},
            id="prediction-parts",
        ),
        pytest.param({"moderation": {"model": "omni-moderation-latest"}}, id="moderation-minimal"),
        pytest.param({"web_search_options": {}}, id="web-search-empty"),
    ],
)
def test_each_option_variant_matches_the_spec(fields: dict[str, Any]) -> None:
    validate_against("CreateChatCompletionRequest", _body(**fields))


def _examples() -> Iterator[Any]:
    spec = load_spec()
    for path in (
        "/chat/completions",
        "/chat/completions/{completion_id}",
        "/chat/completions/{completion_id}/messages",
    ):
        for method, operation in spec["paths"][path].items():
            examples = operation["x-oaiMeta"]["examples"]
            for example in examples if isinstance(examples, list) else [examples]:
                yield method, path, example.get("title", ""), example["response"]
    for name in ("CreateChatCompletionResponse", "CreateChatCompletionStreamResponse"):
        yield "schema", name, "", schema(name)["x-oaiMeta"]["example"]
    for name in ("ChatCompletionList", "ChatCompletionMessageList"):
        yield "schema", name, "", schema(name)["x-oaiMeta"]["example"]


_MODEL_FOR: dict[tuple[str, str], type[BaseModel]] = {
    ("get", "/chat/completions"): ChatCompletionList,
    ("post", "/chat/completions"): ChatCompletion,
    ("get", "/chat/completions/{completion_id}"): ChatCompletion,
    ("post", "/chat/completions/{completion_id}"): ChatCompletion,
    ("delete", "/chat/completions/{completion_id}"): ChatCompletionDeleted,
    ("get", "/chat/completions/{completion_id}/messages"): ChatCompletionMessageList,
    ("schema", "CreateChatCompletionResponse"): ChatCompletion,
    ("schema", "CreateChatCompletionStreamResponse"): ChatCompletionChunk,
    ("schema", "ChatCompletionList"): ChatCompletionList,
    ("schema", "ChatCompletionMessageList"): ChatCompletionMessageList,
}


def _documents(text: str) -> list[dict[str, Any]]:
    # Streaming examples are one JSON object per line, with "...." for elided chunks.
    text = text.strip()
    if text.startswith("{") and "\n\n{" in text and '"chat.completion.chunk"' in text:
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [json.loads(text)]


EXAMPLES = [
    pytest.param(method, where, text, id=f"{method}-{where}-{title}".rstrip("-"))
    for method, where, title, text in _examples()
]


def test_spec_has_the_examples_we_expect() -> None:
    # 5 create examples + list, retrieve, update, delete, messages + 4 schema examples
    assert len(EXAMPLES) == 14


@pytest.mark.parametrize(("method", "where", "text"), EXAMPLES)
def test_every_spec_example_response_parses_without_losing_fields(
    method: str, where: str, text: str
) -> None:
    documents = _documents(text)
    model: type[BaseModel] = _MODEL_FOR[(method, where)]
    if len(documents) > 1:
        model = ChatCompletionChunk
    for document in documents:
        parsed = model.model_validate(document)
        assert parsed.model_dump(mode="json", exclude_unset=True) == document


def test_our_completion_json_matches_the_response_schema() -> None:
    completion = ChatCompletion.model_validate(
        {
            "id": "chatcmpl-1",
            "created": 1741569952,
            "model": "gpt-4o-2024-08-06",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "content": None,
                        "tool_calls": [
                            {"id": "c1", "function": {"name": "f", "arguments": "{}"}},
                            {"id": "c2", "custom": {"name": "shell", "input": "ls"}},
                        ],
                        "annotations": [
                            {
                                "type": "url_citation",
                                "url_citation": {
                                    "start_index": 0,
                                    "end_index": 4,
                                    "url": "https://example.com",
                                    "title": "Example",
                                },
                            }
                        ],
                    },
                    "finish_reason": "tool_calls",
                }
            ],
            "usage": {
                "prompt_tokens": 5,
                "completion_tokens": 7,
                "total_tokens": 12,
                "prompt_tokens_details": {"cached_tokens": 0},
            },
            "service_tier": "default",
            "metadata": {"suite": "conformance"},
        }
    )
    # Defaults fill what the schema requires (object, role, refusal, logprobs, type).
    validate_against("CreateChatCompletionResponse", completion.to_dict())


def test_spec_location_from_the_environment_must_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEC_ENV, "/nonexistent/openapi.yaml")
    with pytest.raises(FileNotFoundError, match=SPEC_ENV):
        find_spec()


def test_spec_is_the_copy_the_repository_carries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_ENV, raising=False)
    assert find_spec().parts[-3:] == ("spec", "openai", "openapi.yaml")
