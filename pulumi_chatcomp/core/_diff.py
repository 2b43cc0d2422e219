"""``diff``: compare a ChatCompletion's prior state with the program's inputs, without I/O.

Only ``metadata`` updates in place; any other input change, ``triggers`` included, replaces
the completion (the new one is created before the old one is deleted). A value unknown
during preview counts as a change.

>>> diff_inputs({"model": "a", "metadata": {"k": "1"}}, {"model": "a", "metadata": {"k": "2"}})
InputDiff(changed=('metadata',), replaces=())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_chatcomp.core._properties import INPUT_NAMES, inputs_of

__all__ = ["InputDiff", "diff_inputs"]

_IN_PLACE = frozenset({"metadata"})
# Absent and these values mean the same thing to the API and to the provider.
_DEFAULTS: Mapping[str, Any] = {"store": True, "metadata": {}, "triggers": {}}


@dataclass(frozen=True)
class InputDiff:
    """Which inputs changed, and which of those force a new completion."""

    changed: tuple[str, ...]
    replaces: tuple[str, ...]


def diff_inputs(olds: Mapping[str, Any], news: Mapping[str, Any]) -> InputDiff:
    """The difference between prior state (inputs or outputs) and new inputs."""
    old, new = inputs_of(olds), inputs_of(news)
    changed = tuple(sorted(name for name in INPUT_NAMES if _value(old, name) != _value(new, name)))
    return InputDiff(changed, tuple(name for name in changed if name not in _IN_PLACE))


def _value(inputs: Mapping[str, Any], name: str) -> Any:
    return _normal(inputs.get(name, _DEFAULTS.get(name)))


def _normal(value: Any) -> Any:
    # State round-trips numbers through protobuf doubles: 2 and 2.0 are the same input.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value
