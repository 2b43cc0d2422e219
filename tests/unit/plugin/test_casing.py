"""The plugin's one mapping between the schema's camelCase names and the API's, read from the
schema: what it renames, and what it never touches."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN, TYPE_TOKEN
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.models import ChatCompletion, ChatCompletionCreateParams
from pulumi_chatcomp.plugin._casing import (
    SCHEMA_PATH,
    PackageNames,
    api_state,
    camel,
    in_state,
    package_names,
    snake,
)

NAMES = package_names()

# Keys a user chooses, in both styles: none of them may be renamed.
USER_KEYS = {"max_tokens": "a", "maxTokens": "b", "tool_call_id": "c", "finishReason": "d"}
JSON_SCHEMA = {
    "type": "object",
    "properties": {"max_tokens": {"type": "integer"}, "responseFormat": {"type": "string"}},
    "required": ["max_tokens", "responseFormat"],
    "additionalProperties": False,
}

# Inputs as the API names them (as the core, the models and an old state hold them).
API_INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "done"},
    ],
    "max_completion_tokens": 64,
    "metadata": USER_KEYS,
    "logit_bias": {"50256": -100},
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "answer", "strict": True, "schema": JSON_SCHEMA},
    },
    "tools": [{"type": "function", "function": {"name": "f", "parameters": JSON_SCHEMA}}],
    "tool_choice": {"type": "function", "function": {"name": "f"}},
    "stream_options": {"include_usage": True},
    "triggers": USER_KEYS,
}
SCHEMA_INPUTS: dict[str, Any] = {
    "model": "gpt-4o-mini",
    "messages": [
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        {
            "role": "assistant",
            "content": None,
            "toolCalls": [
                {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "toolCallId": "call_1", "content": "done"},
    ],
    "maxCompletionTokens": 64,
    "metadata": USER_KEYS,
    "logitBias": {"50256": -100},
    "responseFormat": {
        "type": "json_schema",
        "jsonSchema": {"name": "answer", "strict": True, "schema": JSON_SCHEMA},
    },
    "tools": [{"type": "function", "function": {"name": "f", "parameters": JSON_SCHEMA}}],
    # Plain JSON (a string or an object): as the API takes it.
    "toolChoice": {"type": "function", "function": {"name": "f"}},
    "streamOptions": {"includeUsage": True},
    "triggers": USER_KEYS,
}


def test_every_model_field_has_a_schema_name_that_reads_back() -> None:
    fields = {*ChatCompletionCreateParams.model_fields, *ChatCompletion.model_fields}
    assert {name for name in fields if snake(camel(name)) != name} == set()
    assert camel("max_completion_tokens") == "maxCompletionTokens"
    assert snake("responseServiceTier") == "response_service_tier"


def test_inputs_are_renamed_to_the_schemas_names_and_back() -> None:
    shape = NAMES.resource
    assert shape.to_schema(API_INPUTS) == SCHEMA_INPUTS
    assert shape.to_api(SCHEMA_INPUTS) == API_INPUTS


def test_user_data_keeps_its_keys_whatever_their_style() -> None:
    renamed = NAMES.resource.to_api(SCHEMA_INPUTS)
    assert renamed["metadata"] == USER_KEYS
    assert renamed["triggers"] == USER_KEYS
    assert renamed["response_format"]["json_schema"]["schema"] == JSON_SCHEMA
    assert renamed["tools"][0]["function"]["parameters"] == JSON_SCHEMA
    back = NAMES.resource.to_schema(API_INPUTS)
    assert back["responseFormat"]["jsonSchema"]["schema"] == JSON_SCHEMA
    assert back["metadata"] == USER_KEYS


def test_either_form_reads_the_same_so_old_state_and_new_inputs_agree() -> None:
    # A state written before the schema was camelCase holds the API's names.
    assert NAMES.resource.to_api(API_INPUTS) == API_INPUTS
    assert NAMES.resource.to_schema(SCHEMA_INPUTS) == SCHEMA_INPUTS


def test_renaming_leaves_the_value_it_was_given_as_it_was() -> None:
    given = copy.deepcopy(SCHEMA_INPUTS)
    NAMES.resource.to_api(given)
    assert given == SCHEMA_INPUTS


def test_outputs_nested_in_answers_are_renamed() -> None:
    outputs = {
        "finish_reason": "stop",
        "usage": {"total_tokens": 7, "completion_tokens_details": {"reasoning_tokens": 2}},
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"tool_calls": None}}],
        "parsed": {"some_key": 1},
    }
    assert NAMES.resource.to_schema(outputs) == {
        "finishReason": "stop",
        "usage": {"totalTokens": 7, "completionTokensDetails": {"reasoningTokens": 2}},
        "choices": [{"index": 0, "finishReason": "stop", "message": {"toolCalls": None}}],
        "parsed": {"some_key": 1},  # plain JSON: the model's own answer
    }


def test_function_arguments_and_results_have_their_own_shapes() -> None:
    token = "chatcomp:index:getChatCompletion"
    assert NAMES.arguments[token].to_schema({"completion_id": "c"}) == {"completionId": "c"}
    answer = {"id": "c", "service_tier": "default", "metadata": {"run_id": "1"}, "seed": 3}
    # Fields the schema does not name (a stored completion's extras) pass as they are.
    assert NAMES.results[token].to_schema(answer) == {
        "id": "c",
        "serviceTier": "default",
        "metadata": {"run_id": "1"},
        "seed": 3,
    }
    listed = NAMES.results["chatcomp:index:getChatCompletionMessages"].to_api(
        {"completionId": "c", "data": [{"id": "c-0", "contentParts": [{"imageUrl": {}}]}]}
    )
    assert listed == {
        "completion_id": "c",
        "data": [{"id": "c-0", "content_parts": [{"image_url": {}}]}],
    }


def test_a_value_not_known_yet_is_renamed_when_it_is() -> None:
    later: list[Any] = []

    def deferred(value: Any, rename: Any) -> str:
        later.append((value, rename))
        return "deferred"

    class Pending:
        """Stands for a pulumi.Output."""

    pending = Pending()
    renamed = NAMES.resource.to_schema(
        {"usage": pending, "model": pending, "messages": [pending]}, deferred=deferred
    )
    # Only what has names to rename waits; a plain value passes as it is.
    assert renamed == {"usage": "deferred", "model": pending, "messages": ["deferred"]}
    assert later[0][1]({"total_tokens": 1}) == {"totalTokens": 1}


def test_messages_name_properties_in_the_form_asked_for() -> None:
    text = 'top_logprobs requires logprobs; metadata["max_tokens"] stays'
    assert (
        NAMES.reword(text, "schema")
        == 'topLogprobs requires logprobs; metadata["max_tokens"] stays'
    )
    assert NAMES.reword("messages[2].toolCallId is required", "api") == (
        "messages[2].tool_call_id is required"
    )


@pytest.mark.parametrize(
    ("resource", "outputs"),
    [
        pytest.param(
            {
                "type": PLUGIN_TYPE_TOKEN,
                "outputs": {"responseModel": "m", "usage": {"totalTokens": 1}},
            },
            {"response_model": "m", "usage": {"total_tokens": 1}},
            id="plugin",
        ),
        pytest.param(
            {"type": PLUGIN_TYPE_TOKEN, "outputs": {"response_model": "m"}},
            {"response_model": "m"},
            id="plugin-before-camel-case",
        ),
        pytest.param(
            {"type": TYPE_TOKEN, "outputs": {"response_model": "m", "responseModel": "x"}},
            {"response_model": "m", "responseModel": "x"},
            id="dynamic",
        ),
    ],
)
def test_state_is_read_in_the_apis_names_whichever_face(
    resource: dict[str, Any], outputs: dict[str, Any]
) -> None:
    assert api_state(resource)["outputs"] == outputs


def test_state_is_written_in_each_faces_form() -> None:
    outputs = {"finish_reason": "stop", "metadata": {"a_b": "c"}}
    assert in_state(PLUGIN_TYPE_TOKEN, outputs) == {
        "finishReason": "stop",
        "metadata": {"a_b": "c"},
    }
    assert in_state(TYPE_TOKEN, outputs) == outputs


def test_the_mapping_is_the_committed_schemas() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    names = PackageNames.of(schema)
    assert {field.api for field in names.resource.fields.values()} >= INPUT_NAMES
    assert set(names.arguments) == set(schema["functions"])
    assert names.config.names("schema") == list(schema["config"]["variables"])
