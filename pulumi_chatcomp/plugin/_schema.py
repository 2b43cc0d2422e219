"""The plugin's Pulumi package schema, generated from the model layer and the config home.

The resource's inputs are the request model's fields (``ChatCompletionCreateParams``) plus
``triggers``; its outputs are the inputs and the computed outputs (``ANSWER_PATHS``, typed
from the response model, and ``parsed``, plain JSON); the three functions take the reads'
arguments and return the response models (a completion with ``parsed`` too); the
provider's config is ``CONFIG_KEYS``. Descriptions come from OpenAI's
API reference (the spec this repository carries), read by ``descriptions_from_spec``.

``scripts/generate-schema.py`` writes ``schema.json`` beside this module; the plugin serves
that file, and a test keeps it equal to what ``build_schema`` makes now.

JSON Schema maps onto Pulumi's types: strings, numbers, integers, booleans, arrays and maps
as they are; a model becomes an object type ``chatcomp:index:<Model>``; a union of models
becomes one object type with every member's properties (the discriminator, e.g. ``role``,
tells them apart); any other union, such as "a string or a list of parts", is
``pulumi.json#/Any``, which every language accepts as plain JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_chatcomp._config import CONFIG_KEYS, ConfigKey
from pulumi_chatcomp.core._names import ANSWER_PATHS, PACKAGE, PARSED_NAME, PLUGIN_TYPE_TOKEN
from pulumi_chatcomp.core._properties import INPUT_NAMES
from pulumi_chatcomp.models import (
    ChatCompletion,
    ChatCompletionCreateParams,
    ChatCompletionStoreMessage,
)

__all__ = [
    "FUNCTIONS",
    "Descriptions",
    "build_schema",
    "descriptions_from_spec",
]

ANY: Final = {"$ref": "pulumi.json#/Any"}

FUNCTIONS: Final = {
    f"{PACKAGE}:index:getChatCompletion": "get_chat_completion",
    f"{PACKAGE}:index:getChatCompletions": "get_chat_completions",
    f"{PACKAGE}:index:getChatCompletionMessages": "get_chat_completion_messages",
}
"""The plugin's functions (invokes), by token, and the data source each one answers as."""

_TRIGGERS_DESCRIPTION: Final = (
    "Any change to this map creates a new completion (and deletes the old one): regenerate "
    "on demand. Not sent to the API."
)

_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when `response_format` is `json_schema` or "
    "`json_object` and the content parses (e.g. `${completion.parsed.title}`); absent "
    "otherwise. With `json_schema` and `strict: true`, content that is not JSON, does not "
    "match the schema, was cut off or is a refusal fails the create (and the stored "
    "completion is deleted)."
)
_STORED_PARSED_DESCRIPTION: Final = (
    "The first choice's content decoded as JSON, when the stored completion's "
    "`response_format` is `json_schema` or `json_object` and the content parses; else null."
)


@dataclass(frozen=True)
class Descriptions:
    """What the API reference says of each property, by property name."""

    inputs: Mapping[str, str] = field(default_factory=dict)
    outputs: Mapping[str, str] = field(default_factory=dict)
    arguments: Mapping[str, str] = field(default_factory=dict)


def build_schema(descriptions: Descriptions, *, version: str) -> dict[str, Any]:
    """The package schema, as the JSON object ``pulumi package get-schema`` prints."""
    types = _Types()
    inputs = types.properties(ChatCompletionCreateParams.model_json_schema(by_alias=True))
    inputs["triggers"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": _TRIGGERS_DESCRIPTION,
    }
    assert set(inputs) == INPUT_NAMES, "the schema's inputs are the resource's inputs"
    for name, prop in inputs.items():
        _describe(prop, descriptions.inputs.get(name))

    answer = ChatCompletion.model_json_schema(by_alias=True)
    outputs = {name: dict(prop) for name, prop in inputs.items()}
    for name, path in ANSWER_PATHS.items():
        outputs[name] = _describe(
            types.convert(_walk(answer, path)), descriptions.outputs.get(name)
        )
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
                "description": (
                    "A stored chat completion: created on `pulumi up`, refreshed, updated in "
                    "place when only its metadata changes, replaced when anything else "
                    "changes, deleted on `pulumi destroy`."
                ),
                "inputProperties": inputs,
                "requiredInputs": ["messages", "model"],
                "properties": outputs,
                "required": ["content", "created", "messages", "model", "response_model"],
            }
        },
        "functions": {
            f"{PACKAGE}:index:getChatCompletion": {
                "description": "One stored chat completion, by its ID.",
                "inputs": _inputs(
                    {"completion_id": {"type": "string"}}, descriptions, ["completion_id"]
                ),
                "outputs": {
                    "properties": completion["properties"],
                    "required": completion.get("required", []),
                },
            },
            f"{PACKAGE}:index:getChatCompletions": {
                "description": (
                    "The stored chat completions a filter selects (model, metadata), every page "
                    "read; `limit` caps how many."
                ),
                "inputs": _inputs(
                    {
                        "model": {"type": "string"},
                        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
                    descriptions,
                ),
                "outputs": _result(
                    completion_type,
                    {
                        "model": {"type": "string"},
                        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
                ),
            },
            f"{PACKAGE}:index:getChatCompletionMessages": {
                "description": "The input messages stored with a completion, every page read.",
                "inputs": _inputs(
                    {
                        "completion_id": {"type": "string"},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
                    descriptions,
                    ["completion_id"],
                ),
                "outputs": _result(
                    message_type,
                    {
                        "completion_id": {"type": "string"},
                        "order": {"type": "string"},
                        "limit": {"type": "integer"},
                    },
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


def descriptions_from_spec(spec: Mapping[str, Any]) -> Descriptions:
    """Each property's description in OpenAI's OpenAPI spec (parsed), by property name."""
    schemas: Mapping[str, Any] = spec["components"]["schemas"]
    request = _properties_of(schemas, schemas["CreateChatCompletionRequest"])
    response = _properties_of(schemas, schemas["CreateChatCompletionResponse"])
    choice = response["choices"]["items"]["properties"]
    message = _properties_of(schemas, schemas["ChatCompletionResponseMessage"])
    outputs = {
        "choices": response["choices"],
        "content": message["content"],
        "created": response["created"],
        "finish_reason": choice["finish_reason"],
        "refusal": message["refusal"],
        "response_model": response["model"],
        "response_service_tier": response["service_tier"],
        "system_fingerprint": response["system_fingerprint"],
        "tool_calls": message["tool_calls"],
        "usage": response["usage"],
    }
    listing = spec["paths"]["/chat/completions"]["get"]["parameters"]
    arguments = {p["name"]: p for p in listing}
    arguments["completion_id"] = {"description": "The ID of the stored chat completion."}
    return Descriptions(
        inputs={name: _text(prop) for name, prop in request.items() if _text(prop)},
        outputs={name: _text(prop) for name, prop in outputs.items() if _text(prop)},
        arguments={name: _text(p) for name, p in arguments.items() if _text(p)},
    )


class _Types:
    """Converts JSON Schema (pydantic's) to Pulumi's, collecting the object types it makes."""

    def __init__(self) -> None:
        self.defined: dict[str, Any] = {}

    def properties(self, model_schema: Mapping[str, Any]) -> dict[str, Any]:
        defs = model_schema.get("$defs", {})
        return {
            name: self._convert(prop, defs) for name, prop in model_schema["properties"].items()
        }

    def convert(self, located: tuple[Mapping[str, Any], Mapping[str, Any]]) -> dict[str, Any]:
        node, defs = located
        return self._convert(node, defs)

    def object_ref(self, model_schema: Mapping[str, Any], name: str) -> str:
        """Define ``model_schema`` itself as the object type ``name``; its ``$ref``."""
        token = f"{PACKAGE}:index:{name}"
        defs = model_schema.get("$defs", {})
        self.defined[token] = self._object(model_schema, defs)
        return f"#/types/{token}"

    def _convert(self, node: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
        branches = [b for b in node.get("anyOf", node.get("oneOf", [])) if b.get("type") != "null"]
        if branches:
            if len(branches) == 1:
                return self._convert(branches[0], defs)
            names = [_ref_name(b) for b in branches]
            if all(names):
                return {"$ref": self._union(frozenset(n for n in names if n), defs)}
            return dict(ANY)
        if "$ref" in node:
            name = _ref_name(node)
            assert name is not None
            return {"$ref": self._model(name, defs)}
        kind = node.get("type")
        if kind == "array":
            items = node.get("items")
            return {"type": "array", "items": self._convert(items, defs) if items else dict(ANY)}
        if kind == "object":
            values = node.get("additionalProperties")
            if isinstance(values, Mapping):
                return {"type": "object", "additionalProperties": self._convert(values, defs)}
            return dict(ANY)
        if kind in ("string", "integer", "number", "boolean"):
            return {"type": kind}
        if "const" in node or "enum" in node:
            return {"type": "string"}
        return dict(ANY)

    def _model(self, name: str, defs: Mapping[str, Any]) -> str:
        token = f"{PACKAGE}:index:{name}"
        if token not in self.defined:
            self.defined[token] = {}  # reserved first: models may refer to themselves
            self.defined[token] = self._object(defs[name], defs)
        return f"#/types/{token}"

    def _object(self, model: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
        properties = {
            name: self._convert(prop, defs) for name, prop in model.get("properties", {}).items()
        }
        shown: dict[str, Any] = {"type": "object", "properties": properties}
        summary = _summary(model.get("description"))
        if summary:
            shown["description"] = summary
        required = sorted(set(model.get("required", [])) & set(properties))
        if required:
            shown["required"] = required
        return shown

    def _union(self, names: frozenset[str], defs: Mapping[str, Any]) -> str:
        token = f"{PACKAGE}:index:{_union_name(names)}"
        if token in self.defined:
            return f"#/types/{token}"
        self.defined[token] = {}
        members = [self._object(defs[member], defs) for member in sorted(names)]
        properties: dict[str, Any] = {}
        for member in members:
            for prop, kind in member["properties"].items():
                # A property whose type differs between members is plain JSON in the union.
                properties[prop] = kind if properties.get(prop, kind) == kind else dict(ANY)
        required = set.intersection(*(set(m.get("required", [])) for m in members))
        self.defined[token] = {
            "type": "object",
            "description": "One of: " + ", ".join(sorted(names)) + ".",
            "properties": properties,
            **({"required": sorted(required)} if required else {}),
        }
        return f"#/types/{token}"


def _union_name(names: frozenset[str]) -> str:
    """The words every member's name starts and ends with: ``UserMessageParam`` and
    ``ToolMessageParam`` make ``MessageParam``, ``ResponseFormatText`` and
    ``ResponseFormatJSONObject`` make ``ResponseFormat``."""
    words = [re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*", name) for name in sorted(names)]
    shortest = min(len(w) for w in words)
    prefix = 0
    while prefix < shortest and len({tuple(w[: prefix + 1]) for w in words}) == 1:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and len({tuple(w[len(w) - suffix - 1 :]) for w in words}) == 1:
        suffix += 1
    name = "".join(words[0][:prefix] + words[0][len(words[0]) - suffix :])
    if not name:
        raise ValueError(f"the union of {sorted(names)} has no common name")
    return name


def _walk(
    model_schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The schema node at ``path`` of an answer (``0``: into a list's items), and its defs."""
    defs = model_schema.get("$defs", {})
    node: Mapping[str, Any] = model_schema
    for step in path:
        node = _resolved(node, defs)
        node = node["items"] if isinstance(step, int) else node["properties"][step]
    return node, defs


def _resolved(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        node = branches[0]
    name = _ref_name(node)
    return defs[name] if name else node


def _ref_name(node: Mapping[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _inputs(
    properties: dict[str, Any], descriptions: Descriptions, required: list[str] | None = None
) -> dict[str, Any]:
    for name, prop in properties.items():
        _describe(prop, descriptions.arguments.get(name))
    return {"properties": properties, **({"required": required} if required else {})}


def _result(item_ref: str, echoed: dict[str, Any]) -> dict[str, Any]:
    return {
        "properties": {"data": {"type": "array", "items": {"$ref": item_ref}}, **echoed},
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


def _describe(prop: dict[str, Any], description: str | None) -> dict[str, Any]:
    if description:
        prop["description"] = description
    return prop


def _properties_of(schemas: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in schema.get("allOf", [schema]):
        name = _ref_name(part)
        part = schemas[name] if name else part
        if "allOf" in part and part is not schema:
            found |= _properties_of(schemas, part)
        found |= part.get("properties", {})
    return found


def _text(node: Mapping[str, Any]) -> str:
    description = node.get("description")
    if not isinstance(description, str):
        for branch in node.get("anyOf", []):
            if isinstance(branch.get("description"), str):
                description = branch["description"]
                break
    if not isinstance(description, str):
        return ""
    # The spec's Markdown links point into platform.openai.com; keep the words.
    text = re.sub(r"\[([^\]]+)\]\((/[^)]*)\)", r"[\1](https://platform.openai.com\2)", description)
    return " ".join(text.split())


def _summary(text: object) -> str:
    # A model's docstring: its first paragraph, without examples.
    if not isinstance(text, str):
        return ""
    return " ".join(text.split("\n\n", 1)[0].split())
