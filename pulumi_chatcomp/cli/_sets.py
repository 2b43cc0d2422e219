"""The stored completions of a stack's ChatCompletionSet, for ``chatcomp export --stack S
--set NAME``.

A set's members are the completions its state's results name. They are listed, not read one
by one: by the set's tag, which every completion the set made carries, and, for a set
adopted by ``pulumi import``, by its selector's metadata pairs, since what it adopted keeps
its own metadata. The lists are merged in creation order and kept to the members; a member
neither list finds (its metadata replaced out of band, or deleted since the last refresh)
is named when the listing ends.

    selection, settings = stack_set(args, query)
    listed = selection.listed(lambda q: client.list(**filters(q)), lambda c: c.id,
                              lambda c: c.created)
"""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi_chatcomp._exceptions import ChatCompError
from pulumi_chatcomp.cli._settings import settings_of
from pulumi_chatcomp.cli._stacks import Stack, named_set, provider_settings
from pulumi_chatcomp.core._reads import CompletionsQuery

if TYPE_CHECKING:
    from pulumi_chatcomp._config import Settings

__all__ = ["SetSelection", "filters", "stack_set"]

T = TypeVar("T")


@dataclass(frozen=True)
class SetSelection:
    """A set's members (their ids) and the lists that find them (the user's other filters
    applied to each)."""

    name: str
    ids: frozenset[str]
    queries: tuple[CompletionsQuery, ...]
    limit: int | None = None

    def listed(
        self,
        list_one: Callable[[CompletionsQuery], Iterable[T]],
        id_of: Callable[[T], str],
        created_of: Callable[[T], int],
        *,
        on_missing: Callable[[list[str]], object] = lambda ids: None,
    ) -> Iterator[T]:
        """The members the lists find, once each, in creation order (the queries' order),
        at most ``limit``; ``on_missing`` is given the members none found, at the end."""
        newest_first = any(query.order == "desc" for query in self.queries)
        merged = heapq.merge(
            *(list_one(query) for query in self.queries),
            key=created_of,
            reverse=newest_first,
        )
        seen: set[str] = set()

        def members() -> Iterator[T]:
            for item in merged:
                item_id = id_of(item)
                if item_id in self.ids and item_id not in seen:
                    seen.add(item_id)
                    yield item

        yield from itertools.islice(members(), self.limit)
        if self.limit is None or len(seen) < self.limit:
            missing = sorted(self.ids - seen)
            if missing:
                on_missing(missing)


def stack_set(args: argparse.Namespace, query: CompletionsQuery) -> tuple[SetSelection, Settings]:
    """The selection of the set ``args.set`` of stack ``args.stack`` (in ``args.cwd``),
    with ``query``'s other filters, and the settings of the provider the set uses
    (overlaid by the flags)."""
    from pulumi_chatcomp.core._sets._import import parse_selector

    # With secrets shown (kept in memory): the provider's settings may be secret.
    state = Stack(args.stack, args.cwd).export(show_secrets=True)
    found = named_set(state, args.set, stack=args.stack)
    outputs: Mapping[str, Any] = found.get("outputs") or {}
    results = outputs.get("results") or {}
    ids = frozenset(str(result["id"]) for result in results.values() if isinstance(result, Mapping))
    if not ids:
        raise ChatCompError(
            f"{args.set!r} of stack {args.stack!r} holds no completion yet: run pulumi up"
        )
    every = dataclasses.replace(query, limit=None)
    queries = []
    if outputs.get("tag"):
        queries.append(dataclasses.replace(every, set_tag=str(outputs["tag"])))
    if outputs.get("selector"):
        pairs = parse_selector(str(outputs["selector"])).pairs
        theirs = {**pairs, **(query.metadata or {})}
        if all(theirs.get(key) == value for key, value in pairs.items()):
            queries.append(dataclasses.replace(every, metadata=theirs))
    name = str(found.get("urn")).rsplit("::", 1)[-1]
    settings = settings_of(args, provider_settings(state, found.get("provider")))
    return SetSelection(name, ids, tuple(queries), query.limit), settings


def filters(query: CompletionsQuery) -> dict[str, Any]:
    """The client's list arguments for ``query``.

    >>> filters(CompletionsQuery.of(set_tag="t1", order="desc"))
    {'model': None, 'metadata': {'pulumi_chatcomp_set': 't1'}, 'order': 'desc', 'limit': None}
    """
    return {
        "model": query.model,
        "metadata": query.filters(),
        "order": query.order,
        "limit": query.limit,
    }
