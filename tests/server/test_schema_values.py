"""The schema-driven value generator used for tool arguments and structured outputs."""

from __future__ import annotations

import random
from typing import Any

import jsonschema
import pytest

from pulumi_chatcomp.server._schema_values import value_for_schema

CASES = [
    pytest.param({"type": "string", "minLength": 20}, id="min-length"),
    pytest.param({"type": "string", "maxLength": 2}, id="max-length"),
    pytest.param({"type": "string", "format": "date-time"}, id="date-time"),
    pytest.param({"type": "string", "format": "uuid"}, id="uuid"),
    pytest.param({"type": "integer", "minimum": -5, "maximum": -3}, id="negative-range"),
    pytest.param({"type": "integer", "multipleOf": 7, "minimum": 1, "maximum": 50}, id="multiple"),
    pytest.param({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}, id="open"),
    pytest.param({"type": ["null", "boolean"]}, id="type-list"),
    pytest.param(
        {"type": "array", "items": {"enum": [1, 2, 3]}, "minItems": 3, "uniqueItems": True},
        id="unique-items",
    ),
    pytest.param(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        id="prefix-items",
    ),
    pytest.param(
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]},
            ]
        },
        id="all-of",
    ),
    pytest.param(
        {"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": False},
        id="recursive-ref",
    ),
    pytest.param(
        {"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 2},
        id="map",
    ),
    pytest.param({}, id="empty-schema"),
]


@pytest.mark.parametrize("schema", CASES)
def test_generated_value_validates(schema: dict[str, Any]) -> None:
    for seed in range(20):
        value = value_for_schema(schema, random.Random(seed))
        jsonschema.validate(value, schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("schema", CASES)
def test_same_seed_same_value(schema: dict[str, Any]) -> None:
    assert value_for_schema(schema, random.Random(9)) == value_for_schema(schema, random.Random(9))
