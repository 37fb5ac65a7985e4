"""The anonymised query log in the decision log's SQLite file, in a table of its own.

Its own connection to the file, through the decision log's helpers (WAL, the same busy
timeout). Only redacted text ever reaches this table: ``bot.engine`` redacts first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path

from bot.models import FlowProgress, QueryRecord
from bot.storage.sqlite import EXPORT_BATCH, T, connect, transaction

_WHAT = "the query log"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id TEXT PRIMARY KEY,
    time TEXT NOT NULL,
    channel TEXT NOT NULL,
    user TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT,
    confidence REAL,
    helped INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_time ON queries (time);
CREATE TABLE IF NOT EXISTS flows (
    id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS flows_updated ON flows (updated);
CREATE TABLE IF NOT EXISTS query_log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = "id, time, channel, user, text, kind, topic, confidence, helped"
_INSERT = f"INSERT INTO queries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_PAGE = (
    f"SELECT {_COLUMNS} FROM queries WHERE time >= ? AND (time, id) > (?, ?) "
    "ORDER BY time, id LIMIT ?"
)
_PURGE = "DELETE FROM queries WHERE time < ?"
_PROGRESS = (
    "INSERT INTO flows (id, started, channel, topic, question, outcome, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET question = excluded.question, "
    "outcome = excluded.outcome, updated = excluded.updated"
)
_PURGE_FLOWS = "DELETE FROM flows WHERE updated < ?"
_AMEND = "UPDATE queries SET text = ? WHERE id = ?"
_RULES = "SELECT value FROM query_log_meta WHERE name = 'redacted with'"
_MARK = (
    "INSERT INTO query_log_meta (name, value) VALUES ('redacted with', ?) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)

Row = tuple[str, str, str, str, str, str, str | None, float | None, int]


class SqliteQueryLog:
    def __init__(self, path: Path, batch: int = EXPORT_BATCH) -> None:
        self.path = path
        self.batch = batch
        self._lock = threading.Lock()
        self._db = connect(path, _SCHEMA, _WHAT)

    async def record(self, query: QueryRecord) -> None:
        row = (
            query.id,
            _iso(query.time),
            query.channel,
            query.user,
            query.text,
            query.kind,
            query.topic,
            query.confidence,
            int(query.helped),
        )

        def insert() -> None:
            self._db.execute(_INSERT, row)

        await asyncio.to_thread(self._write, insert)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[QueryRecord]:
        """Records in time order, read in batches so a large log never sits in memory."""
        after = ("", "")
        floor = _iso(since) if since else ""
        while True:
            rows = await asyncio.to_thread(self._read, floor, after)
            for row in rows:
                yield _record(row)
            if len(rows) < self.batch:
                return
            after = (rows[-1][1], rows[-1][0])

    async def progress(self, flows: Sequence[FlowProgress]) -> None:
        rows = [(flow.id, _iso(flow.started), flow.channel, flow.topic, flow.question,
                 flow.outcome, _iso(flow.updated)) for flow in flows]  # fmt: skip

        def upsert() -> None:
            self._db.executemany(_PROGRESS, rows)

        await asyncio.to_thread(self._write, upsert)

    async def purge(self, before: dt.datetime) -> int:
        def delete() -> int:
            gone = self._db.execute(_PURGE, (_iso(before),)).rowcount
            return gone + self._db.execute(_PURGE_FLOWS, (_iso(before),)).rowcount

        return await asyncio.to_thread(self._write, delete)

    async def amend(self, texts: Mapping[str, str]) -> set[str]:
        def update() -> set[str]:
            return {
                id_ for id_, text in texts.items() if self._db.execute(_AMEND, (text, id_)).rowcount
            }

        return await asyncio.to_thread(self._write, update)

    async def redacted_with(self) -> str | None:
        def read() -> str | None:
            with self._lock:
                row = self._db.execute(_RULES).fetchone()
            return None if row is None else str(row[0])

        return await asyncio.to_thread(read)

    async def mark_redacted_with(self, version: str) -> None:
        def mark() -> None:
            self._db.execute(_MARK, (version,))

        await asyncio.to_thread(self._write, mark)

    async def ping(self) -> None:
        def check() -> None:
            with self._lock:
                self._db.execute("SELECT 1 FROM queries LIMIT 1").fetchall()

        await asyncio.to_thread(check)

    async def close(self) -> None:
        with self._lock:
            self._db.close()

    def _read(self, floor: str, after: tuple[str, str]) -> list[Row]:
        with self._lock:
            return self._db.execute(_PAGE, (floor, *after, self.batch)).fetchall()

    def _write(self, work: Callable[[], T]) -> T:
        with self._lock:
            return transaction(self._db, _WHAT, work)


def _iso(time: dt.datetime) -> str:
    return time.astimezone(dt.UTC).isoformat()


def _record(row: Row) -> QueryRecord:
    id_, time, channel, user, text, kind, topic, confidence, helped = row
    return QueryRecord(
        id=id_,
        time=dt.datetime.fromisoformat(time),
        channel=channel,
        user=user,
        text=text,
        kind=kind,
        topic=topic,
        confidence=confidence,
        helped=bool(helped),
    )
