"""A --db file keeps every committed completion across restarts, even after SIGKILL."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from pulumi_chatcomp.server.testing import LocalServer
from tests.server.server_helpers import user


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
