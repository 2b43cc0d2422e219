"""What the plugin's schema says of what it declares, so that every SDK documents it.

- Descriptions come from OpenAI's OpenAPI spec (the copy this repository carries), through
  the model layer: each model names its place in the spec (``openapi``, e.g.
  ``ChatCompletionRequestUserMessage``), and the model's and its fields' descriptions are
  read there; where the spec says nothing, the model's own docstrings speak. The reads'
  arguments are described by the spec's paths.
- Deprecations come from the deprecation home, ``models._warnings``.
- The resource's examples are the example programs CI runs (``examples/``).

``scripts/generate-schema.py`` passes what this reads to ``_schema.build_schema``.

    descriptions = descriptions_from_spec(spec, examples=examples_from(Path("examples")))
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, get_args

from pulumi_chatcomp.models._base import RequestModel, ResponseModel
from pulumi_chatcomp.models._warnings import (
    DEPRECATED_MESSAGE_FIELDS,
    DEPRECATED_MESSAGE_ROLES,
    DEPRECATED_REQUEST_FIELDS,
)

__all__ = [
    "EXAMPLE_PROGRAMS",
    "Descriptions",
    "deprecation_message",
    "descriptions_from_spec",
    "examples_from",
    "model_classes",
    "with_examples",
]

SPEC_PATHS: Final = {
    "get_chat_completion": "/chat/completions/{completion_id}",
    "get_chat_completions": "/chat/completions",
    "get_chat_completion_messages": "/chat/completions/{completion_id}/messages",
}
"""The API call each read makes, by the read's name: its arguments are that call's."""

EXAMPLE_PROGRAMS: Final = {
    "typescript": "typescript/index.ts",
    "python": "python-plugin/__main__.py",
    "go": "go/main.go",
    "yaml": "yaml/Pulumi.yaml",
}
"""The resource's example in each language: a program of ``examples/`` that CI runs (or,
for Go, compiles against the generated SDK)."""

REQUEST_DEPRECATIONS: Final = DEPRECATED_REQUEST_FIELDS
MESSAGE_DEPRECATIONS: Final = DEPRECATED_MESSAGE_FIELDS
ROLE_DEPRECATIONS: Final = DEPRECATED_MESSAGE_ROLES

_API_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@dataclass(frozen=True)
class Descriptions:
    """Everything the schema describes: models and their fields by the models' names (the
    fields by their API names), the reads' arguments and results, the resource's examples."""

    models: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    arguments: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Each read's arguments, by the read's name (``get_chat_completions``)."""
    results: Mapping[str, str] = field(default_factory=dict)
    """What each list read's ``data`` holds, by the read's name."""
    examples: Mapping[str, str] = field(default_factory=dict)
    """The resource's example program, by language (``typescript``, ``python``, ...)."""

    def model(self, name: str) -> str:
        """The description of the model ``name`` (empty if none)."""
        return self.models.get(name, "")

    def field(self, model: str, name: str) -> str:
        """The description of the field ``name`` (its API name) of ``model``."""
        return self.fields.get(model, {}).get(name, "")


def descriptions_from_spec(
    spec: Mapping[str, Any], *, examples: Mapping[str, str] | None = None
) -> Descriptions:
    """Every model's and field's description (``spec`` is the parsed OpenAPI document)."""
    schemas: Mapping[str, Any] = spec["components"]["schemas"]
    every = list(model_classes())
    models = {
        model.__name__: _text(schemas, _locate(schemas, model.openapi) if model.openapi else {})
        or _summary(model.__doc__)
        for model in every
    }
    fields: dict[str, dict[str, str]] = {}
    for model in every:
        located = _locate(schemas, model.openapi) if model.openapi else {}
        documented = _properties_of(schemas, located) if located else {}
        docstrings = _field_docstrings(model)
        described = fields[model.__name__] = {}
        for name, info in model.model_fields.items():
            alias = info.alias or name
            text = (
                _text(schemas, documented.get(alias, {}))
                or _summary(docstrings.get(name))
                # A field the spec leaves bare, holding one model, is what that model is.
                or models.get(_model_in(info.annotation), "")
            )
            if text:
                described[alias] = text
    arguments: dict[str, dict[str, str]] = {}
    results: dict[str, str] = {}
    for read, path in SPEC_PATHS.items():
        call = spec["paths"][path]["get"]
        arguments[read] = {p["name"]: _text(schemas, p) for p in call.get("parameters", [])}
        answer = call["responses"]["200"]["content"]["application/json"]["schema"]
        data = _properties_of(schemas, answer).get("data")
        if data is not None:
            results[read] = _text(schemas, data)
    return Descriptions(models, fields, arguments, results, dict(examples or {}))


def examples_from(folder: Path) -> dict[str, str]:
    """The example programs (``EXAMPLE_PROGRAMS``) in ``folder``, by language."""
    return {
        language: (folder / path).read_text(encoding="utf-8").strip()
        for language, path in EXAMPLE_PROGRAMS.items()
    }


def with_examples(description: str, examples: Mapping[str, str]) -> str:
    """``description`` followed by the examples, as Pulumi's code generators expect them:
    each SDK keeps its own language's code block."""
    if not examples:
        return description
    blocks = "\n".join(f"```{language}\n{code}\n```" for language, code in examples.items())
    return (
        f"{description}\n\n{{{{% examples %}}}}\n## Example Usage\n{{{{% example %}}}}\n"
        f"### A stored completion, read back by a function\n\n{blocks}\n"
        "{{% /example %}}\n{{% /examples %}}"
    )


def deprecation_message(advice: str) -> str:
    """The ``deprecationMessage`` of the deprecation home's ``advice``, naming properties as
    the schema does.

    >>> deprecation_message("use max_completion_tokens instead")
    'Use maxCompletionTokens instead.'
    """
    from pulumi_chatcomp.plugin._casing import camel

    text = _API_WORD.sub(lambda word: camel(word[0]), advice)
    return f"{text[:1].upper()}{text[1:]}."


def model_classes() -> Iterator[type[RequestModel] | type[ResponseModel]]:
    """Every model the model layer defines."""
    import pulumi_chatcomp.models._request
    import pulumi_chatcomp.models._response  # noqa: F401

    seen: set[type] = set()
    pending: list[type[RequestModel] | type[ResponseModel]] = [RequestModel, ResponseModel]
    while pending:
        base = pending.pop()
        model: type[RequestModel] | type[ResponseModel]
        for model in base.__subclasses__():
            if model not in seen and "[" not in model.__name__:  # not a generic's alias
                seen.add(model)
                pending.append(model)
                yield model


def _model_in(annotation: object) -> str:
    """The name of the one model a field's type holds (``ImageURL | None``), else ``""``."""
    found = {
        arg.__name__
        for arg in (annotation, *get_args(annotation))
        if isinstance(arg, type) and issubclass(arg, RequestModel | ResponseModel)
    }
    return found.pop() if len(found) == 1 else ""


def _field_docstrings(model: type) -> dict[str, str]:
    """The docstrings under a model's fields (a subclass's over its bases')."""
    found: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        if not issubclass(klass, RequestModel | ResponseModel) or klass in (
            RequestModel,
            ResponseModel,
        ):
            continue
        body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
        assert isinstance(body, ast.ClassDef)
        for statement, following in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                found[statement.target.id] = following.value.value
    return found


_STEP = re.compile(r"^(\w+)(\[\])?(?:\(([^)]*)\))?$")


def _locate(schemas: Mapping[str, Any], location: str) -> Mapping[str, Any]:
    """The spec's node at ``location`` (see ``RequestModel.openapi``)."""
    head, *steps = location.split(".")
    node = _step(schemas, {"properties": schemas}, head, location)
    for step in steps:
        node = _step(schemas, node, step, location)
    return node


def _step(
    schemas: Mapping[str, Any], node: Mapping[str, Any], step: str, location: str
) -> Mapping[str, Any]:
    parsed = _STEP.match(step)
    if parsed is None:
        raise ValueError(f"openapi location {location!r}: cannot read {step!r}")
    name, items, branch = parsed.groups()
    found = _properties_of(schemas, node).get(name)
    if found is None:
        raise ValueError(f"openapi location {location!r}: the spec has no {name!r} there")
    if items:
        found = next(b for b in _branches(schemas, found) if "items" in b)["items"]
    if branch is not None:
        options = _branches(schemas, found)
        found = (
            options[int(branch)]
            if branch.isdigit()
            else next(b for b in options if b.get("title") == branch)
        )
    return found


def _deref(schemas: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    while isinstance(node.get("$ref"), str):
        node = schemas[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branches(schemas: Mapping[str, Any], node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A node's alternatives, nulls left out (itself when it has none)."""
    node = _deref(schemas, node)
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return [node]
    return [_deref(schemas, b) for b in options if b.get("type") != "null"]


def _properties_of(schemas: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Any]:
    """A schema's properties, through references, ``allOf`` parts and nullable unions."""
    node = _deref(schemas, node)
    found: dict[str, Any] = {}
    for part in node.get("allOf", []):
        found |= _properties_of(schemas, part)
    found |= node.get("properties", {})
    if not found:
        for branch in _branches(schemas, node):
            if branch is not node:
                found = _properties_of(schemas, branch) | found
    return found


def _text(schemas: Mapping[str, Any], node: Mapping[str, Any]) -> str:
    """A node's description, or that of what it refers to, as one line of Markdown."""
    seen = 0
    while node and seen < 8:  # a few hops: a property -> its $ref -> a nullable union
        seen += 1
        description = node.get("description")
        if isinstance(description, str) and description.strip():
            # The spec's Markdown links point into platform.openai.com; keep them working.
            text = re.sub(
                r"\[([^\]]+)\]\((/[^)]*)\)", r"[\1](https://platform.openai.com\2)", description
            )
            return " ".join(text.split())
        if isinstance(node.get("$ref"), str):
            node = _deref(schemas, node)
            continue
        union = node.get("anyOf") or node.get("oneOf") or node.get("allOf") or []
        options = [b for b in union if b.get("type") != "null"]
        node = options[0] if options else {}
    return ""


def _summary(text: object) -> str:
    # A docstring's first paragraph (examples follow it), as one line.
    if not isinstance(text, str):
        return ""
    paragraph = " ".join(text.strip().split("\n\n", 1)[0].split())
    return paragraph.replace("``", "`")  # reStructuredText's literals, in Markdown
