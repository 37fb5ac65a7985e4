"""The anonymised query log in the decision log's PostgreSQL database, in a table of its own,
through a small pool of its own (``bot.storage.postgres.open_pool``). Only redacted text ever
reaches this table: ``bot.engine`` redacts first."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from bot.models import FlowProgress, QueryRecord
from bot.storage.postgres import EXPORT_BATCH, PooledStore, open_pool

POOL_SIZE = 4  # one short INSERT per typed message; a slow write never holds up a turn long
_WHAT = "the query log"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id TEXT PRIMARY KEY,
    time TIMESTAMPTZ NOT NULL,
    channel TEXT NOT NULL,
    "user" TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT,
    confidence DOUBLE PRECISION,
    helped BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_time ON queries (time, id);
CREATE TABLE IF NOT EXISTS flows (
    id TEXT PRIMARY KEY,
    started TIMESTAMPTZ NOT NULL,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS flows_updated ON flows (updated);
CREATE TABLE IF NOT EXISTS query_log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = 'id, time, channel, "user", text, kind, topic, confidence, helped'
_INSERT = f"INSERT INTO queries ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
_PAGE = f"SELECT {_COLUMNS} FROM queries WHERE (time, id) > (%s, %s) ORDER BY time, id LIMIT %s"
_PURGE = "DELETE FROM queries WHERE time < %s"
_PROGRESS = (
    "INSERT INTO flows (id, started, channel, topic, question, outcome, updated) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
    "question = excluded.question, outcome = excluded.outcome, updated = excluded.updated"
)
_PURGE_FLOWS = "DELETE FROM flows WHERE updated < %s"
_AMEND = "UPDATE queries SET text = %s WHERE id = %s"
_RULES = "SELECT value FROM query_log_meta WHERE name = 'redacted with'"
_MARK = (
    "INSERT INTO query_log_meta (name, value) VALUES ('redacted with', %s) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)


class PostgresQueryLog(PooledStore):
    """Build it with ``await PostgresQueryLog.open(url)``, which fails at once with a clear
    ``StorageError`` if the server can't be reached or the table can't be created."""

    what = _WHAT

    @classmethod
    async def open(
        cls, url: str, *, pool_size: int = POOL_SIZE, batch: int = EXPORT_BATCH
    ) -> PostgresQueryLog:
        return cls(await open_pool(url, _SCHEMA, "queries", _WHAT, pool_size), url, batch)

    async def record(self, query: QueryRecord) -> None:
        row = (
            query.id,
            query.time.astimezone(dt.UTC),
            query.channel,
            query.user,
            query.text,
            query.kind,
            query.topic,
            query.confidence,
            query.helped,
        )
        async with self._connection("can't write to") as conn:
            await conn.execute(_INSERT, row)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[QueryRecord]:
        """Records in time order, read in batches so a large log never sits in memory."""
        async for row in self._in_time_order(_PAGE, since):
            yield _record(row)

    async def progress(self, flows: Sequence[FlowProgress]) -> None:
        rows = [(flow.id, flow.started.astimezone(dt.UTC), flow.channel, flow.topic,
                 flow.question, flow.outcome, flow.updated.astimezone(dt.UTC))
                for flow in flows]  # fmt: skip
        async with self._connection("can't write to") as conn, conn.cursor() as cursor:
            await cursor.executemany(_PROGRESS, rows)

    async def purge(self, before: dt.datetime) -> int:
        cutoff = (before.astimezone(dt.UTC),)
        async with self._connection("can't write to") as conn, conn.transaction():
            gone = (await conn.execute(_PURGE, cutoff)).rowcount
            return gone + (await conn.execute(_PURGE_FLOWS, cutoff)).rowcount

    async def amend(self, texts: Mapping[str, str]) -> set[str]:
        found = set()
        async with self._connection("can't write to") as conn, conn.transaction():
            for id_, text in texts.items():
                if (await conn.execute(_AMEND, (text, id_))).rowcount:
                    found.add(id_)
        return found

    async def redacted_with(self) -> str | None:
        async with self._connection("can't read") as conn:
            row = await (await conn.execute(_RULES)).fetchone()
        return None if row is None else str(row[0])

    async def mark_redacted_with(self, version: str) -> None:
        async with self._connection("can't write to") as conn:
            await conn.execute(_MARK, (version,))

    async def ping(self) -> None:
        async with self._connection("can't reach") as conn:
            await conn.execute("SELECT 1 FROM queries LIMIT 1")


def _record(row: tuple[Any, ...]) -> QueryRecord:
    id_, time, channel, user, text, kind, topic, confidence, helped = row
    return QueryRecord(
        id=id_,
        time=time.astimezone(dt.UTC),
        channel=channel,
        user=user,
        text=text,
        kind=kind,
        topic=topic,
        confidence=confidence,
        helped=helped,
    )
