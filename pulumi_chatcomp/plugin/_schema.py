"""The plugin's Pulumi package schema, generated from the model layer and the config home.

The resource's inputs are the request model's fields (``ChatCompletionCreateParams``) plus
``triggers``; its outputs are the inputs and the computed outputs (``ANSWER_PATHS``, typed
from the response model, and ``parsed``, plain JSON); the three functions take the reads'
arguments and return the response models (a completion with ``parsed`` too); the
provider's config is ``CONFIG_KEYS``. What the schema says of each (descriptions,
deprecations, examples) comes from ``_docs``.

Names follow Pulumi's conventions: every property is the camelCase of its API name
(``maxCompletionTokens``), so each SDK shows its language's form; ``_casing`` maps them back
at the plugin's boundary. ``scripts/generate-schema.py`` writes ``schema.json`` beside this
module; the plugin serves that file, and a test keeps it equal to what ``build_schema``
makes now.

JSON Schema maps onto Pulumi's types: strings, numbers, integers, booleans, arrays and maps
as they are; a model becomes an object type ``chatcomp:index:<Model>``; a union of models
becomes one object type with every member's properties, told apart by the discriminator
(``role``, ``type``), which is an enum for a request's unions; any other union, such as "a
string or a list of parts", is ``pulumi.json#/Any``, which every language accepts as plain
JSON (and whose keys are the API's, as the user writes them).
"""

from __future__ import annotations

import re
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
from pulumi_chatcomp.models._base import RequestModel
from pulumi_chatcomp.plugin._casing import camel, snake
from pulumi_chatcomp.plugin._docs import (
    MESSAGE_DEPRECATIONS,
    REQUEST_DEPRECATIONS,
    ROLE_DEPRECATIONS,
    Descriptions,
    deprecation_message,
    descriptions_from_spec,
    model_classes,
    with_examples,
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
    types = _Types(descriptions)
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
        outputs[_name(name)] = {
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
                "required": [_name(name) for name in _REQUIRED_OUTPUTS],
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


def _name(api_name: str) -> str:
    """The schema's name of a property, which must lead back to ``api_name``."""
    name = camel(api_name)
    if snake(name) != api_name:
        raise ValueError(f"{api_name!r} would be {name!r} in the schema, which reads back wrong")
    return name


class _Types:
    """Converts JSON Schema (pydantic's) to Pulumi's, collecting the object types it makes."""

    def __init__(self, descriptions: Descriptions) -> None:
        self.defined: dict[str, Any] = {}
        self._descriptions = descriptions
        self._requests = {m.__name__ for m in model_classes() if issubclass(m, RequestModel)}

    def properties(self, model_schema: Mapping[str, Any]) -> dict[str, Any]:
        """A model's fields, as the schema's properties (named, typed and described)."""
        defs = model_schema.get("$defs", {})
        return self._fields(model_schema, defs)

    def convert(self, located: tuple[Mapping[str, Any], Mapping[str, Any]]) -> dict[str, Any]:
        node, defs = located
        return self._convert(node, defs)

    def object_ref(self, model_schema: Mapping[str, Any], name: str) -> str:
        """Define ``model_schema`` itself as the object type ``name``; its ``$ref``."""
        token = f"{PACKAGE}:index:{name}"
        defs = model_schema.get("$defs", {})
        self.defined[token] = self._object(model_schema, defs)
        return f"#/types/{token}"

    def _fields(self, model: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
        title = model.get("title", "")
        return {
            _name(field): {
                **self._convert(prop, defs),
                "description": self._descriptions.field(title, field),
            }
            for field, prop in model.get("properties", {}).items()
        }

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
        properties = self._fields(model, defs)
        shown: dict[str, Any] = {
            "type": "object",
            "description": self._descriptions.model(model.get("title", "")),
            "properties": properties,
        }
        required = sorted({_name(f) for f in model.get("required", [])} & set(properties))
        if required:
            shown["required"] = required
        return shown

    def _union(self, names: frozenset[str], defs: Mapping[str, Any]) -> str:
        union = _union_name(names)
        token = f"{PACKAGE}:index:{union}"
        if token in self.defined:
            return f"#/types/{token}"
        self.defined[token] = {}
        members = sorted(names)
        objects = {member: self._object(defs[member], defs) for member in members}
        tag_of = _tags(members, defs)
        properties: dict[str, Any] = {}
        texts: dict[str, list[tuple[str, str]]] = {}
        for member, shown in objects.items():
            tag = tag_of[member][1]
            for prop, kind in shown["properties"].items():
                typed = {k: v for k, v in kind.items() if k != "description"}
                # A property whose type differs between members is plain JSON in the union.
                properties[prop] = typed if properties.get(prop, typed) == typed else dict(ANY)
                texts.setdefault(prop, []).append((tag, kind["description"]))
        key = _name(next(iter(tag_of.values()))[0])
        for prop, said in texts.items():
            properties[prop]["description"] = (
                _kinds(key, [tag for tag, _ in said]) if prop == key else _merged(key, said)
            )
        if all(member in self._requests for member in members):
            # A request's kinds are a closed set: an enum, each value described by its member.
            enum = f"{PACKAGE}:index:{union}{key[:1].upper()}{key[1:]}"
            self.defined[enum] = {
                "type": "string",
                "description": properties[key]["description"],
                "enum": [
                    {
                        "name": _pascal(tag_of[member][1]),
                        "value": tag_of[member][1],
                        "description": objects[member]["description"],
                    }
                    for member in members
                ],
            }
            properties[key] = {
                "$ref": f"#/types/{enum}",
                "description": properties[key]["description"],
            }
        required = set.intersection(*(set(o.get("required", [])) for o in objects.values()))
        self.defined[token] = {
            "type": "object",
            "description": f"One of these, told apart by `{key}`: "
            + " ".join(
                f"`{tag_of[m][1]}`: {_sentence(objects[m]['description'])}" for m in members
            ),
            "properties": properties,
            **({"required": sorted(required)} if required else {}),
        }
        return f"#/types/{token}"


def _tags(members: list[str], defs: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Each member's discriminator: the field every member fixes to a constant, and its value."""
    fixed = [
        {field: prop["const"] for field, prop in defs[m]["properties"].items() if "const" in prop}
        for m in members
    ]
    shared = set.intersection(*(set(f) for f in fixed))
    if len(shared) != 1:
        raise ValueError(f"the union of {members} has no single discriminator: {sorted(shared)}")
    (key,) = shared
    return {member: (key, str(f[key])) for member, f in zip(members, fixed, strict=True)}


def _kinds(key: str, tags: list[str]) -> str:
    listed = [f"`{tag}`" for tag in tags]
    options = ", ".join(listed[:-1]) + f" or {listed[-1]}" if len(listed) > 1 else listed[0]
    return f"Which kind this is: {options}; the other properties depend on the {key}."


def _merged(key: str, said: list[tuple[str, str]]) -> str:
    """A property several members share: its description, or each member's, by kind."""
    distinct = list(dict.fromkeys(text for _, text in said if text))
    if len(distinct) <= 1:
        return distinct[0] if distinct else ""
    by_text: dict[str, list[str]] = {}
    for tag, text in said:
        by_text.setdefault(text, []).append(f"`{tag}`")
    return " ".join(
        f"With {key} {', '.join(tags)}: {_sentence(text)}" for text, tags in by_text.items()
    )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _pascal(value: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", value))


def _deprecate_messages(types: dict[str, Any], messages: Mapping[str, Any]) -> None:
    """Mark the deprecated parts of a message: its fields, and its roles (enum values)."""
    message = types[messages["items"]["$ref"].removeprefix("#/types/")]
    for field, advice in MESSAGE_DEPRECATIONS.items():
        message["properties"][_name(field)]["deprecationMessage"] = deprecation_message(advice)
    roles = types[message["properties"]["role"]["$ref"].removeprefix("#/types/")]
    for value in roles["enum"]:
        role_advice = ROLE_DEPRECATIONS.get(value["value"])
        if role_advice is not None:
            value["deprecationMessage"] = deprecation_message(role_advice)


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
    name = _ref_name(node)
    return defs[name] if name else node


def _ref_name(node: Mapping[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _arguments(
    properties: dict[str, Any], described: Mapping[str, str], required: list[str] | None = None
) -> dict[str, Any]:
    named = {
        _name(name): {**prop, "description": described[name]} for name, prop in properties.items()
    }
    return {"properties": named, **({"required": [_name(r) for r in required]} if required else {})}


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
