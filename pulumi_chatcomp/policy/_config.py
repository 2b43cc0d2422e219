"""Reading policy config values.

The engine fills each property's schema ``default`` and validates the config against the
schema before the pack sees it, and numbers arrive as floats (protobuf ``Struct``). These
helpers still check types, so a validator called directly with a bad config gets an error
naming the config key rather than a confusing crash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_chatcomp._exceptions import PolicyConfigError
from pulumi_chatcomp.policy._values import is_number


def config_number(config: Mapping[str, Any], key: str, default: float) -> float:
    """The number at ``key``, or ``default`` when it is absent or null."""
    value = config.get(key)
    if value is None:
        return float(default)
    if not is_number(value):
        raise PolicyConfigError(f"policy config {key} must be a number, got {value!r}")
    return float(value)


def config_count(config: Mapping[str, Any], key: str, default: int) -> int:
    """The non-negative whole number at ``key``, or ``default``."""
    value = config_number(config, key, default)
    if value < 0 or not value.is_integer():
        raise PolicyConfigError(f"policy config {key} must be a whole number >= 0, got {value:g}")
    return int(value)


def config_strings(config: Mapping[str, Any], key: str, default: Sequence[str]) -> tuple[str, ...]:
    """The list of strings at ``key``, or ``default``."""
    value = config.get(key)
    if value is None:
        return tuple(default)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise PolicyConfigError(f"policy config {key} must be a list of strings, got {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise PolicyConfigError(f"policy config {key} must contain only strings, got {item!r}")
    return tuple(value)


def string_list_schema(
    description: str, default: Sequence[str], *, choices: Sequence[str] | None = None
) -> dict[str, Any]:
    """JSON schema of a list-of-strings config property, optionally limited to ``choices``."""
    items: dict[str, Any] = {"type": "string"}
    if choices is not None:
        items["enum"] = list(choices)
    return {
        "type": "array",
        "items": items,
        "description": description,
        "default": list(default),
    }


def number_schema(
    description: str, default: float, *, minimum: float | None = None, integer: bool = False
) -> dict[str, Any]:
    """JSON schema of a number config property."""
    schema: dict[str, Any] = {
        "type": "integer" if integer else "number",
        "description": description,
        "default": default,
    }
    if minimum is not None:
        schema["minimum"] = minimum
    return schema
