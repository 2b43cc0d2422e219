"""A ChatCompletionSet as the rules see it: every item a completion of its own.

An item's request is the set's shared fields with the item's own in their place, its
messages after the shared ones, its metadata over the shared metadata
(``core._sets.item_request``, the set's own rule). Each resource rule checks every item's
request as it checks a single completion (``check_set_items``), and names what it finds by
the item's key, as the set's check does: ``items["q-0042"].messages[1].content`` (an item's
messages are numbered after the shared ones). What every item inherits from the set is
reported once, for the set (``messages[0].content``); a finding many items share is
reported once, with their keys; past ``MAX_FINDINGS`` the rest are counted.

Items come from ``items`` and from ``items_file`` when the pack can read it: a string
asset, or a file asset with an absolute path. The engine hands a policy pack a file asset
as the program wrote it, and the pack runs in its own folder, not the program's, so a
relative path cannot be read here: the rules say so (``SetItems.unchecked``) rather than
pass those items unseen.

>>> found = set_items({"model": "gpt-4o-mini", "items": {"q-1": {"model": "gpt-4o"}}})
>>> [(item.path, item.request["model"]) for item in found.items]
[('items["q-1"]', 'gpt-4o')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pulumi

from pulumi_chatcomp.core._names import SET_TYPE_TOKEN
from pulumi_chatcomp.core._properties import REQUEST_NAMES
from pulumi_chatcomp.core._sets._items import item_request, shared_fields
from pulumi_chatcomp.core._sets._plan import item_path
from pulumi_chatcomp.policy._values import Findings, is_unknown

__all__ = [
    "CHAT_COMPLETION_SET_TYPE",
    "MAX_FINDINGS",
    "SetItem",
    "SetItems",
    "check_set_items",
    "set_items",
    "some_items",
]

CHAT_COMPLETION_SET_TYPE: Final = SET_TYPE_TOKEN
"""The type token of the provider plugin's ChatCompletionSet, which the rules also match."""

MAX_FINDINGS: Final = 10
"""Findings (and unknown paths) one rule lists for one set before it counts the rest: a
dataset with one mistake per item should not print ten thousand lines."""

# A path (or a message) that begins with one of the request's messages.
_MESSAGE = re.compile(r"^messages\[(\d+)\]")


@dataclass(frozen=True)
class SetItem:
    """One item of a set: its key, the request it makes, how many of its messages are the
    set's shared ones, and which request fields it sets itself."""

    key: str
    request: Mapping[str, Any]
    shared_messages: int = 0
    own: frozenset[str] = frozenset()

    @property
    def path(self) -> str:
        """The item as previews and errors name it: ``items["q-0042"]``."""
        return item_path(self.key)

    def named(self, path: str) -> str:
        """``path`` (of the item's request) in the set's words: the item's own part under
        the item's path, the part every item inherits as the set's.

        >>> item = SetItem("q-1", {}, shared_messages=1, own=frozenset({"messages"}))
        >>> item.named("messages[0].content"), item.named("messages[1].content")
        ('messages[0].content', 'items["q-1"].messages[1].content')
        """
        found = _MESSAGE.match(path)
        if found is not None:
            return path if int(found[1]) < self.shared_messages else f"{self.path}.{path}"
        top = re.split(r"[.\[ ]", path, maxsplit=1)[0]
        return f"{self.path}.{path}" if top in self.own else path


@dataclass
class SetItems:
    """A set's items as far as they can be read, and what could not be."""

    items: list[SetItem] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Parts unknown during preview (``items``, ``items["q-1"]``, ``items_file``)."""
    unchecked: list[str] = field(default_factory=list)
    """What cannot be read at all, and why (an items file at a relative path)."""


def set_items(props: Mapping[str, Any], *, owner: str = "") -> SetItems:
    """The items of a set whose properties (plain, in the API's names) are ``props``: from
    ``items``, then from ``items_file`` if the pack can read it (``owner``, the set's name,
    is named in what cannot be read). An item the set's check refuses (not an object, a bad
    or repeated key, a line that is not JSON) is left out: the provider fails the set
    before any of it is made."""
    found = SetItems()
    shared = shared_fields(props)
    prefix = shared.get("messages")
    shared_messages = len(prefix) if isinstance(prefix, list) else 0
    seen: set[str] = set()
    for key, fields in _raw_items(props, found, owner):
        if key in seen:
            continue
        seen.add(key)
        own = frozenset(fields) & REQUEST_NAMES
        found.items.append(SetItem(key, item_request(shared, fields), shared_messages, own))
    return found


def check_set_items(
    props: Mapping[str, Any], check: Callable[[Mapping[str, Any]], Findings]
) -> Findings:
    """Run ``check`` (a rule's check of one completion's request) on every item of the set
    whose properties are ``props``; its findings in the set's words.

    >>> props = {"model": "gpt-4o", "items": {"a": {}, "b": {"model": "gpt-4o-mini"}}}
    >>> def allowed(request):
    ...     bad = request["model"] != "gpt-4o-mini"
    ...     return Findings(violations=[f"model {request['model']!r}"] if bad else [])
    >>> check_set_items(props, allowed).violations
    ['items["a"]: model \\'gpt-4o\\'']
    """
    found = set_items(props)
    violations: dict[str, list[SetItem]] = {}
    unknown: dict[str, None] = dict.fromkeys(found.unknown)
    for item in found.items:
        findings = check(item.request)
        for message in findings.violations:
            # A message that begins with a message's path names it; any other is said of
            # the items that have it (their keys are added below).
            said = item.named(message) if _MESSAGE.match(message) else message
            violations.setdefault(said, []).append(item)
        for path in findings.unknown:
            unknown.setdefault(item.named(path))
    listed = [_with_keys(message, items, len(found.items)) for message, items in violations.items()]
    return Findings(
        violations=_capped(listed, "findings"),
        unknown=_capped(list(unknown), "parts"),
        unchecked=list(found.unchecked),
    )


def _with_keys(message: str, items: list[SetItem], total: int) -> str:
    if message.startswith("items["):
        return message  # it names its item already
    if total > 1 and len(items) == total:
        return f"all {total} items: {message}"
    return f"{some_items(items)}: {message}"


def some_items(items: list[SetItem]) -> str:
    """The first few items' paths, and how many more.

    >>> some_items([SetItem(f"q{n}", {}) for n in range(5)])
    'items["q0"], items["q1"], items["q2"] and 2 more'
    """
    shown = ", ".join(item.path for item in items[:3])
    more = len(items) - 3
    return shown + (f" and {more:,} more" if more > 0 else "")


def _capped(texts: list[str], what: str) -> list[str]:
    if len(texts) <= MAX_FINDINGS:
        return texts
    return [*texts[:MAX_FINDINGS], f"and {len(texts) - MAX_FINDINGS:,} more {what}"]


def _raw_items(
    props: Mapping[str, Any], found: SetItems, owner: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, fields) of each item the pack can read; what it cannot goes into ``found``."""
    items = props.get("items")
    if is_unknown(items):
        found.unknown.append("items")
    elif isinstance(items, Mapping):
        for key, fields in items.items():
            if is_unknown(fields):
                found.unknown.append(item_path(str(key)))
            elif isinstance(key, str) and isinstance(fields, Mapping):
                yield key, dict(fields)
    text = _file_text(props.get("items_file"), found, owner)
    for line in (text or "").splitlines():
        try:
            fields = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue
        if isinstance(fields, dict) and isinstance(fields.get("key"), str):
            yield fields.pop("key"), fields


def _file_text(asset: Any, found: SetItems, owner: str) -> str | None:
    if asset is None:
        return None
    if is_unknown(asset):
        found.unknown.append("items_file")
        return None
    where = "items_file" + (f" of {owner}" if owner else "")
    if isinstance(asset, pulumi.StringAsset):
        return str(asset.text)
    if isinstance(asset, pulumi.FileAsset):
        path = Path(str(asset.path))
        where = f"items_file {str(path)!r}" + (f" of {owner}" if owner else "")
        if not path.is_absolute():
            found.unchecked.append(
                f"{where} (a path relative to the program's folder, which a policy pack does "
                "not see: it runs in its own folder; give the file asset an absolute path to "
                "have its items checked)"
            )
            return None
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            found.unchecked.append(f"{where} ({reason}: its items are not checked)")
            return None
    found.unchecked.append(f"{where} (not a file or string asset: its items are not checked)")
    return None
