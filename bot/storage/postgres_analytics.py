"""The analytics dashboard's counts in PostgreSQL, the same as ``bot.storage.sqlite_analytics``
(one definition of each count, in SQL each database can run), through a small pool of its own.

Indexes carry the counted columns (INCLUDE), so the counts can be index-only scans once
autovacuum has visited: questions by (kind, time), the questions the assistant could not help
with and the undecided flows by partial indexes holding only those, decisions by time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.analytics import NO_TOPIC, Filters
from bot.storage.postgres import _SCHEMA as DECISIONS_SCHEMA
from bot.storage.postgres import PooledStore, open_pool
from bot.storage.postgres_queries import _SCHEMA as QUERIES_SCHEMA
from bot.storage.sqlite_analytics import by_day, where

POOL_SIZE = 2  # a few analysts, one count at a time each
_WHAT = "the analytics"
INDEXES = """
CREATE INDEX IF NOT EXISTS queries_counts ON queries (kind, time) INCLUDE (channel, topic);
CREATE INDEX IF NOT EXISTS queries_gaps ON queries (time) INCLUDE (channel, topic, text)
    WHERE kind = 'question' AND NOT helped;
CREATE INDEX IF NOT EXISTS decisions_counts ON decisions (time) INCLUDE (channel, topic, outcome);
CREATE INDEX IF NOT EXISTS flows_open ON flows (updated) INCLUDE (started, channel, topic, question)
    WHERE outcome IS NULL;
"""
_DAY = "(time AT TIME ZONE 'UTC')::date"


class PostgresAnalytics(PooledStore):
    """Build it with ``await PostgresAnalytics.open(url)``, which fails at once with a clear
    ``StorageError`` if the server can't be reached or the indexes can't be made."""

    what = _WHAT

    @classmethod
    async def open(cls, url: str, *, pool_size: int = POOL_SIZE) -> PostgresAnalytics:
        schema = DECISIONS_SCHEMA + QUERIES_SCHEMA + INDEXES
        return cls(await open_pool(url, schema, "analytics", _WHAT, pool_size), url)

    async def questions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        clause, args = _where(filters, "time", "kind = 'question'")
        sql = f"SELECT time, channel, count(*) FROM queries WHERE {clause} GROUP BY time, channel"
        rows = await self._read(sql, args)
        return by_day((hour.astimezone(dt.UTC).date(), channel, n) for hour, channel, n in rows)

    async def decisions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        clause, args = _where(filters, "time")
        sql = f"SELECT {_DAY}, channel, count(*) FROM decisions WHERE {clause} GROUP BY 1, 2"
        return [(day, channel, n) for day, channel, n in await self._read(sql, args)]

    async def topics(self, filters: Filters) -> list[tuple[str, int]]:
        clause, args = _where(filters, "time", "kind = 'question'")
        sql = f"SELECT topic, count(*) FROM queries WHERE {clause} GROUP BY topic"
        return [(topic or NO_TOPIC, n) for topic, n in await self._read(sql, args)]

    async def outcomes(self, filters: Filters) -> list[tuple[str, str, int]]:
        clause, args = _where(filters, "time")
        sql = (
            f"SELECT topic, outcome, count(*) FROM decisions WHERE {clause} GROUP BY topic, outcome"
        )
        return [(topic, outcome, n) for topic, outcome, n in await self._read(sql, args)]

    async def gaps(self, filters: Filters, limit: int) -> list[tuple[str, int]]:
        clause, args = _where(filters, "time", "kind = 'question' AND NOT helped")
        # One spelling of each (the first in byte order) and ties in byte order, as SQLite.
        sql = (
            f'SELECT min(text COLLATE "C"), count(*) AS n FROM queries WHERE {clause} '
            "GROUP BY lower(text) ORDER BY n DESC, 1 LIMIT %s"
        )
        return [(text, n) for text, n in await self._read(sql, [*args, limit])]

    async def abandoned(self, filters: Filters, before: dt.datetime) -> list[tuple[str, str, int]]:
        clause, args = _where(filters, "started", "outcome IS NULL AND updated < %s")
        sql = f"SELECT topic, question, count(*) FROM flows WHERE {clause} GROUP BY 1, 2"
        rows = await self._read(sql, [before.astimezone(dt.UTC), *args])
        return [(topic, question, n) for topic, question, n in rows]

    async def _read(self, sql: str, args: list[Any]) -> list[Any]:
        async with self._connection("can't read") as conn:
            return await (await conn.execute(sql, args)).fetchall()


def _where(filters: Filters, time: str, first: str = "") -> tuple[str, list[Any]]:
    return where(filters, time, first, "%s", lambda moment: moment.astimezone(dt.UTC))
