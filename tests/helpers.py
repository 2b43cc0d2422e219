"""The OpenAI spec this repository carries, and JSON validation against its schemas.

The spec is ``spec/openai/openapi.yaml`` in this repository (unchanged upstream; its source,
commit and licence are in ``spec/openai/SOURCE.md``). ``CHATCOMP_OPENAPI_SPEC`` names another
copy, for trying a newer upstream spec against the models. Not finding it is an error, never a
skip: conformance tests that silently do nothing prove nothing.

Example::

    from tests.helpers import validate_against
    validate_against("ChatCompletionDeleted", {"object": "chat.completion.deleted",
                                               "id": "chatcmpl-1", "deleted": True})
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_ENV = "CHATCOMP_OPENAPI_SPEC"
SPEC_DIR = Path(__file__).resolve().parents[1] / "spec" / "openai"
SPEC_PATH = SPEC_DIR / "openapi.yaml"
_SPEC_URI = "urn:chatcomp:openapi"


def find_spec() -> Path:
    """The path of ``openapi.yaml``; raises ``FileNotFoundError`` saying where it looked."""
    configured = os.environ.get(SPEC_ENV)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FileNotFoundError(f"{SPEC_ENV}={configured} does not name a file")
        return path
    if not SPEC_PATH.is_file():
        raise FileNotFoundError(f"openapi.yaml not found at {SPEC_PATH}; the repository carries it")
    return SPEC_PATH


@cache
def load_spec() -> dict[str, Any]:
    """The parsed spec (parsed once per process; the file is about 3 MB)."""
    # The C loader parses the 3 MB file in about 2 s; the pure-Python one is far slower.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with find_spec().open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)
    return spec


def schema(name: str) -> dict[str, Any]:
    """One schema of ``components.schemas`` as written in the spec."""
    schemas: dict[str, dict[str, Any]] = load_spec()["components"]["schemas"]
    if name not in schemas:
        raise KeyError(f"the spec has no schema named {name!r}")
    return schemas[name]


def validate_against(schema_name: str, instance: Any) -> None:
    """Raise ``AssertionError`` naming every place where ``instance`` breaks the schema."""
    errors = sorted(_validator(schema_name).iter_errors(instance), key=_error_path)
    if errors:
        lines = [f"  at {_error_path(error) or '<root>'}: {_short(error)}" for error in errors]
        raise AssertionError(
            f"instance does not match {schema_name} ({len(errors)} problem(s)):\n"
            + "\n".join(lines[:20])
        )


@cache
def _validator(schema_name: str) -> jsonschema.protocols.Validator:
    schema(schema_name)  # a clear KeyError for a wrong name
    registry: Registry[Any] = Registry().with_resource(
        _SPEC_URI, Resource.from_contents(_document(), default_specification=DRAFT202012)
    )
    root = {"$ref": f"{_SPEC_URI}#/components/schemas/{schema_name}"}
    return jsonschema.Draft202012Validator(root, registry=registry)


@cache
def _document() -> dict[str, Any]:
    # OpenAPI 3.0's `nullable: true` still appears in this 3.1 document; JSON Schema
    # ignores it, so spell it as "or null". Only the schemas are needed.
    schemas = load_spec()["components"]["schemas"]
    return {"components": {"schemas": _with_nulls(schemas)}}


def _with_nulls(node: Any) -> Any:
    if isinstance(node, list):
        return [_with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _with_nulls(value) for key, value in node.items()}
    if converted.pop("nullable", False) is True:
        kind = converted.get("type")
        if isinstance(kind, str) and not any(k in converted for k in ("oneOf", "anyOf", "$ref")):
            converted["type"] = [kind, "null"]
            if "enum" in converted and None not in converted["enum"]:
                converted["enum"] = [*converted["enum"], None]
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _error_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _short(error: jsonschema.ValidationError) -> str:
    best = jsonschema.exceptions.best_match(error.context) if error.context else error
    message: str = best.message if best is not None else error.message
    return message if len(message) <= 300 else message[:297] + "..."
