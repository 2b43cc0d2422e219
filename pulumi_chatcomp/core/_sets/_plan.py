"""What an ``up`` does to a set's items, decided locally from fingerprints: no API call.

Each item of the program is compared with what the set's state says of it (its
``results``: the completion's id and the fingerprint it was made from):

- a key the state does not have is **created**;
- a key whose request changed (the first part of the fingerprint, which also moves with the
  set's ``triggers`` and the item's ``regenerate``) is **replaced**: a new completion, then
  the old one deleted;
- a key whose metadata alone changed is **updated** in place;
- a key the program no longer has is **deleted**;
- the rest stay as they are.

An item still unknown during a preview (its prompt made from another resource's output)
counts as replaced, or created when new, as a single completion's unknown input does.

>>> old = {"a": {"id": "chatcmpl-1", "fingerprint": "r1.m1"}}
>>> plan(old, [Item("a", {}, "r1.m2"), Item("b", {}, "r2.m1")]).update
('a',)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_chatcomp.core._sets._items import Item

__all__ = ["Change", "SetPlan", "item_path", "plan"]

Change = Literal["create", "replace", "update", "delete"]


@dataclass(frozen=True)
class SetPlan:
    """The keys an ``up`` creates, replaces, updates and deletes; how many stay."""

    create: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()
    same: int = 0

    @property
    def changed(self) -> bool:
        """Whether the ``up`` changes any item."""
        return bool(self.create or self.replace or self.update or self.delete)

    def changes(self) -> dict[str, Change]:
        """Each changing item's path (``items["q-0042"]``) and what happens to it."""
        kinds: tuple[tuple[Change, tuple[str, ...]], ...] = (
            ("create", self.create),
            ("replace", self.replace),
            ("update", self.update),
            ("delete", self.delete),
        )
        return {item_path(key): kind for kind, keys in kinds for key in keys}


def plan(results: Mapping[str, Mapping[str, Any]], items: Sequence[Item]) -> SetPlan:
    """The plan that takes the set from ``results`` (its state) to ``items``."""
    create: list[str] = []
    replace: list[str] = []
    update: list[str] = []
    same = 0
    for item in items:
        old = results.get(item.key)
        if old is None:
            create.append(item.key)
            continue
        made, _, metadata = str(old.get("fingerprint") or "").partition(".")
        if item.fingerprint is None:
            replace.append(item.key)
            continue
        new_made, _, new_metadata = item.fingerprint.partition(".")
        if new_made != made:
            replace.append(item.key)
        elif new_metadata != metadata:
            update.append(item.key)
        else:
            same += 1
    wanted = {item.key for item in items}
    delete = tuple(key for key in results if key not in wanted)
    return SetPlan(tuple(create), tuple(replace), tuple(update), delete, same)


def item_path(key: str) -> str:
    """The property path of an item, as previews and errors name it.

    >>> item_path("q-0042")
    'items["q-0042"]'
    """
    return f"items[{json.dumps(key)}]"
