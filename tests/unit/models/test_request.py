"""ChatCompletionCreateParams: limits of every field, rules between fields, the JSON body."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chatcomp.models import (
    ChatCompletionCreateParams,
    FunctionToolParam,
    ImageContentPart,
    ResponseFormatJSONSchema,
    TextContentPart,
    UserMessageParam,
)
from tests.unit.models.helpers import USER, problems_of, request


def _valid(body: dict[str, Any]) -> ChatCompletionCreateParams:
    return ChatCompletionCreateParams.from_body(body, warn_deprecated=False)


EDGES_ACCEPTED = [
    pytest.param({"temperature": 0}, id="temperature-min"),
    pytest.param({"temperature": 2}, id="temperature-max"),
    pytest.param({"top_p": 0}, id="top_p-min"),
    pytest.param({"top_p": 1}, id="top_p-max"),
    pytest.param({"frequency_penalty": -2}, id="frequency_penalty-min"),
    pytest.param({"frequency_penalty": 2}, id="frequency_penalty-max"),
    pytest.param({"presence_penalty": -2}, id="presence_penalty-min"),
    pytest.param({"presence_penalty": 2}, id="presence_penalty-max"),
    pytest.param({"logprobs": True, "top_logprobs": 0}, id="top_logprobs-min"),
    pytest.param({"logprobs": True, "top_logprobs": 20}, id="top_logprobs-max"),
    pytest.param({"n": 1}, id="n-min"),
    pytest.param({"n": 128}, id="n-max"),
    pytest.param({"n": 2.0}, id="n-whole-float-from-pulumi"),
    pytest.param({"logit_bias": {"50256": -100, "42": 100}}, id="logit_bias-limits"),
    pytest.param({"stop": ["a", "b", "c", "d"]}, id="stop-4"),
    pytest.param({"stop": "END"}, id="stop-string"),
    pytest.param({"safety_identifier": "h" * 64}, id="safety_identifier-64"),
    pytest.param({"store": True, "metadata": {f"k{i}": "v" for i in range(16)}}, id="metadata-16"),
    pytest.param({"store": True, "metadata": {"k" * 64: "v" * 512}}, id="metadata-longest"),
    pytest.param({"store": True, "metadata": {}}, id="metadata-empty"),
    pytest.param({"seed": 2**63 - 1}, id="seed-int64-max"),
    pytest.param({"stream": True, "stream_options": {"include_usage": True}}, id="stream_options"),
    pytest.param({"modalities": ["text", "audio"], "audio": {"voice": "ash", "format": "wav"}}),
    pytest.param({"model": "my-fine-tune:ft-123"}, id="model-any-string"),
]


@pytest.mark.parametrize("fields", EDGES_ACCEPTED)
def test_values_at_the_edge_of_each_limit_are_accepted(fields: dict[str, Any]) -> None:
    body = _valid(request(**fields)).to_body()
    for name, value in fields.items():
        assert body[name] == value


JUST_OUTSIDE = [
    pytest.param({"temperature": -0.1}, "temperature must be between 0 and 2, got -0.1"),
    pytest.param({"temperature": 2.01}, "temperature must be between 0 and 2, got 2.01"),
    pytest.param({"top_p": -0.5}, "top_p must be between 0 and 1, got -0.5"),
    pytest.param({"top_p": 1.5}, "top_p must be between 0 and 1, got 1.5"),
    pytest.param(
        {"frequency_penalty": -2.5}, "frequency_penalty must be between -2 and 2, got -2.5"
    ),
    pytest.param({"frequency_penalty": 3}, "frequency_penalty must be between -2 and 2, got 3"),
    pytest.param({"presence_penalty": -3}, "presence_penalty must be between -2 and 2, got -3"),
    pytest.param({"presence_penalty": 2.5}, "presence_penalty must be between -2 and 2, got 2.5"),
    pytest.param(
        {"logprobs": True, "top_logprobs": -1}, "top_logprobs must be between 0 and 20, got -1"
    ),
    pytest.param(
        {"logprobs": True, "top_logprobs": 21}, "top_logprobs must be between 0 and 20, got 21"
    ),
    pytest.param({"n": 0}, "n must be between 1 and 128, got 0"),
    pytest.param({"n": 129}, "n must be between 1 and 128, got 129"),
    pytest.param({"n": 1.5}, "n must be a whole number, got 1.5"),
    pytest.param(
        {"logit_bias": {"50256": -101}},
        'logit_bias["50256"] must be between -100 and 100, got -101',
    ),
    pytest.param(
        {"logit_bias": {"50256": 101}}, 'logit_bias["50256"] must be between -100 and 100, got 101'
    ),
    pytest.param(
        {"logit_bias": {"hello": 5}},
        "logit_bias keys must be token IDs (whole numbers), got 'hello'",
    ),
    pytest.param({"stop": ["a", "b", "c", "d", "e"]}, "stop must have at most 4 items, got 5"),
    pytest.param({"stop": []}, "stop must have at least 1 item, got 0"),
    pytest.param(
        {"safety_identifier": "h" * 65}, "safety_identifier must have at most 64 characters, got 65"
    ),
    pytest.param(
        {"store": True, "metadata": {f"k{i}": "v" for i in range(17)}},
        "metadata has 17 pairs; at most 16 are allowed",
    ),
    pytest.param(
        {"store": True, "metadata": {"k" * 65: "v"}},
        'metadata key "kkkkkkkkkkkkkkkkkkkk"... has 65 characters; keys may have at most 64',
    ),
    pytest.param(
        {"store": True, "metadata": {"note": "v" * 513}},
        'metadata["note"] has 513 characters; values may have at most 512',
    ),
    pytest.param({"seed": 2**63}, f"seed must be between {-(2**63)} and {2**63 - 1}, got {2**63}"),
    pytest.param({"messages": []}, "messages must have at least 1 item, got 0"),
    pytest.param({"model": ""}, "model must not be empty"),
    pytest.param(
        {"reasoning_effort": "extreme"},
        "reasoning_effort must be 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' or 'max',"
        " got 'extreme'",
    ),
    pytest.param(
        {"service_tier": "gold"},
        "service_tier must be 'auto', 'default', 'flex', 'scale', 'priority' or 'fast', got 'gold'",
    ),
    pytest.param({"verbosity": "loud"}, "verbosity must be 'low', 'medium' or 'high', got 'loud'"),
    pytest.param({"modalities": ["video"]}, "modalities[0] must be 'text' or 'audio', got 'video'"),
    pytest.param(
        {"prompt_cache_retention": "1h"},
        "prompt_cache_retention must be 'in_memory' or '24h', got '1h'",
    ),
    pytest.param(
        {"audio": {"voice": "alloy", "format": "ogg"}},
        "audio.format must be 'wav', 'aac', 'mp3', 'flac', 'opus' or 'pcm16', got 'ogg'",
    ),
    pytest.param(
        {"functions": [{"name": "f"}] * 129}, "functions must have at most 128 items, got 129"
    ),
]


@pytest.mark.parametrize(("fields", "message"), JUST_OUTSIDE)
def test_values_just_outside_each_limit_are_refused_with_the_limit(
    fields: dict[str, Any], message: str
) -> None:
    assert [problem.message for problem in problems_of(request(**fields))] == [message]


RULES_BETWEEN_FIELDS = [
    pytest.param({"top_logprobs": 5}, "top_logprobs", "requires logprobs to be true"),
    pytest.param(
        {"top_logprobs": 5, "logprobs": False}, "top_logprobs", "requires logprobs to be true"
    ),
    pytest.param({"metadata": {"team": "ml"}}, "metadata", "is only allowed when store is true"),
    pytest.param(
        {"metadata": {"team": "ml"}, "store": False},
        "metadata",
        "is only allowed when store is true",
    ),
    pytest.param(
        {"stream_options": {"include_usage": True}},
        "stream_options",
        "is only allowed when stream is true",
    ),
    pytest.param(
        {"modalities": ["text", "audio"]}, "audio", "is required when modalities includes 'audio'"
    ),
]


@pytest.mark.parametrize(("fields", "path", "words"), RULES_BETWEEN_FIELDS)
def test_rules_between_fields_name_the_field_that_needs_changing(
    fields: dict[str, Any], path: str, words: str
) -> None:
    (problem,) = problems_of(request(**fields))
    assert problem.path == path
    assert problem.message.startswith(f"{path} {words}")


def test_unset_store_counts_as_false_for_metadata() -> None:
    (problem,) = problems_of(request(metadata={"team": "ml"}))
    assert "unset store means false" in problem.message
    assert _valid(request(metadata={"team": "ml"}, store=True)).metadata == {"team": "ml"}


def test_logit_bias_accepts_integer_token_ids_and_sends_strings() -> None:
    body = _valid(request(logit_bias={50256: -100})).to_body()
    assert body["logit_bias"] == {"50256": -100}


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        pytest.param("temprature", "temperature", id="top-level"),
        pytest.param("max_completion_token", "max_completion_tokens", id="plural"),
        pytest.param("respone_format", "response_format", id="missing-letter"),
    ],
)
def test_unknown_fields_are_refused_with_a_suggestion(typo: str, suggestion: str) -> None:
    (problem,) = problems_of(request(**{typo: 1}))
    assert problem.path == typo
    assert problem.message == f"{typo} is not a known field; did you mean {suggestion!r}?"


def test_unknown_field_without_a_close_match_asks_to_check_spelling() -> None:
    (problem,) = problems_of(request(colour="blue"))
    assert problem.message == "colour is not a known field; check the spelling"


def test_to_body_leaves_out_unset_and_null_fields_and_uses_api_names() -> None:
    params = _valid(
        request(
            temperature=None,
            response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
        )
    )
    assert params.to_body() == {
        "model": "gpt-4o",
        "messages": [USER],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
    }


def test_to_body_keeps_nulls_inside_user_json_schemas() -> None:
    schema = {"type": "object", "properties": {"a": {"default": None}}}
    tool = {"type": "function", "function": {"name": "f", "parameters": schema}}
    assert _valid(request(tools=[tool])).to_body()["tools"][0]["function"]["parameters"] == schema


def test_models_built_in_python_fill_in_type_and_role_tags() -> None:
    params = ChatCompletionCreateParams(
        model="gpt-4o",
        messages=[
            UserMessageParam(
                content=[
                    TextContentPart(text="What is this?"),
                    ImageContentPart(image_url={"url": "https://example.com/a.png"}),
                ]
            )
        ],
        tools=[FunctionToolParam(function={"name": "lookup"})],
        response_format=ResponseFormatJSONSchema(json_schema={"name": "answer"}),
    )
    body = params.to_body()
    assert body["messages"][0]["role"] == "user"
    assert [part["type"] for part in body["messages"][0]["content"]] == ["text", "image_url"]
    assert body["tools"] == [{"type": "function", "function": {"name": "lookup"}}]
    assert body["response_format"] == {"type": "json_schema", "json_schema": {"name": "answer"}}


def test_from_body_and_to_body_round_trip() -> None:
    body = request(temperature=0.5, n=3, stop=["END"], store=True, metadata={"a": "b"})
    assert _valid(body).to_body() == body


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        pytest.param("get_weather-v2", True, id="letters-digits-underscore-dash"),
        pytest.param("x" * 64, True, id="64-characters"),
        pytest.param("x" * 65, False, id="65-characters"),
        pytest.param("get weather", False, id="space"),
        pytest.param("", False, id="empty"),
    ],
)
def test_function_names_follow_the_api_pattern(name: str, accepted: bool) -> None:
    tool = {"type": "function", "function": {"name": name}}
    if accepted:
        assert _valid(request(tools=[tool])).tools is not None
    else:
        (problem,) = problems_of(request(tools=[tool]))
        assert problem.path == "tools[0].function.name"
        assert "letters, digits, underscores and dashes" in problem.message
