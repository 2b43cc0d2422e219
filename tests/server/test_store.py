"""The SQLite store: both lists paged in SQL the same way; an old file gets message rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pulumi_chatcomp.server._store import (
    CompletionStore,
    Order,
    UnknownAfter,
    UnknownCompletion,
)
from tests.server.helpers import OLD_STORE_IDS, write_old_store

CONVERSATION = "chatcmpl-conversation"


@pytest.fixture
def store() -> Iterator[CompletionStore]:
    store = CompletionStore(":memory:")
    yield store
    store.close()


def _add(
    store: CompletionStore,
    completion_id: str,
    messages: int = 1,
    *,
    model: str = "gpt-4o",
    metadata: dict[str, str] | None = None,
) -> None:
    store.add(
        {"id": completion_id, "created": 1, "model": model},
        metadata or {},
        [{"role": "user", "content": f"m{i}"} for i in range(messages)],
    )


def _reference_page(
    count: int, after: int | None, limit: int, order: Order
) -> tuple[list[int], bool]:
    # The paging rule written plainly, for both lists' SQL to agree with.
    positions = list(range(count))
    if order == "desc":
        positions.reverse()
    if after is not None:
        positions = positions[positions.index(after) + 1 :]
    return positions[:limit], len(positions) > limit


def test_messages_come_in_request_order_or_reversed(store: CompletionStore) -> None:
    _add(store, CONVERSATION, 5)
    forward = store.messages_page(CONVERSATION)
    assert forward.items == [(i, {"role": "user", "content": f"m{i}"}) for i in range(5)]
    assert forward.has_more is False
    backward = store.messages_page(CONVERSATION, order="desc")
    assert [index for index, _ in backward.items] == [4, 3, 2, 1, 0]


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_both_lists_page_the_same_way(store: CompletionStore, order: Order, limit: int) -> None:
    for i in range(7):
        _add(store, f"chatcmpl-{i}")
    _add(store, CONVERSATION, 7, model="other")
    for after in (None, 0, 3, 6):
        expected = _reference_page(7, after, limit, order)
        completions = store.completions_page(
            model="gpt-4o",
            after=None if after is None else f"chatcmpl-{after}",
            limit=limit,
            order=order,
        )
        messages = store.messages_page(
            CONVERSATION,
            after=None if after is None else f"{CONVERSATION}-{after}",
            limit=limit,
            order=order,
        )
        positions = [int(c["id"].removeprefix("chatcmpl-")) for c in completions.items]
        assert (positions, completions.has_more) == expected
        assert ([index for index, _ in messages.items], messages.has_more) == expected


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize(
    ("model", "metadata"),
    [
        pytest.param(None, {"team": "ops"}, id="one-pair"),
        pytest.param(None, {"team": "ops", "stage": "b"}, id="two-pairs"),
        pytest.param("other", {"team": "ops"}, id="model-and-pair"),
        pytest.param(None, {"team": "nobody"}, id="no-match"),
    ],
)
def test_a_metadata_filter_pages_as_the_whole_list_filtered(
    store: CompletionStore, order: Order, model: str | None, metadata: dict[str, str]
) -> None:
    tags: dict[str, dict[str, str]] = {}
    for i in range(12):
        tags[f"chatcmpl-{i:02d}"] = {"team": ("ops", "ml")[i % 2], "stage": "ab"[i % 3 % 2]}
        _add(
            store,
            f"chatcmpl-{i:02d}",
            model=("gpt-4o", "other")[i % 4 == 0],
            metadata=tags[f"chatcmpl-{i:02d}"],
        )
    store.delete("chatcmpl-06")
    everything = store.completions_page(model=model, limit=100, order=order).items
    wanted = [c["id"] for c in everything if metadata.items() <= tags[c["id"]].items()]
    seen: list[str] = []
    after = None
    while True:
        page = store.completions_page(
            model=model, metadata=metadata, after=after, limit=2, order=order
        )
        seen += [c["id"] for c in page.items]
        if not page.has_more:
            break
        after = page.items[-1]["id"]
    assert seen == wanted


def test_messages_walk_page_by_page_after_the_last_id(store: CompletionStore) -> None:
    _add(store, CONVERSATION, 5)
    seen: list[int] = []
    more: list[bool] = []
    after = None
    while True:
        page = store.messages_page(CONVERSATION, after=after, limit=2)
        seen += [index for index, _ in page.items]
        more.append(page.has_more)
        if not page.has_more:
            break
        after = f"{CONVERSATION}-{page.items[-1][0]}"
    assert seen == [0, 1, 2, 3, 4]
    assert more == [True, True, False]


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(f"{CONVERSATION}-3", id="past-the-end"),
        pytest.param(f"{CONVERSATION}-01", id="leading-zero"),
        pytest.param(f"{CONVERSATION}-+1", id="sign"),
        pytest.param(f"{CONVERSATION}-", id="no-index"),
        pytest.param(f"{CONVERSATION}-{'9' * 30}", id="huge-index"),
        pytest.param(CONVERSATION, id="the-completion-id"),
        pytest.param("chatcmpl-other-0", id="another-completions-message"),
        pytest.param("nope", id="not-an-id"),
    ],
)
def test_messages_after_an_unknown_id_is_unknown_after(store: CompletionStore, after: str) -> None:
    _add(store, CONVERSATION, 3)
    _add(store, "chatcmpl-other", 3)
    with pytest.raises(UnknownAfter) as caught:
        store.messages_page(CONVERSATION, after=after)
    assert caught.value.after == after


def test_completions_after_an_unknown_id_is_unknown_after(store: CompletionStore) -> None:
    _add(store, "chatcmpl-0")
    with pytest.raises(UnknownAfter) as caught:
        store.completions_page(after="chatcmpl-missing")
    assert caught.value.after == "chatcmpl-missing"


def test_a_deleted_completion_has_no_messages(store: CompletionStore) -> None:
    _add(store, CONVERSATION, 3)
    store.delete(CONVERSATION)
    with pytest.raises(UnknownCompletion):
        store.messages_page(CONVERSATION)
    # The completion is looked up before the cursor, as for an unknown completion.
    with pytest.raises(UnknownCompletion):
        store.messages_page(CONVERSATION, after=f"{CONVERSATION}-0")
    with pytest.raises(UnknownCompletion):
        store.messages_page("chatcmpl-missing", after="nope")


def test_a_deleted_completion_keeps_its_place_to_page_after(store: CompletionStore) -> None:
    for i in range(4):
        _add(store, f"chatcmpl-{i}")
    store.delete("chatcmpl-1")
    page = store.completions_page(after="chatcmpl-1")
    assert [c["id"] for c in page.items] == ["chatcmpl-2", "chatcmpl-3"]
    page = store.completions_page(after="chatcmpl-1", order="desc")
    assert [c["id"] for c in page.items] == ["chatcmpl-0"]


def _columns(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_a_file_of_the_old_schema_gets_message_rows_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_old_store(path)
    assert "messages" in _columns(path, "completions")
    first, deleted, third = OLD_STORE_IDS

    store = CompletionStore(str(path))
    assert "messages" not in _columns(path, "completions")
    assert [c["id"] for c in store.completions_page().items] == [first, third]
    assert [c["id"] for c in store.completions_page(metadata={"team": "ops"}).items] == [third]
    assert store.get(first)["metadata"] == {"team": "ml"}
    messages: list[tuple[int, dict[str, Any]]] = store.messages_page(first).items
    assert [(index, m["role"]) for index, m in messages] == [
        (0, "system"),
        (1, "user"),
        (2, "assistant"),
        (3, "tool"),
        (4, "user"),
    ]
    assert messages[1][1]["name"] == "ann"
    assert messages[1][1]["content"][1] == {"type": "text", "text": " a river?"}
    assert messages[3][1] == {"role": "tool", "content": "Flowing water.", "tool_call_id": "call_1"}
    assert store.messages_page(third).items == [(0, {"role": "user", "content": "hello"})]
    with pytest.raises(UnknownCompletion):
        store.messages_page(deleted)
    _add(store, "chatcmpl-new", 2)
    store.close()

    # Opening it again finds nothing left to move and keeps everything.
    store = CompletionStore(str(path))
    assert [c["id"] for c in store.completions_page().items] == [first, third, "chatcmpl-new"]
    assert store.messages_page(first).items == messages
    assert len(store.messages_page("chatcmpl-new").items) == 2
    store.close()
