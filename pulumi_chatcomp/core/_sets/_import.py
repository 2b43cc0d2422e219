"""Adopting stored completions as a ChatCompletionSet: ``pulumi import`` by a selector.

A selector says which completions make the set and what keys them: the name of the
metadata value that holds each item's key, then, after a colon, the metadata pairs every
item has (``name=value``, comma-separated)::

    item:dataset=evals,split=test

adopts every stored completion whose metadata has ``dataset=evals`` and ``split=test``,
each under the key its ``item`` value gives; one without an ``item`` value is left out.
The set's inputs are rebuilt as a program would write them: what every item shares
(model, metadata pairs, a first run of messages) once, the rest per item; each item's
fingerprint is the one that program's check gives, so the ``up`` after an import
plans nothing.

>>> parse_selector("item:dataset=evals,split=test")
Selector(key='item', pairs={'dataset': 'evals', 'split': 'test'})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp.client._idempotency import RESERVED_METADATA_KEYS
from pulumi_chatcomp.core._operations import adopted_inputs
from pulumi_chatcomp.core._sets._items import MAX_ITEMS, expand
from pulumi_chatcomp.core._sets._run import result_of

if TYPE_CHECKING:
    from pulumi_chatcomp.client import ChatCompletionsClient
    from pulumi_chatcomp.models import ChatCompletion

__all__ = ["SELECTOR_FORM", "Selector", "adopt", "parse_selector"]

SELECTOR_FORM = "<key name>:<name>=<value>[,<name>=<value>...]"
"""How a selector is written, for messages."""

_DUPLICATES_SHOWN = 3


@dataclass(frozen=True)
class Selector:
    """Which stored completions a set adopts: those whose metadata holds every pair of
    ``pairs`` and a ``key`` value, which names the item."""

    key: str
    pairs: dict[str, str]

    def matches(self, metadata: Mapping[str, str]) -> bool:
        """Whether a completion with this (user) metadata is one of the set's items."""
        return self.key in metadata and all(metadata.get(k) == v for k, v in self.pairs.items())


def parse_selector(text: str) -> Selector:
    """The selector ``text`` names (a ``pulumi import`` id), or ``ChatCompError`` saying what
    is wrong with it."""
    key, _, filters = text.partition(":")
    key = key.strip()
    pairs: dict[str, str] = {}
    problem = None if key else "it names no metadata key for the items' keys"
    if "=" in key:
        problem = (
            f"it begins with a pair, {key!r}, where it names the metadata key whose values "
            "are the items' keys"
        )
    for pair in filter(None, (part.strip() for part in filters.split(","))):
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            problem = f"{pair!r} is not a name=value metadata pair"
            break
        pairs[name.strip()] = value.strip()
    reserved = sorted({key, *pairs}.intersection(RESERVED_METADATA_KEYS))
    if problem is None and reserved:
        problem = f"the metadata key {reserved[0]!r} is reserved by pulumi-chatcomp"
    if problem is not None:
        raise ChatCompError(
            f"the import id {text!r} is not a selector: {problem}. Write {SELECTOR_FORM}, "
            "for example item:dataset=evals (each item keyed by its metadata value "
            "`item`, among the completions whose metadata has dataset=evals)"
        )
    return Selector(key, pairs)


def adopt(
    client: ChatCompletionsClient, selector_text: str, *, concurrency: int
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The inputs of the set the selector picks and each item's result: one paged list of
    the completions, then each one's messages (``concurrency`` at a time)."""
    selector = parse_selector(selector_text)
    completions = [
        c
        for c in client.list(metadata=selector.pairs or None, order="asc")
        if selector.matches(c.metadata or {})
    ]
    _check_adoptable(selector, selector_text, completions)
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="import") as pool:
        adopted = list(
            pool.map(lambda c: adopted_inputs(client, c.id, c.model, c.metadata), completions)
        )
    keys = [str((c.metadata or {})[selector.key]) for c in completions]
    inputs = _as_written(dict(zip(keys, adopted, strict=True)))
    items, problems = expand(inputs)
    if problems:
        raise ChatCompError(
            f"the completions {selector_text!r} selects cannot be a set's items: "
            + problems[0].message
        )
    by_key = dict(zip(keys, completions, strict=True))
    return inputs, {
        item.key: result_of(item.request, by_key[item.key], item.fingerprint) for item in items
    }


def _check_adoptable(selector: Selector, text: str, completions: Sequence[ChatCompletion]) -> None:
    if not completions:
        wanted = [f"{k}={v}" for k, v in selector.pairs.items()]
        raise ChatCompError(
            f"no stored completion matches the selector {text!r}: none has a "
            f"{selector.key!r} value in its metadata"
            + (f" with {', '.join(wanted)}" if wanted else "")
        )
    if len(completions) > MAX_ITEMS:
        raise ChatCompError(
            f"the selector {text!r} matches {len(completions)} completions; a set holds at "
            f"most {MAX_ITEMS}: narrow it with another metadata pair"
        )
    seen: dict[str, list[str]] = {}
    for completion in completions:
        seen.setdefault(str((completion.metadata or {})[selector.key]), []).append(completion.id)
    twice = {key: ids for key, ids in seen.items() if len(ids) > 1}
    if twice:
        shown = [f"{key!r} ({', '.join(ids)})" for key, ids in sorted(twice.items())]
        more = len(shown) - _DUPLICATES_SHOWN
        raise ChatCompError(
            f"the selector {text!r} gives {len(twice)} key{'s' if len(twice) > 1 else ''} to "
            f"more than one completion: {'; '.join(shown[:_DUPLICATES_SHOWN])}"
            + (f"; and {more} more" if more > 0 else "")
            + ". A set keeps one completion per key: delete the extra ones, or choose a "
            "key name whose values are unique"
        )


def _as_written(adopted: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The set's inputs as a person would write them for these items' requests: a field
    every item has alike is shared, metadata pairs too, and the messages they all begin
    with (when each item has more of its own)."""
    requests = list(adopted.values())
    shared: dict[str, Any] = {}
    models = {r.get("model") for r in requests}
    if len(models) == 1 and None not in models:
        shared["model"] = requests[0]["model"]
    common = _common_pairs([r.get("metadata") or {} for r in requests])
    if common:
        shared["metadata"] = common
    messages = [r.get("messages") or [] for r in requests]
    prefix = _common_prefix(messages) if len(requests) > 1 else []
    if prefix:
        shared["messages"] = prefix
    items: dict[str, Any] = {}
    for key, request in sorted(adopted.items()):
        item: dict[str, Any] = {"messages": list(request.get("messages") or [])[len(prefix) :]}
        item |= {
            name: value
            for name, value in request.items()
            if name not in ("messages", "metadata", "store") and name not in shared
        }
        own = {k: v for k, v in (request.get("metadata") or {}).items() if k not in common}
        if own:
            item["metadata"] = own
        items[key] = item
    return {**shared, "items": items}


def _common_pairs(metadata: Sequence[Mapping[str, str]]) -> dict[str, str]:
    first, *rest = metadata
    return {k: v for k, v in first.items() if all(m.get(k) == v for m in rest)}


def _common_prefix(messages: Sequence[Sequence[Mapping[str, Any]]]) -> list[Mapping[str, Any]]:
    # Only a prefix that leaves every item a message of its own.
    shortest = min(len(m) for m in messages) - 1
    prefix: list[Mapping[str, Any]] = []
    for index in range(max(0, shortest)):
        first = messages[0][index]
        if any(m[index] != first for m in messages[1:]):
            break
        prefix.append(first)
    return prefix
