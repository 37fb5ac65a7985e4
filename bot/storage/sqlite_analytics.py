"""The analytics dashboard's counts over the SQLite file: the query log, the flow progress and
the decision log, read through a connection of its own that only reads.

Each count is one GROUP BY that an index covers, so SQLite reads the index and never the
table, mostly in the order it groups by: questions by (kind, time, ...) for the weeks and
(kind, topic, ...) for the topics; the questions it could not help with through a partial
index holding only those; decisions by (time, ...) and (topic, outcome, ...); undecided flows
through a partial index. Questions are grouped by their stored hour (no function per row) and
summed into days here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.analytics import NO_TOPIC, Filters
from bot.storage import StorageError
from bot.storage.sqlite import _SCHEMA as DECISIONS_SCHEMA
from bot.storage.sqlite import connect
from bot.storage.sqlite_queries import _SCHEMA as QUERIES_SCHEMA

_WHAT = "the analytics"
INDEXES = """
CREATE INDEX IF NOT EXISTS queries_counts ON queries (kind, time, channel, topic);
CREATE INDEX IF NOT EXISTS queries_topics ON queries (kind, topic, time, channel);
CREATE INDEX IF NOT EXISTS queries_gaps ON queries (time, channel, topic, text)
    WHERE kind = 'question' AND helped = 0;
CREATE INDEX IF NOT EXISTS decisions_counts ON decisions (time, channel, topic, outcome);
CREATE INDEX IF NOT EXISTS decisions_outcomes ON decisions (topic, outcome, time, channel);
CREATE INDEX IF NOT EXISTS flows_open ON flows (updated, started, channel, topic, question)
    WHERE outcome IS NULL;
"""
CACHE_KIB = 32 * 1024  # page cache per connection: the counting indexes stay in memory
READERS = 2  # connections: WAL lets them count at once, one per core of a small server


class SqliteAnalytics:
    def __init__(self, path: Path, readers: int = READERS) -> None:
        self.path = path
        schema = DECISIONS_SCHEMA + QUERIES_SCHEMA + INDEXES
        self._all = [connect(path, schema if n == 0 else "", _WHAT) for n in range(readers)]
        self._free: asyncio.Queue[sqlite3.Connection] = asyncio.Queue()
        for db in self._all:
            db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            db.execute("PRAGMA query_only = 1")  # counts only: never a write from here
            self._free.put_nowait(db)

    async def questions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        where, args = _where(filters, "time", "kind = 'question'")
        sql = f"SELECT time, channel, count(*) FROM queries WHERE {where} GROUP BY time, channel"
        rows = await self._read(sql, args)
        return by_day((dt.date.fromisoformat(hour[:10]), channel, n) for hour, channel, n in rows)

    async def decisions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        where, args = _where(filters, "time")
        sql = (
            f"SELECT substr(time, 1, 10), channel, count(*) FROM decisions WHERE {where} "
            "GROUP BY 1, 2"
        )
        rows = await self._read(sql, args)
        return [(dt.date.fromisoformat(day), channel, n) for day, channel, n in rows]

    async def topics(self, filters: Filters) -> list[tuple[str, int]]:
        where, args = _where(filters, "time", "kind = 'question'")
        # GROUP BY the column itself, not an expression of it, so the index's order serves.
        sql = f"SELECT topic, count(*) FROM queries WHERE {where} GROUP BY topic"
        return [(topic or NO_TOPIC, n) for topic, n in await self._read(sql, args)]

    async def outcomes(self, filters: Filters) -> list[tuple[str, str, int]]:
        where, args = _where(filters, "time")
        sql = (
            f"SELECT topic, outcome, count(*) FROM decisions WHERE {where} GROUP BY topic, outcome"
        )
        return [(topic, outcome, n) for topic, outcome, n in await self._read(sql, args)]

    async def gaps(self, filters: Filters, limit: int) -> list[tuple[str, int]]:
        # The partial index's own condition, written out, so SQLite can use it, and named:
        # with no statistics the planner would pick queries_counts and read the table.
        where, args = _where(filters, "time", "kind = 'question' AND helped = 0")
        sql = (
            f"SELECT min(text), count(*) AS n FROM queries INDEXED BY queries_gaps "
            f"WHERE {where} GROUP BY lower(text) ORDER BY n DESC, 1 LIMIT ?"
        )
        return [(text, n) for text, n in await self._read(sql, [*args, limit])]

    async def abandoned(self, filters: Filters, before: dt.datetime) -> list[tuple[str, str, int]]:
        where, args = _where(filters, "started", "outcome IS NULL AND updated < ?")
        sql = f"SELECT topic, question, count(*) FROM flows WHERE {where} GROUP BY 1, 2"
        rows = await self._read(sql, [_iso(before), *args])
        return [(topic, question, n) for topic, question, n in rows]

    async def close(self) -> None:
        for _ in self._all:  # each once it is free: a count in progress finishes first
            (await self._free.get()).close()

    async def _read(self, sql: str, args: Sequence[Any]) -> list[Any]:
        db = await self._free.get()  # one count per connection at a time

        def read() -> list[Any]:
            try:
                return db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise StorageError(f"can't read {_WHAT} at {self.path}: {exc}") from None

        try:
            return await asyncio.to_thread(read)
        finally:
            self._free.put_nowait(db)


def by_day(hours: Iterable[tuple[dt.date, str, int]]) -> list[tuple[dt.date, str, int]]:
    """Counts by hour and channel summed into days: a few thousand rows at most (24 a day), so
    the database groups by the stored hour and never computes a day for each record."""
    days: dict[tuple[dt.date, str], int] = defaultdict(int)
    for day, channel, n in hours:
        days[day, channel] += n
    return [(day, channel, n) for (day, channel), n in sorted(days.items())]


def _where(filters: Filters, time: str, first: str = "") -> tuple[str, list[Any]]:
    return where(filters, time, first, "?", _iso)


def where(
    filters: Filters, time: str, first: str, mark: str, moment: Callable[[dt.datetime], Any]
) -> tuple[str, list[Any]]:
    """The WHERE clause (and its arguments, after any of ``first``'s) for ``filters`` on a
    table whose time column is ``time``, with the driver's parameter ``mark`` and times as
    ``moment`` gives them."""
    parts = [first] if first else []
    args: list[Any] = []
    if filters.since is not None:
        parts.append(f"{time} >= {mark}")
        args.append(moment(filters.since))
    if filters.until is not None:
        parts.append(f"{time} < {mark}")
        args.append(moment(filters.until))
    for column in ("channel", "topic"):
        value = getattr(filters, column)
        if value is not None:
            parts.append(f"{column} = {mark}")
            args.append(value)
    return " AND ".join(parts) or "TRUE", args


def _iso(time: dt.datetime) -> str:
    return time.astimezone(dt.UTC).isoformat()
