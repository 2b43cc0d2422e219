"""The plugin's names: camelCase in its schema, snake_case in the API; one mapping, read from
the schema.

The schema names every property as Pulumi's conventions want, in camelCase
(``maxCompletionTokens``), and each SDK shows its language's form (TypeScript and YAML
``maxCompletionTokens``, Go ``MaxCompletionTokens``, Python ``max_completion_tokens``). The
core, the models and the API use the API's names (``max_completion_tokens``). ``_schema``
names each property ``camel(<its name in the model layer>)`` and checks that ``snake`` turns
it back, so the schema alone says which API name each of its names stands for: this module
reads the committed ``schema.json`` (no pydantic, so Python programs can use it) and
renames values between the two, wherever they cross:

- the plugin's boundary with the engine (``_boundary``);
- ``pulumi_chatcomp.native``, which takes and gives snake_case to Python programs;
- the policy pack and the command line, which read plugin resources in either form (a
  stack made before the schema was camelCase keeps snake_case until its next update).

``Shape`` walks a value with the schema's types: an object type renames its properties and
walks into them; arrays and maps walk into their items and values, a map's keys being the
user's (``metadata``, ``logitBias``); plain JSON (``pulumi.json#/Any``: JSON schemas, tool
parameters, content given as a string or parts) and keys the schema does not name pass
through untouched. Either form of a property's name is understood, so a value already in
the target form, or a state written before the rename, comes through unchanged.

>>> shape = package_names().resource
>>> shape.to_api({"maxCompletionTokens": 64, "metadata": {"maxTokens": "kept"}})
{'max_completion_tokens': 64, 'metadata': {'maxTokens': 'kept'}}
>>> shape.to_schema({"usage": {"total_tokens": 7}})
{'usage': {'totalTokens': 7}}
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

__all__ = [
    "SCHEMA_PATH",
    "Field",
    "PackageNames",
    "Shape",
    "api_state",
    "camel",
    "in_state",
    "package_names",
    "snake",
]

SCHEMA_PATH: Final = Path(__file__).with_name("schema.json")
"""The committed schema (``scripts/generate-schema.py`` writes it), served by the plugin."""

Form = Literal["api", "schema"]
"""Which names a value is renamed to: the API's (snake_case) or the schema's (camelCase)."""

Deferred = Callable[[Any, Callable[[Any], Any]], Any]
"""How to rename a value that is not JSON yet (a ``pulumi.Output``): called with the value
and the renaming to apply once it is known."""

_JSON = (str, int, float, bool, type(None))
# A property's name in a message, not a map's key (``metadata["max_tokens"]``).
_API_WORD = re.compile(r'(?<![\w"])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w"])')
_SCHEMA_WORD = re.compile(r'(?<![\w"])[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+(?![\w"])')


def camel(name: str) -> str:
    """A property's schema name, from its API name.

    >>> camel("max_completion_tokens"), camel("model")
    ('maxCompletionTokens', 'model')
    """
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def snake(name: str) -> str:
    """A property's API name, from its schema name (what Pulumi's Python SDKs call it too).

    >>> snake("maxCompletionTokens"), snake("model")
    ('max_completion_tokens', 'model')
    """
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class Field:
    """One property of an object type: its two names and the shape of its value."""

    schema: str
    api: str
    shape: Shape | None
    """None: a value whose keys, if any, are the user's (plain JSON, strings, numbers)."""

    def name(self, form: Form) -> str:
        """The property's name in ``form``."""
        return self.api if form == "api" else self.schema


@dataclass(eq=False)
class Shape:
    """What a value's keys are, by the schema: an object type's properties, or a list's
    items, or a map's values (whose keys are the user's)."""

    kind: Literal["object", "list", "map"]
    fields: dict[str, Field] = field(default_factory=dict)
    """An object type's properties, by either of their names."""
    item: Shape | None = None
    """A list's items or a map's values."""

    def child(self, key: str, form: Form) -> tuple[str, Shape | None]:
        """A key of a mapping of this shape, renamed to ``form``, and the shape of its value."""
        if self.kind == "map":
            return key, self.item
        found = self.fields.get(key) if self.kind == "object" else None
        if found is None:
            return key, None  # not the schema's: the key and its value stay as they are
        return found.name(form), found.shape

    def element(self) -> Shape | None:
        """The shape of an item of a list of this shape."""
        return self.item if self.kind == "list" else None

    def to_api(self, value: Any, *, deferred: Deferred | None = None) -> Any:
        """``value`` (a JSON value of this shape) with the API's names."""
        return _rename(value, self, "api", deferred)

    def to_schema(self, value: Any, *, deferred: Deferred | None = None) -> Any:
        """``value`` (a JSON value of this shape) with the schema's names."""
        return _rename(value, self, "schema", deferred)

    def names(self, form: Form) -> list[str]:
        """An object type's property names in ``form``, in the schema's order."""
        seen = {f.schema: f for f in self.fields.values()}
        return [f.name(form) for f in seen.values()]


def _rename(value: Any, shape: Shape | None, form: Form, deferred: Deferred | None) -> Any:
    if shape is None:
        return value
    if isinstance(value, Mapping):
        renamed = {}
        for key, item in value.items():
            name, inner = shape.child(key, form)
            renamed[name] = _rename(item, inner, form, deferred)
        return renamed
    if isinstance(value, list | tuple):
        inner = shape.element()
        return [_rename(item, inner, form, deferred) for item in value]
    if deferred is not None and not isinstance(value, _JSON):
        return deferred(value, lambda known: _rename(known, shape, form, deferred))
    return value


@dataclass(frozen=True)
class PackageNames:
    """The shapes of everything the plugin's schema declares."""

    resources: Mapping[str, Shape]
    """Each resource's properties (its inputs and outputs), by type token."""
    config: Shape
    """The provider's config (the config home's names; in Python, their snake_case)."""
    arguments: Mapping[str, Shape]
    """Each function's arguments, by token."""
    results: Mapping[str, Shape]
    """Each function's result, by token."""
    words: Mapping[str, str] = field(default_factory=dict)
    """Every property's API name that differs from its schema name, and that schema name."""

    @property
    def resource(self) -> Shape:
        """``ChatCompletion``'s properties: its outputs, which hold its inputs."""
        from pulumi_chatcomp.core._names import PLUGIN_TYPE_TOKEN

        return self.resources[PLUGIN_TYPE_TOKEN]

    def of_urn(self, urn: str) -> Shape:
        """The shape of the resource a URN names (``ChatCompletion``'s for any other)."""
        from pulumi_chatcomp.core._names import type_of

        return self.resources.get(type_of(urn), self.resource)

    def reword(self, text: str, form: Form) -> str:
        """``text`` (a message, a property path) naming properties in ``form``: each word
        that is a property's other name becomes its name in ``form`` (but not a map's key,
        which a path writes in double quotes).

        >>> package_names().reword("top_logprobs requires logprobs to be true", "schema")
        'topLogprobs requires logprobs to be true'
        """
        if form == "schema":
            return _API_WORD.sub(lambda m: self.words.get(m[0], m[0]), text)
        api = {schema: name for name, schema in self.words.items()}
        return _SCHEMA_WORD.sub(lambda m: api.get(m[0], m[0]), text)

    @classmethod
    def of(cls, schema: Mapping[str, Any]) -> PackageNames:
        """The shapes of ``schema`` (a package schema, parsed)."""
        reader = _Reader(schema.get("types", {}))
        functions = schema.get("functions", {})
        return cls(
            resources={
                token: reader.object({**spec.get("inputProperties", {}), **spec["properties"]})
                for token, spec in schema["resources"].items()
            },
            config=reader.object(schema.get("config", {}).get("variables", {})),
            arguments={
                token: reader.object(spec.get("inputs", {}).get("properties", {}))
                for token, spec in functions.items()
            },
            results={
                token: reader.object(spec.get("outputs", {}).get("properties", {}))
                for token, spec in functions.items()
            },
            words=reader.words,
        )


class _Reader:
    """Builds shapes from a schema's property specs, one shape per object type."""

    def __init__(self, types: Mapping[str, Any]) -> None:
        self._types = types
        self._made: dict[str, Shape | None] = {}
        self.words: dict[str, str] = {}

    def object(self, properties: Mapping[str, Any]) -> Shape:
        shape = Shape("object")
        self._fill(shape, properties)
        return shape

    def _fill(self, shape: Shape, properties: Mapping[str, Any]) -> None:
        for name, spec in properties.items():
            known = Field(schema=name, api=snake(name), shape=self._shape(spec))
            shape.fields[known.schema] = shape.fields[known.api] = known
            if known.api != known.schema:
                self.words[known.api] = known.schema

    def _shape(self, spec: Mapping[str, Any]) -> Shape | None:
        ref = spec.get("$ref")
        if isinstance(ref, str):
            return self._type(ref.removeprefix("#/types/")) if ref.startswith("#/") else None
        kind = spec.get("type")
        if kind == "array":
            items = self._shape(spec.get("items", {}))
            return Shape("list", item=items) if items is not None else None
        if kind == "object" and "additionalProperties" in spec:
            values = self._shape(spec["additionalProperties"])
            return Shape("map", item=values) if values is not None else None
        return None

    def _type(self, token: str) -> Shape | None:
        if token not in self._made:
            declared = self._types[token]
            if "properties" not in declared:
                self._made[token] = None  # an enum: a plain value
            else:
                shape = self._made[token] = Shape("object")  # first: types may nest
                self._fill(shape, declared["properties"])
        return self._made[token]


@functools.cache
def package_names() -> PackageNames:
    """The shapes of the committed schema (read once per process)."""
    return PackageNames.of(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def api_state(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A resource of either face in an exported state (or a pending operation's), with its
    inputs and outputs in the API's names: the plugin's (any of its resources) are renamed,
    whichever form they were written in; the dynamic face's already are.

    >>> api_state({"type": "chatcomp:index:ChatCompletion", "outputs": {"responseModel": "m"}})
    {'type': 'chatcomp:index:ChatCompletion', 'outputs': {'response_model': 'm'}}
    """
    shape = package_names().resources.get(str(resource.get("type")))
    if shape is None:
        return dict(resource)
    return {
        **resource,
        **{
            part: shape.to_api(resource[part]) for part in ("inputs", "outputs") if part in resource
        },
    }


def in_state(resource_type: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """Properties in the API's names, as the face of ``resource_type`` keeps them in state:
    the plugin's with its schema's names, the dynamic face's as they are.

    >>> in_state("chatcomp:index:ChatCompletion", {"finish_reason": "stop"})
    {'finishReason': 'stop'}
    """
    shape = package_names().resources.get(resource_type)
    if shape is None:
        return dict(properties)
    renamed: dict[str, Any] = shape.to_schema(properties)
    return renamed
