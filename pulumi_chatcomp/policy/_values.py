"""Plain property values, with unknown (preview-time) values made explicit.

pulumi-policy hands validators its own read-only proxies over the resource properties. During
``pulumi preview`` a value computed from another resource's output is *unknown*: the engine
sends a sentinel string (e.g. ``04da6b54-80e4-46f7-96ec-b56ff0331ba9`` for a string) and the
proxy raises ``pulumi_policy.proxy.UnknownValueError`` when the value is read, including
through ``in``, ``.get()`` and ``.items()``. ``plain`` copies the properties into ordinary
dicts and lists once, replacing each unknown value by ``UNKNOWN``, so validators are pure
functions over plain data that never trip over a proxy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeGuard

from pulumi_policy import Secret, proxy
from pulumi_policy.proxy import UnknownValueError

# pulumi-policy's sentinel for each kind of value unknown during preview (UNKNOWN_*_VALUE).
_SENTINELS: Final[frozenset[str]] = frozenset(
    getattr(proxy, name)
    for name in dir(proxy)
    if name.startswith("UNKNOWN_") and name.endswith("_VALUE")
)


class Unknown:
    """The type of ``UNKNOWN``: a property value that is not known until the update runs."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
"""Stands for a value that is unknown during preview.

>>> plain({"model": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"})
{'model': UNKNOWN}
"""


def is_unknown(value: object) -> bool:
    """Whether ``value`` is ``UNKNOWN``."""
    return value is UNKNOWN


def plain(value: Any) -> Any:
    """Copy ``value`` (properties as pulumi-policy passes them, or plain data) into plain data.

    Mappings become dicts, sequences (but not strings) become lists, unknown values become
    ``UNKNOWN`` and ``pulumi_policy.Secret`` wrappers are unwrapped.

    >>> plain({"messages": [{"role": "user", "content": "hi"}], "n": 1})
    {'messages': [{'role': 'user', 'content': 'hi'}], 'n': 1}
    """
    if isinstance(value, Secret):
        return plain(value.value)
    if isinstance(value, str):
        return UNKNOWN if value in _SENTINELS else value
    if isinstance(value, Mapping):
        # Iterating a proxy yields its keys without reading (and so without checking) values.
        return {key: _read(value, key) for key in value}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_read(value, index) for index in range(len(value))]
    return value


def _read(container: Any, key: Any) -> Any:
    try:
        item = container[key]
    except UnknownValueError:
        return UNKNOWN
    return plain(item)


def is_number(value: object) -> TypeGuard[int | float]:
    """Whether ``value`` is an int or float; bools are not numbers here."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def format_number(value: float) -> str:
    """Render a number the way a user wrote it: ``2000.0`` (protobuf's float) as ``2000``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


@dataclass(frozen=True)
class Findings:
    """What a validator found in one resource's (or the stack's) properties.

    ``violations`` are messages for the user; ``unknown`` names the properties (in the user's
    words, e.g. ``messages[1].content``) that could not be checked because their value is
    unknown during preview; ``unchecked`` says what could not be read at all, and why (a
    set's items file at a path the pack cannot see), which ``pulumi up`` cannot check either.

    >>> Findings(violations=["store is false"]).ok
    False
    """

    violations: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is nothing to report and nothing left unchecked."""
        return not self.violations and not self.unknown and not self.unchecked
