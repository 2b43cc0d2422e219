"""JSON Schema (pydantic's, of the model layer) as Pulumi's types, named as the schema names
them and described as ``_docs`` says.

Strings, numbers, integers, booleans, arrays and maps stay as they are; a model becomes an
object type ``chatcomp:index:<Model>``; a union of models becomes one object type with every
member's properties, told apart by the discriminator (``role``, ``type``), which is an enum
for a request's unions (their kinds are a closed set); any other union, such as "a string
or a list of parts", is ``pulumi.json#/Any``, which every language accepts as plain JSON
(whose keys are the API's, as the user writes them). Every property is named
``camel(<its API name>)``, which must read back (``_casing``).

>>> schema_name("max_completion_tokens")
'maxCompletionTokens'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from pulumi_chatcomp.core._names import PACKAGE
from pulumi_chatcomp.models._base import RequestModel
from pulumi_chatcomp.plugin._casing import camel, snake
from pulumi_chatcomp.plugin._docs import Descriptions, model_classes

__all__ = ["ANY", "PulumiTypes", "ref_name", "schema_name"]

ANY: Final = {"$ref": "pulumi.json#/Any"}
"""Plain JSON, in every language."""


def schema_name(api_name: str) -> str:
    """The schema's name of a property, which must lead back to ``api_name``."""
    name = camel(api_name)
    if snake(name) != api_name:
        raise ValueError(f"{api_name!r} would be {name!r} in the schema, which reads back wrong")
    return name


class PulumiTypes:
    """Converts JSON Schema (pydantic's) to Pulumi's, collecting the object types it makes
    (``defined``, by token).

    >>> from pulumi_chatcomp.models import StreamOptions
    >>> types = PulumiTypes(Descriptions())
    >>> types.properties(StreamOptions.model_json_schema())["includeUsage"]["type"]
    'boolean'
    """

    def __init__(self, descriptions: Descriptions) -> None:
        self.defined: dict[str, Any] = {}
        self._descriptions = descriptions
        self._requests = {m.__name__ for m in model_classes() if issubclass(m, RequestModel)}

    def properties(self, model_schema: Mapping[str, Any]) -> dict[str, Any]:
        """A model's fields, as the schema's properties (named, typed and described)."""
        defs = model_schema.get("$defs", {})
        return self._fields(model_schema, defs)

    def convert(self, located: tuple[Mapping[str, Any], Mapping[str, Any]]) -> dict[str, Any]:
        """The type of a schema node (and the definitions it may refer to)."""
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
            schema_name(field): {
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
            names = [ref_name(b) for b in branches]
            if all(names):
                return {"$ref": self._union(frozenset(n for n in names if n), defs)}
            return dict(ANY)
        if "$ref" in node:
            name = ref_name(node)
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
        required = sorted({schema_name(f) for f in model.get("required", [])} & set(properties))
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
        key = schema_name(next(iter(tag_of.values()))[0])
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


def ref_name(node: Mapping[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
