"""Property values between the engine's wire form and the core's plain JSON, and their names.

The core works on plain values; the engine sends ``PropertyValue``s. Two things need care:
numbers always arrive as floats (``5`` comes back ``5.0``), so whole ones become ints again;
and a value unknown during a preview is Pulumi's unknown sentinel string, which the core
already recognises (``core._properties.contains_unknown``), and which is what a preview's
unknown outputs are sent back as. Secrets are not accepted by this provider (``configure``
says so), so the engine sends plain values and keeps the secretness of each property itself.

>>> plain({"n": PropertyValue(2.0), "temperature": PropertyValue(0.5)})
{'n': 2, 'temperature': 0.5}

``renamed`` renames a property map's keys with a ``Shape`` of ``_casing`` (the schema's
camelCase, the API's snake_case) and leaves every value's secretness, dependencies and
unknown-ness as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pulumi
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime.rpc import UNKNOWN

from pulumi_chatcomp.plugin._casing import Form, Shape

__all__ = ["UNKNOWN_VALUE", "plain", "renamed", "wire"]

UNKNOWN_VALUE: Final = PropertyValue(UNKNOWN)
"""A value unknown during a preview, as the engine reads it back."""


def plain(properties: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """The plain JSON of a property map (nulls kept, as the core expects)."""
    return {key: _plain(value) for key, value in properties.items()}


def wire(properties: Mapping[str, Any]) -> dict[str, PropertyValue]:
    """The property map of plain JSON (nulls left out: the engine reads absent as null)."""
    return {key: _wire(value) for key, value in properties.items() if value is not None}


def _plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    if isinstance(inner, list | tuple):
        return [_plain(item) for item in inner]
    if isinstance(inner, Mapping):
        return {key: _plain(item) for key, item in inner.items()}
    return inner


def _wire(value: Any) -> PropertyValue:
    if isinstance(value, PropertyValue):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return PropertyValue(value)
    if isinstance(value, int | float):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({key: _wire(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_wire(item) for item in value])
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        return PropertyValue(value)  # a set's items file: kept in state as the engine sent it
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def renamed(
    properties: Mapping[str, PropertyValue], shape: Shape, form: Form
) -> dict[str, PropertyValue]:
    """A property map whose keys (and its values' keys) ``shape`` names, renamed to ``form``.

    >>> from pulumi_chatcomp.plugin._casing import package_names
    >>> shape = package_names().resource
    >>> renamed({"maxTokens": PropertyValue(5.0, is_secret=True)}, shape, "api")
    {'max_tokens': PropertyValue(is_secret=True, dependencies=frozenset(), value=5.0)}
    """
    found: dict[str, PropertyValue] = {}
    for key, value in properties.items():
        name, inner = shape.child(key, form)
        found[name] = _renamed(value, inner, form)
    return found


def _renamed(value: PropertyValue, shape: Shape | None, form: Form) -> PropertyValue:
    inner = value.value
    if shape is None or isinstance(inner, Computed | str) or inner is None:
        return value
    if isinstance(inner, Mapping):
        return value.with_value(renamed(inner, shape, form))
    if isinstance(inner, list | tuple):
        element = shape.element()
        return value.with_value([_renamed(item, element, form) for item in inner])
    return value
