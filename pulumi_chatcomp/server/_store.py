"""SQLite storage of stored completions, their metadata and their request messages.

One connection guarded by a lock: SQLite serialises writers anyway, each statement takes
microseconds, and a single connection is the only way an in-memory database is shared
between the threads Starlette runs blocking work on.

Durability: the database runs in WAL mode and every write commits before the route answers.
``synchronous=NORMAL`` (the default here) writes each commit to the WAL without an fsync, so
a committed completion survives the server being killed (SIGKILL included: the data is in
the OS page cache and reaches the file); only an OS crash or power loss can lose the last
commits. ``synchronous=FULL`` (``--synchronous full``) fsyncs every commit and survives
those too, at the cost of a disk flush per write.

Both lists page the same way, in SQL: by a row's position (a completion's ``seq``, a
message's index), starting past the ``after`` cursor, ``limit`` rows plus one to tell
``has_more``. A database written before messages had their own table (a JSON ``messages``
column on ``completions``) is moved to the table when it is opened.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypedDict, TypeVar

from pulumi_chatcomp.models._lists import Order
from pulumi_chatcomp.server._ids import message_index

Synchronous = Literal["normal", "full"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS completions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    model TEXT NOT NULL,
    completion TEXT NOT NULL,
    metadata TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS completion_messages (
    seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (seq, idx)
) WITHOUT ROWID;
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


class UnknownAfter(LookupError):
    """A list's ``after`` cursor names nothing in that list."""

    def __init__(self, after: str) -> None:
        super().__init__(after)
        self.after = after


_T = TypeVar("_T")


@dataclass(frozen=True)
class Page(Generic[_T]):
    """One page of a list, and whether more items follow it."""

    items: list[_T]
    has_more: bool


class PageQuery(TypedDict, total=False):
    """What selects a page of either list (the defaults are the list methods')."""

    after: str | None
    limit: int
    order: Order


class CompletionsQuery(PageQuery, total=False):
    """What selects a page of the completions list: the filters too."""

    model: str | None
    metadata: Mapping[str, str] | None


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
        self._move_messages_column()
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
                "INSERT INTO completions (id, created, model, completion, metadata)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    completion["id"],
                    completion["created"],
                    completion["model"],
                    json.dumps(completion),
                    json.dumps(dict(metadata)),
                ),
            )
            seq = cursor.lastrowid
            self._write_metadata(seq, metadata)
            self._db.executemany(
                "INSERT INTO completion_messages (seq, idx, message) VALUES (?, ?, ?)",
                [(seq, index, json.dumps(message)) for index, message in enumerate(messages)],
            )

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
            seq = self._seq(completion_id)
            self._db.execute(
                "UPDATE completions SET deleted = 1, completion = '{}' WHERE seq = ?", (seq,)
            )
            self._db.execute("DELETE FROM completion_metadata WHERE seq = ?", (seq,))
            self._db.execute("DELETE FROM completion_messages WHERE seq = ?", (seq,))

    def completions_page(
        self,
        *,
        model: str | None = None,
        metadata: Mapping[str, str] | None = None,
        after: str | None = None,
        limit: int = 20,
        order: Order = "asc",
    ) -> Page[dict[str, Any]]:
        """Undeleted completions in creation order, optionally of one model and metadata."""
        select, key = "SELECT c.completion, c.metadata FROM completions c", "c.seq"
        where = ["c.deleted = 0"]
        args: list[Any] = []
        pairs = list((metadata or {}).items())
        if pairs:
            # The first pair drives the query from its index, in creation order, so a page
            # costs its own rows however many completions are stored (a look-up by create
            # token, say, which exactly-once creates send beside every create).
            select += " JOIN completion_metadata m0 ON m0.seq = c.seq"
            where = ["m0.key = ?", "m0.value = ?", *where]
            args += list(pairs[0])
            key = "m0.seq"
        if model is not None:
            where.append("c.model = ?")
            args.append(model)
        for pair in pairs[1:]:
            where.append(
                "EXISTS (SELECT 1 FROM completion_metadata m"
                " WHERE m.seq = c.seq AND m.key = ? AND m.value = ?)"
            )
            args += list(pair)
        with self._lock:
            position = None
            if after is not None:
                row = self._db.execute(
                    "SELECT seq FROM completions WHERE id = ?", (after,)
                ).fetchone()
                if row is None:
                    raise UnknownAfter(after)
                position = row[0]
            rows, has_more = self._page(
                select,
                where,
                args,
                key=key,
                after=position,
                limit=limit,
                order=order,
            )
        return Page([_with_metadata(completion, meta) for completion, meta in rows], has_more)

    def messages_page(
        self,
        completion_id: str,
        *,
        after: str | None = None,
        limit: int = 20,
        order: Order = "asc",
    ) -> Page[tuple[int, dict[str, Any]]]:
        """A stored completion's request messages as ``(index, message)``, in request order.

        ``after`` is a message id (``<completion_id>-<index>``) of this completion.
        """
        with self._lock:
            seq = self._seq(completion_id)
            position = None
            if after is not None:
                position = message_index(completion_id, after)
                if position is None or not self._has_message(seq, position):
                    raise UnknownAfter(after)
            rows, has_more = self._page(
                "SELECT idx, message FROM completion_messages",
                ["seq = ?"],
                [seq],
                key="idx",
                after=position,
                limit=limit,
                order=order,
            )
        return Page([(index, json.loads(message)) for index, message in rows], has_more)

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

    def _seq(self, completion_id: str) -> int:
        row = self._db.execute(
            "SELECT seq FROM completions WHERE id = ? AND deleted = 0", (completion_id,)
        ).fetchone()
        if row is None:
            raise UnknownCompletion(completion_id)
        seq: int = row[0]
        return seq

    def _has_message(self, seq: int, index: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM completion_messages WHERE seq = ? AND idx = ?", (seq, index)
        ).fetchone()
        return row is not None

    def _page(
        self,
        select: str,
        where: list[str],
        args: list[Any],
        *,
        key: str,
        after: int | None,
        limit: int,
        order: Order,
    ) -> tuple[list[Any], bool]:
        # The one paging rule of both lists: rows past the `after` position in `order`, and
        # one row more than `limit` to know whether another page follows.
        if after is not None:
            where = [*where, f"{key} > ?" if order == "asc" else f"{key} < ?"]
            args = [*args, after]
        direction = "ASC" if order == "asc" else "DESC"
        rows = self._db.execute(
            f"{select} WHERE {' AND '.join(where)} ORDER BY {key} {direction} LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        return rows[:limit], len(rows) > limit

    def _move_messages_column(self) -> None:
        # Files written before completion_messages kept each completion's request messages
        # as a JSON array in completions.messages: move them to rows, once, on open.
        if not self._has_messages_column():
            return
        with self._write():
            if not self._has_messages_column():  # another process moved them meanwhile
                return
            for seq, messages in self._db.execute(
                "SELECT seq, messages FROM completions WHERE deleted = 0"
            ).fetchall():
                self._db.executemany(
                    "INSERT INTO completion_messages (seq, idx, message) VALUES (?, ?, ?)",
                    [(seq, i, json.dumps(m)) for i, m in enumerate(json.loads(messages))],
                )
            self._db.execute("ALTER TABLE completions DROP COLUMN messages")

    def _has_messages_column(self) -> bool:
        columns = self._db.execute("PRAGMA table_info(completions)").fetchall()
        return any(column[1] == "messages" for column in columns)

    def _write_metadata(self, seq: int | None, metadata: Mapping[str, str]) -> None:
        self._db.executemany(
            "INSERT INTO completion_metadata (seq, key, value) VALUES (?, ?, ?)",
            [(seq, key, value) for key, value in metadata.items()],
        )


def _with_metadata(completion: str, metadata: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(completion)
    result["metadata"] = json.loads(metadata)
    return result
