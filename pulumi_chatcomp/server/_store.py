"""SQLite storage of stored completions and their request messages.

One connection guarded by a lock: SQLite serialises writers anyway, each statement takes
microseconds, and a single connection is the only way an in-memory database is shared
between the threads Starlette runs blocking work on.

Durability: the database runs in WAL mode and every write commits before the route answers.
``synchronous=NORMAL`` (the default here) writes each commit to the WAL without an fsync, so
a committed completion survives the server being killed (SIGKILL included: the data is in
the OS page cache and reaches the file); only an OS crash or power loss can lose the last
commits. ``synchronous=FULL`` (``--synchronous full``) fsyncs every commit and survives
those too, at the cost of a disk flush per write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

Order = Literal["asc", "desc"]
Synchronous = Literal["normal", "full"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS completions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    model TEXT NOT NULL,
    completion TEXT NOT NULL,
    metadata TEXT NOT NULL,
    messages TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS completion_metadata (
    seq INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (seq, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS completion_metadata_kv ON completion_metadata (key, value, seq);
CREATE INDEX IF NOT EXISTS completions_model ON completions (model, seq);
"""


class UnknownCompletion(LookupError):
    """No stored (and undeleted) completion has this id."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool


class CompletionStore:
    """Stored completions in SQLite (a file, or ``":memory:"``).

    >>> store = CompletionStore(":memory:")
    >>> store.count()
    0
    >>> store.close()
    """

    def __init__(self, path: str = ":memory:", *, synchronous: Synchronous = "normal") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous.upper()}")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self._closed = False

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self.path != ":memory:":
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()

    def add(
        self,
        completion: Mapping[str, Any],
        metadata: Mapping[str, str],
        messages: Sequence[Mapping[str, Any]],
    ) -> None:
        with self._write():
            cursor = self._db.execute(
                "INSERT INTO completions (id, created, model, completion, metadata, messages)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    completion["id"],
                    completion["created"],
                    completion["model"],
                    json.dumps(completion),
                    json.dumps(dict(metadata)),
                    json.dumps(list(messages)),
                ),
            )
            self._write_metadata(cursor.lastrowid, metadata)

    def get(self, completion_id: str) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute(
                "SELECT completion, metadata FROM completions WHERE id = ? AND deleted = 0",
                (completion_id,),
            ).fetchone()
        if row is None:
            raise UnknownCompletion(completion_id)
        return _with_metadata(row[0], row[1])

    def set_metadata(self, completion_id: str, metadata: Mapping[str, str]) -> dict[str, Any]:
        """Replace the whole metadata map; returns the updated completion."""
        with self._write():
            row = self._db.execute(
                "SELECT seq, completion FROM completions WHERE id = ? AND deleted = 0",
                (completion_id,),
            ).fetchone()
            if row is None:
                raise UnknownCompletion(completion_id)
            seq, completion = row
            encoded = json.dumps(dict(metadata))
            self._db.execute("UPDATE completions SET metadata = ? WHERE seq = ?", (encoded, seq))
            self._db.execute("DELETE FROM completion_metadata WHERE seq = ?", (seq,))
            self._write_metadata(seq, metadata)
        return _with_metadata(completion, encoded)

    def delete(self, completion_id: str) -> None:
        # A tombstone keeps the row's position so that `after=<deleted id>` still pages on.
        with self._write():
            cursor = self._db.execute(
                "UPDATE completions SET deleted = 1, completion = '{}', messages = '[]'"
                " WHERE id = ? AND deleted = 0",
                (completion_id,),
            )
            if cursor.rowcount == 0:
                raise UnknownCompletion(completion_id)
            self._db.execute(
                "DELETE FROM completion_metadata WHERE seq ="
                " (SELECT seq FROM completions WHERE id = ?)",
                (completion_id,),
            )

    def page(
        self,
        *,
        model: str | None = None,
        metadata: Mapping[str, str] | None = None,
        after: str | None = None,
        limit: int = 20,
        order: Order = "asc",
    ) -> Page:
        where = ["c.deleted = 0"]
        args: list[Any] = []
        if model is not None:
            where.append("c.model = ?")
            args.append(model)
        for key, value in (metadata or {}).items():
            where.append(
                "EXISTS (SELECT 1 FROM completion_metadata m"
                " WHERE m.seq = c.seq AND m.key = ? AND m.value = ?)"
            )
            args += [key, value]
        with self._lock:
            if after is not None:
                row = self._db.execute(
                    "SELECT seq FROM completions WHERE id = ?", (after,)
                ).fetchone()
                if row is None:
                    raise UnknownCompletion(after)
                where.append("c.seq > ?" if order == "asc" else "c.seq < ?")
                args.append(row[0])
            direction = "ASC" if order == "asc" else "DESC"
            rows = self._db.execute(
                f"SELECT c.completion, c.metadata FROM completions c WHERE {' AND '.join(where)}"
                f" ORDER BY c.seq {direction} LIMIT ?",
                [*args, limit + 1],
            ).fetchall()
        items = [_with_metadata(completion, meta) for completion, meta in rows[:limit]]
        return Page(items, has_more=len(rows) > limit)

    def messages(self, completion_id: str) -> list[dict[str, Any]]:
        with self._lock:
            row = self._db.execute(
                "SELECT messages FROM completions WHERE id = ? AND deleted = 0", (completion_id,)
            ).fetchone()
        if row is None:
            raise UnknownCompletion(completion_id)
        messages: list[dict[str, Any]] = json.loads(row[0])
        return messages

    def count(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT count(*) FROM completions WHERE deleted = 0").fetchone()
        return int(row[0])

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write_metadata(self, seq: int | None, metadata: Mapping[str, str]) -> None:
        self._db.executemany(
            "INSERT INTO completion_metadata (seq, key, value) VALUES (?, ?, ?)",
            [(seq, key, value) for key, value in metadata.items()],
        )


def _with_metadata(completion: str, metadata: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(completion)
    result["metadata"] = json.loads(metadata)
    return result
