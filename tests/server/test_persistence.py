"""A --db file keeps every committed completion across restarts, even after SIGKILL, and a
file written before request messages had rows of their own still serves everything."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.server.helpers import OLD_STORE_IDS, user, write_old_store


@pytest.mark.parametrize(
    "stop_signal",
    [
        pytest.param(signal.SIGTERM, id="sigterm"),
        pytest.param(signal.SIGINT, id="sigint"),
        pytest.param(signal.SIGKILL, id="sigkill"),
    ],
)
def test_restart_keeps_completions(
    tmp_path: Path, chatcomp_server_factory: Callable[..., LocalServer], stop_signal: int
) -> None:
    db = tmp_path / "store.db"
    server = chatcomp_server_factory("--db", str(db))
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as sdk:
        ids = [
            sdk.chat.completions.create(
                model="gpt-4o", messages=user(f"q{i}"), store=True, metadata={"i": str(i)}
            ).id
            for i in range(5)
        ]
        sdk.chat.completions.update(ids[0], metadata={"i": "updated"})
        sdk.chat.completions.delete(ids[1])
        before = sdk.chat.completions.retrieve(ids[2])

    server.restart(sig=stop_signal)

    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as sdk:
        assert [c.id for c in sdk.chat.completions.list()] == [ids[0], *ids[2:]]
        assert sdk.chat.completions.retrieve(ids[0]).metadata == {"i": "updated"}
        assert sdk.chat.completions.retrieve(ids[2]) == before
        assert [m.content for m in sdk.chat.completions.messages.list(ids[3])] == ["q3"]
        with pytest.raises(openai.NotFoundError):
            sdk.chat.completions.retrieve(ids[1])


def test_clean_stop_checkpoints_the_wal(
    tmp_path: Path, chatcomp_server_factory: Callable[..., LocalServer]
) -> None:
    db = tmp_path / "store.db"
    server = chatcomp_server_factory("--db", str(db))
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test") as sdk:
        sdk.chat.completions.create(model="gpt-4o", messages=user("hi"), store=True)
    assert server.stop() is not None
    wal = tmp_path / "store.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM completions").fetchone()[0] == 1


def test_a_file_of_the_old_schema_still_serves_its_completions_and_messages(
    tmp_path: Path, chatcomp_server_factory: Callable[..., LocalServer]
) -> None:
    db = tmp_path / "old.db"
    write_old_store(db)
    first, deleted, third = OLD_STORE_IDS
    server = chatcomp_server_factory("--db", str(db))
    with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as sdk:
        assert [c.id for c in sdk.chat.completions.list()] == [first, third]
        assert [c.id for c in sdk.chat.completions.list(metadata={"team": "ml"})] == [first]
        stored = sdk.chat.completions.retrieve(first)
        assert (stored.model, stored.metadata) == ("gpt-4o", {"team": "ml"})
        assert (stored.choices[0].message.content or "").startswith("Thanks learn thanks")

        messages = list(sdk.chat.completions.messages.list(first, limit=2))
        assert [m.id for m in messages] == [f"{first}-{i}" for i in range(5)]
        assert [m.content for m in messages] == [
            "Be brief.",
            "What is a river?",
            None,
            "Flowing water.",
            "Thanks",
        ]
        parts = messages[1].content_parts or []
        assert [part.type for part in parts] == ["text", "text", "image_url"]
        assert messages[2].tool_calls is not None
        assert messages[2].tool_calls[0].id == "call_1"
        older = sdk.chat.completions.messages.list(first, order="desc", after=f"{first}-3")
        assert [m.id for m in older] == [f"{first}-2", f"{first}-1", f"{first}-0"]
        assert [m.content for m in sdk.chat.completions.messages.list(third)] == ["hello"]

        with pytest.raises(openai.NotFoundError):
            sdk.chat.completions.retrieve(deleted)
        with pytest.raises(openai.NotFoundError):
            sdk.chat.completions.messages.list(deleted)

        created = sdk.chat.completions.create(model="gpt-4o", messages=user("new"), store=True)
        assert [c.id for c in sdk.chat.completions.list()] == [first, third, created.id]
        assert [m.content for m in sdk.chat.completions.messages.list(created.id)] == ["new"]
