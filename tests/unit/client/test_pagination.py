"""Lazy cursor pagination (pulumi_chatcomp.client._pages)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pulumi_chatcomp.client._pages import MAX_PAGE_SIZE, check_limit, iterate_pages


@dataclass(frozen=True)
class Item:
    id: str


class Server:
    """A fake list endpoint over `total` items that records every page request."""

    def __init__(self, total: int) -> None:
        self.items = [Item(f"item-{n:04d}") for n in range(total)]
        self.requests: list[tuple[str | None, int]] = []

    def fetch(self, after: str | None, page_size: int) -> tuple[list[Item], bool]:
        self.requests.append((after, page_size))
        start = 0 if after is None else [item.id for item in self.items].index(after) + 1
        page = self.items[start : start + page_size]
        return page, start + page_size < len(self.items)


@pytest.mark.parametrize(
    ("total", "limit", "expected_items", "expected_requests"),
    [
        pytest.param(0, None, 0, 1, id="empty"),
        pytest.param(5, None, 5, 1, id="one-page"),
        pytest.param(250, None, 250, 3, id="many-pages"),
        pytest.param(250, 7, 7, 1, id="limit-inside-first-page"),
        pytest.param(250, 150, 150, 2, id="limit-spans-pages"),
        pytest.param(3, 10, 3, 1, id="limit-above-total"),
        pytest.param(200, 200, 200, 2, id="limit-exactly-two-pages"),
    ],
)
def test_items_and_requests(
    total: int, limit: int | None, expected_items: int, expected_requests: int
) -> None:
    server = Server(total)
    items = list(iterate_pages(server.fetch, limit=limit))
    assert items == server.items[:expected_items]
    assert len(server.requests) == expected_requests


def test_page_size_shrinks_to_what_the_limit_leaves() -> None:
    server = Server(1000)
    list(iterate_pages(server.fetch, limit=130))
    assert server.requests == [(None, MAX_PAGE_SIZE), ("item-0099", 30)]


def test_pages_are_fetched_only_when_needed() -> None:
    server = Server(300)
    items = iterate_pages(server.fetch, limit=None)
    assert server.requests == []
    next(items)
    assert len(server.requests) == 1
    for _ in range(MAX_PAGE_SIZE - 1):
        next(items)
    assert len(server.requests) == 1
    next(items)
    assert len(server.requests) == 2


def test_server_sending_more_than_asked_is_capped_by_limit() -> None:
    def fetch(after: str | None, page_size: int) -> tuple[list[Item], bool]:
        return [Item(str(n)) for n in range(50)], False

    assert len(list(iterate_pages(fetch, limit=3))) == 3


@pytest.mark.parametrize(
    "page",
    [
        pytest.param([], id="empty-page-with-has-more"),
        pytest.param([Item("same")], id="repeated-cursor"),
    ],
)
def test_a_faulty_server_cannot_loop_forever(page: list[Item]) -> None:
    calls = 0

    def fetch(after: str | None, page_size: int) -> tuple[list[Item], bool]:
        nonlocal calls
        calls += 1
        return page, True

    list(iterate_pages(fetch, limit=None))
    assert calls <= 2


@pytest.mark.parametrize("limit", [-1, 0, 1.5, True, "10"])
def test_bad_limit_names_the_argument(limit: object) -> None:
    with pytest.raises(ValueError, match="limit must be"):
        check_limit(limit)  # type: ignore[arg-type]
