"""The decision log and the conversation references in SQLite: WAL mode, ``synchronous=FULL``,
so a recorded decision (or a kept reference) survives a power cut the moment the call returns.

Each store has its own connection to the one file, opened once: the engine owns the log (the
terminal and ``decisions export`` use it with no server), the server owns the references. WAL
lets the two (and a second instance on the same file) read while the other writes; writes take
the file's lock in turn, waiting up to ``busy_timeout``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.models import DecisionRecord
from bot.storage import StorageError as StorageError  # re-exported: adapters import it from here

SCHEMA_VERSION = 2  # 2: decisions.revises
EXPORT_BATCH = 1000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    channel TEXT NOT NULL,
    user TEXT NOT NULL,
    topic TEXT NOT NULL,
    answers TEXT NOT NULL,
    outcome TEXT NOT NULL,
    knowledge_version TEXT NOT NULL,
    revises TEXT
);
CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time);
"""
_COLUMNS = "id, time, channel, user, topic, answers, outcome, knowledge_version, revises"
_MARKS = ", ".join("?" * len(_COLUMNS.split(",")))
# What Teams needs to reach a conversation, as JSON text; ``updated`` is ISO 8601 UTC.
_REFERENCES_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation_references (
    key TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
_TABLE = "conversation_references"
_KEEP = (
    f"INSERT INTO {_TABLE} (key, reference, updated) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, updated = excluded.updated"
)
_GET = f"SELECT reference FROM {_TABLE} WHERE key = ?"
_DELETE = f"DELETE FROM {_TABLE} WHERE key = ?"
# keyset paging by key; the first page (the flag set) starts from the beginning
_PAGE = f"SELECT key, reference FROM {_TABLE} WHERE key > ? OR ? ORDER BY key LIMIT ?"
T = TypeVar("T")


def connect(path: Path, schema: str, what: str) -> sqlite3.Connection:
    """A connection to the file at ``path`` with ``schema`` in place, for use from worker
    threads under a lock of the caller's; raises StorageError naming ``what`` it is for."""
    db = None
    try:
        _create_private(path)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.executescript(schema)
    except sqlite3.Error as exc:
        if db is not None:
            db.close()
        raise StorageError(f"can't open {what} at {path}: {exc}") from None
    return db


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, as the pseudonym key is: it holds
    the decision log and the redacted query log. SQLite gives its -wal and -shm files the same
    permissions. A file that exists already is left as its owner set it."""
    if str(path) == ":memory:" or path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another connection created it first
    except OSError as exc:
        raise sqlite3.OperationalError(f"unable to create database file: {exc.strerror}") from None


def transaction(db: sqlite3.Connection, what: str, work: Callable[[], T]) -> T:
    """``work`` in one write transaction, committed (to disk) before this returns. BEGIN
    IMMEDIATE takes the write lock first, so another connection can't change what ``work``
    reads before it writes."""
    try:
        db.execute("BEGIN IMMEDIATE")
        done = work()
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise StorageError(f"can't write to {what}: {exc}") from None
    return done


class SqliteDecisionLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path, _SCHEMA, "the decision log")
        _upgrade(self._db, path)

    async def record(self, decision: DecisionRecord) -> None:
        row = (
            decision.id,
            decision.time.astimezone(dt.UTC).isoformat(),
            decision.channel,
            decision.user,
            decision.topic,
            json.dumps(decision.answers),
            decision.outcome,
            decision.knowledge_version,
            decision.revises,
        )
        await asyncio.to_thread(self._write, row)

    def _write(self, row: tuple[str | None, ...]) -> None:
        def insert() -> None:
            self._db.execute(f"INSERT INTO decisions ({_COLUMNS}) VALUES ({_MARKS})", row)

        with self._lock:
            transaction(self._db, "the decision log", insert)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]:
        """Decisions in time order, read in batches so a large log never sits in memory."""
        after = ("", "")
        floor = since.astimezone(dt.UTC).isoformat() if since else ""
        while True:
            rows = await asyncio.to_thread(self._read, floor, after)
            for row in rows:
                yield _record(row)
            if len(rows) < EXPORT_BATCH:
                return
            after = (rows[-1][1], rows[-1][0])

    def _read(self, floor: str, after: tuple[str, str]) -> list[tuple[str, ...]]:
        with self._lock:
            return self._db.execute(
                f"SELECT {_COLUMNS} FROM decisions WHERE time >= ? AND (time, id) > (?, ?) "
                "ORDER BY time, id LIMIT ?",
                (floor, after[0], after[1], EXPORT_BATCH),
            ).fetchall()

    async def ping(self) -> None:
        def check() -> None:
            with self._lock:
                self._db.execute("SELECT 1 FROM decisions LIMIT 1").fetchall()

        await asyncio.to_thread(check)

    async def close(self) -> None:
        with self._lock:
            self._db.close()


class SqliteReferences:
    """``ConversationReferences`` in the SQLite file: one row per conversation the app is in."""

    def __init__(self, path: Path, batch: int = EXPORT_BATCH) -> None:
        self.path = path
        self.batch = batch
        self._lock = threading.Lock()
        self._db = connect(path, _REFERENCES_SCHEMA, "the conversation references")

    async def put(self, key: str, reference: dict[str, Any]) -> bool:
        row = (key, json.dumps(reference), dt.datetime.now(dt.UTC).isoformat())

        def keep() -> bool:
            known = self._db.execute(_GET, (key,)).fetchone()
            self._db.execute(_KEEP, row)
            return known is None

        return await asyncio.to_thread(self._write, keep)

    async def get(self, key: str) -> dict[str, Any] | None:
        def read() -> list[tuple[str]]:
            with self._lock:
                return self._db.execute(_GET, (key,)).fetchall()

        found = await asyncio.to_thread(read)
        return _reference(found[0][0]) if found else None

    async def delete(self, key: str) -> bool:
        def forget() -> bool:
            return self._db.execute(_DELETE, (key,)).rowcount > 0

        return await asyncio.to_thread(self._write, forget)

    async def all(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        after: str | None = None
        while True:
            rows = await asyncio.to_thread(self._page, after)
            for key, reference in rows:
                yield key, _reference(reference)
            if len(rows) < self.batch:
                return
            after = rows[-1][0]

    def _page(self, after: str | None) -> list[tuple[str, str]]:
        with self._lock:
            return self._db.execute(_PAGE, (after or "", after is None, self.batch)).fetchall()

    def _write(self, work: Callable[[], T]) -> T:
        with self._lock:
            return transaction(self._db, "the conversation references", work)

    async def close(self) -> None:
        with self._lock:
            self._db.close()


def _reference(text: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(text)
    return found


def _upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Bring a log written by an earlier version up to this schema, in place."""
    try:
        columns = {row[1] for row in db.execute("PRAGMA table_info(decisions)")}
        if "revises" not in columns:
            db.execute("ALTER TABLE decisions ADD COLUMN revises TEXT")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        db.close()
        raise StorageError(f"can't upgrade the decision log at {path}: {exc}") from None


def _record(row: tuple[str, ...]) -> DecisionRecord:
    id_, time, channel, user, topic, answers, outcome, version, revises = row
    return DecisionRecord(
        id=id_,
        time=dt.datetime.fromisoformat(time),
        channel=channel,
        user=user,
        topic=topic,
        answers=[tuple(pair) for pair in json.loads(answers)],
        outcome=outcome,
        knowledge_version=version,
        revises=revises,
    )
