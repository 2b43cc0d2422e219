"""The plugin's Pulumi package schema, generated from the model layer and the config home.

The resource's inputs are the request model's fields (``ChatCompletionCreateParams``) plus
``triggers``; its outputs are the inputs and the computed outputs (``ANSWER_PATHS``, typed
from the response model, and ``parsed``, plain JSON); the three functions take the reads'
arguments and return the response models (a completion with ``parsed`` too); the
provider's config is ``CONFIG_KEYS``. ``_types`` makes the models Pulumi's types; ``_docs``
says what the schema says of each (descriptions, deprecations, examples).

Names follow Pulumi's conventions: every property is the camelCase of its API name
(``maxCompletionTokens``), so each SDK shows its language's form; ``_casing`` maps them back
at the plugin's boundary. ``scripts/generate-schema.py`` writes ``schema.json`` beside this
module; the plugin serves that file, and a test keeps it equal to what ``build_schema``
makes now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_chatcomp._config import CONFIG_KEYS, ConfigKey
from pulumi_chatcomp.core._names import ANSWER_PATHS, PACKAGE, PARSED_NAME, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionStoreMessage,
)
from pulumi_chatcomp.plugin._casing import camel, snake
from pulumi_chatcomp.plugin._docs import (
    MESSAGE_DEPRECATIONS,
    REQUEST_DEPRECATIONS,
    ROLE_DEPRECATIONS,
    Descriptions,
    deprecation_message,
    descriptions_from_spec,
    with_examples,
)
from pulumi_chatcomp.plugin._types import ANY, PulumiTypes, ref_name, schema_name

__all__ = [
    "FUNCTIONS",
    "Descriptions",
    "build_schema",
    "descriptions_from_spec",
]

FUNCTIONS: Final = {
    f"{PACKAGE}:index:getChatCompletion": "get_chat_completion",
    f"{PACKAGE}:index:getChatCompletions": "get_chat_completions",
    f"{PACKAGE}:index:getChatCompletionMessages": "get_chat_completion_messages",
}
"""The plugin's functions (invokes), by token, and the data source each one answers as."""

_RESOURCE_DESCRIPTION: Final = (
    "A stored chat completion: created on `pulumi up`, refreshed, updated in place when only "
    "its metadata changes, replaced when anything else changes, deleted on `pulumi destroy`."
)

_TRIGGERS_DESCRIPTION: Final = (
    "Any change to this map creates a new completion (and deletes the old one): regenerate "
    "on demand. Not sent to the API."
)

_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when `responseFormat` is `json_schema` or "
    "`json_object` and the content parses (e.g. `${completion.parsed.title}`); absent "
    "otherwise. With `json_schema` and `strict: true`, content that is not JSON, does not "
    "match the schema, was cut off or is a refusal fails the create (and the stored "
    "completion is deleted)."
)
_STORED_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when the stored completion's "
    "`response_format` is `json_schema` or `json_object` and the content parses; else null."
)

# The outputs every completion has (in the API's names).
_REQUIRED_OUTPUTS: Final = ("content", "created", "messages", "model", "response_model")


def build_schema(descriptions: Descriptions, *, version: str) -> dict[str, Any]:
    """The package schema, as the JSON object ``pulumi package get-schema`` prints."""
    types = PulumiTypes(descriptions)
    params = ChatCompletionCreateParams.model_json_schema(by_alias=True)
    inputs = types.properties(params)
    inputs["triggers"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": _TRIGGERS_DESCRIPTION,
    }
    assert {snake(name) for name in inputs} == INPUT_NAMES, "the inputs are the resource's"
    for field, advice in REQUEST_DEPRECATIONS.items():
        inputs[camel(field)]["deprecationMessage"] = deprecation_message(advice)
    _deprecate_messages(types.defined, inputs["messages"])

    answer = ChatCompletion.model_json_schema(by_alias=True)
    outputs = {name: dict(prop) for name, prop in inputs.items()}
    for name, path in ANSWER_PATHS.items():
        node, defs, (model, field) = _walk(answer, path)
        outputs[schema_name(name)] = {
            **types.convert((node, defs)),
            "description": descriptions.field(model, field),
        }
    outputs[PARSED_NAME] = {**ANY, "description": _PARSED_DESCRIPTION}

    completion_type = types.object_ref(answer, "StoredChatCompletion")
    completion = types.defined[completion_type.removeprefix("#/types/")]
    # The reads add it to every completion (the function's result and the list's items).
    completion["properties"][PARSED_NAME] = {**ANY, "description": _STORED_PARSED_DESCRIPTION}
    message_type = types.object_ref(
        ChatCompletionStoreMessage.model_json_schema(by_alias=True), "StoredChatCompletionMessage"
    )
    config = {key.name: _config_property(key) for key in CONFIG_KEYS}
    return {
        "name": PACKAGE,
        "displayName": "Chat Completions",
        "version": version,
        "description": (
            "OpenAI stored Chat Completions as infrastructure: a ChatCompletion resource and "
            "functions that read stored completions."
        ),
        "keywords": ["openai", "chat-completions", "llm", "category/ai"],
        "license": "Apache-2.0",
        "repository": "https://github.com/pulumi-chatcomp/pulumi-chatcomp",
        "publisher": "pulumi-chatcomp",
        "config": {"variables": config},
        "provider": {
            "description": "Where and how the provider reaches the Chat Completions API.",
            "inputProperties": config,
        },
        "types": types.defined,
        "resources": {
            PLUGIN_TYPE_TOKEN: {
                "description": with_examples(_RESOURCE_DESCRIPTION, descriptions.examples),
                "inputProperties": inputs,
                "requiredInputs": ["messages", "model"],
                "properties": outputs,
                "required": [schema_name(name) for name in _REQUIRED_OUTPUTS],
            }
        },
        "functions": {
            f"{PACKAGE}:index:getChatCompletion": {
                "description": "One stored chat completion, by its ID.",
                "inputs": _arguments(
                    {"completion_id": {"type": "string"}},
                    descriptions.arguments["get_chat_completion"],
                    ["completion_id"],
                ),
                "outputs": {
                    "description": completion["description"],
                    "properties": completion["properties"],
                    "required": completion.get("required", []),
                },
            },
            f"{PACKAGE}:index:getChatCompletions": {
                "description": (
                    "The stored chat completions a filter selects (model, metadata), every page "
                    "read; `limit` caps how many."
                ),
                "inputs": _arguments(
                    {
                        "model": {"type": "string"},
                        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
                    descriptions.arguments["get_chat_completions"],
                ),
                "outputs": _result(
                    completion_type,
                    "The stored chat completions the filter selects, and the filter.",
                    descriptions.results["get_chat_completions"],
                    _arguments(
                        {
                            "model": {"type": "string"},
                            "metadata": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                            },
                            "order": {"type": "string"},
                            "limit": {"type": "integer"},
                        },
                        descriptions.arguments["get_chat_completions"],
                    )["properties"],
                ),
            },
            f"{PACKAGE}:index:getChatCompletionMessages": {
                "description": "The input messages stored with a completion, every page read.",
                "inputs": _arguments(
                    {
                        "completion_id": {"type": "string"},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
                    descriptions.arguments["get_chat_completion_messages"],
                    ["completion_id"],
                ),
                "outputs": _result(
                    message_type,
                    "The input messages stored with the completion, and the call's arguments.",
                    descriptions.results["get_chat_completion_messages"],
                    _arguments(
                        {
                            "completion_id": {"type": "string"},
                            "order": {"type": "string"},
                            "limit": {"type": "integer"},
                        },
                        descriptions.arguments["get_chat_completion_messages"],
                    )["properties"],
                ),
            },
        },
        "language": {
            "nodejs": {"packageName": "@pulumi-chatcomp/chatcomp"},
            "go": {"importBasePath": "github.com/pulumi-chatcomp/pulumi-chatcomp/sdk/go/chatcomp"},
            "python": {"packageName": "pulumi_chatcomp_sdk"},
            "csharp": {"rootNamespace": "PulumiChatcomp"},
        },
    }


def _deprecate_messages(types: dict[str, Any], messages: Mapping[str, Any]) -> None:
    """Mark the deprecated parts of a message: its fields, and its roles (enum values)."""
    message = types[messages["items"]["$ref"].removeprefix("#/types/")]
    for field, advice in MESSAGE_DEPRECATIONS.items():
        message["properties"][schema_name(field)]["deprecationMessage"] = deprecation_message(
            advice
        )
    roles = types[message["properties"]["role"]["$ref"].removeprefix("#/types/")]
    for value in roles["enum"]:
        role_advice = ROLE_DEPRECATIONS.get(value["value"])
        if role_advice is not None:
            value["deprecationMessage"] = deprecation_message(role_advice)


def _walk(
    model_schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> tuple[Mapping[str, Any], Mapping[str, Any], tuple[str, str]]:
    """The schema node at ``path`` of an answer (``0``: into a list's items), its defs, and
    the model and field it is (the last field on the path)."""
    defs = model_schema.get("$defs", {})
    node: Mapping[str, Any] = model_schema
    owner = ("", "")
    for step in path:
        node = _resolved(node, defs)
        if isinstance(step, int):
            node = node["items"]
        else:
            owner = (node.get("title", ""), step)
            node = node["properties"][step]
    return node, defs, owner


def _resolved(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        node = branches[0]
    name = ref_name(node)
    return defs[name] if name else node


def _arguments(
    properties: dict[str, Any], described: Mapping[str, str], required: list[str] | None = None
) -> dict[str, Any]:
    named = {
        schema_name(name): {**prop, "description": described[name]}
        for name, prop in properties.items()
    }
    return {
        "properties": named,
        **({"required": [schema_name(r) for r in required]} if required else {}),
    }


def _result(item_ref: str, description: str, data: str, echoed: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "properties": {
            "data": {"type": "array", "items": {"$ref": item_ref}, "description": data},
            **echoed,
        },
        "required": ["data"],
    }


def _config_property(key: ConfigKey) -> dict[str, Any]:
    prop: dict[str, Any] = {
        "type": key.kind,
        "description": f"{key.description[:1].upper()}{key.description[1:]}. Falls back to "
        f"the environment variable {key.env}.",
    }
    if key.default is not None:
        prop["default"] = key.default
    if key.secret:
        prop["secret"] = True
    return prop
