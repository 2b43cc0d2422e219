"""Lazy iteration over the API's cursor pages (``data``, ``has_more``; the next page is
``after=<last id>``).

Both list calls (stored completions and their messages) share ``iterate_pages``; it holds one
page at a time, so memory stays constant however many items the user walks through.

>>> from types import SimpleNamespace as Item
>>> pages = {None: ([Item(id="a"), Item(id="b")], True), "b": ([Item(id="c")], False)}
>>> [item.id for item in iterate_pages(lambda after, size: pages[after], limit=None)]
['a', 'b', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from pulumi_chatcomp.models._lists import MAX_PAGE_SIZE, check_limit

__all__ = ["FetchPage", "HasId", "iterate_pages"]


class HasId(Protocol):
    """Anything with a string ``id``, which is what the next page's ``after`` cursor names."""

    @property
    def id(self) -> str: ...


ItemT = TypeVar("ItemT", bound=HasId)

FetchPage = Callable[[str | None, int], tuple[Sequence[ItemT], bool]]
"""``fetch(after, page_size) -> (items, has_more)``: one request for one page."""


def iterate_pages(fetch: FetchPage[ItemT], *, limit: int | None) -> Iterator[ItemT]:
    """Yield items page by page, fetching the next page only when the caller wants more.

    ``limit`` caps the total number of items yielded (None: all of them); each page asks for
    ``min(remaining, MAX_PAGE_SIZE)`` items (the largest page the API serves, for the fewest
    round trips). Stops when the server says ``has_more`` is false,
    sends an empty page, or repeats a cursor (so a faulty server cannot loop us forever).
    """
    remaining = check_limit(limit)
    after: str | None = None
    while remaining is None or remaining > 0:
        page_size = MAX_PAGE_SIZE if remaining is None else min(remaining, MAX_PAGE_SIZE)
        items, has_more = fetch(after, page_size)
        for item in items:
            yield item
            if remaining is not None:
                remaining -= 1
                if remaining == 0:
                    return
        if not has_more or not items or items[-1].id == after:
            return
        after = items[-1].id
