"""The decision log in PostgreSQL, for councils that run several server instances.

A multi-instance deployment needs both shared stores: this log (every instance records to one
place, and ``decisions export`` sees them all) and the Redis conversation store
(``bot.storage.redis``), so a conversation's next turn can land on any instance. The engine's
per-conversation lock is per process: two turns of one conversation handled by two instances at
the same moment (a double click routed to both) are not serialised, and the later ``put`` wins.
Sticky routing by conversation, where the load balancer offers it, closes that gap.

Driver: psycopg 3 rather than asyncpg. It ships its own type hints (mypy --strict with no
overrides), its pool (psycopg_pool) checks a connection before lending it, so a database
restart costs no failed decision, and it goes through libpq, so the URL means exactly what it
means to ``psql``: sslmode, service files, ``options=-csearch_path=...`` and ``PG*`` variables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from bot.models import DecisionRecord
from bot.storage import StorageError, redact_url, scrub

EXPORT_BATCH = 1000
POOL_SIZE = 10  # connections per instance; a record holds one for a single INSERT
CONNECT_TIMEOUT = 5  # seconds to reach the server, per connection attempt
WAIT_TIMEOUT = 10.0  # seconds a record waits for a connection before it fails

# The table is found through the connection's search_path, so a council (or a test run) can
# give the log its own schema with options=-csearch_path%3Dname in the URL. "user" is quoted:
# it is a reserved word in PostgreSQL.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    time TIMESTAMPTZ NOT NULL,
    channel TEXT NOT NULL,
    "user" TEXT NOT NULL,
    topic TEXT NOT NULL,
    answers JSONB NOT NULL,
    outcome TEXT NOT NULL,
    knowledge_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time, id);
"""
_COLUMNS = 'id, time, channel, "user", topic, answers, outcome, knowledge_version'
_INSERT = f"INSERT INTO decisions ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
# Keyset paging on (time, id): each batch starts after the last row of the one before, so
# rows sharing a timestamp are neither skipped nor repeated at a batch boundary.
_PAGE = f"SELECT {_COLUMNS} FROM decisions WHERE (time, id) > (%s, %s) ORDER BY time, id LIMIT %s"
_BEGINNING = dt.datetime.min.replace(tzinfo=dt.UTC)

Connection = psycopg.AsyncConnection[TupleRow]


class PostgresDecisionLog:
    """Decisions in one PostgreSQL table, written through a connection pool.

    Build it with ``await PostgresDecisionLog.open(url)``, which fails at once with a clear
    ``StorageError`` if the server can't be reached or the table can't be created.
    """

    def __init__(
        self, pool: AsyncConnectionPool[Connection], url: str, batch: int = EXPORT_BATCH
    ) -> None:
        self._pool = pool
        self._url = url
        self.batch = batch

    @classmethod
    async def open(
        cls, url: str, *, pool_size: int = POOL_SIZE, batch: int = EXPORT_BATCH
    ) -> PostgresDecisionLog:
        """Connect, create the table if absent, and open the pool."""
        try:
            # One direct connection first: a failure here carries the server's own reason,
            # where a pool that can't fill itself only reports a timeout.
            conn = await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            )
            async with conn:
                await conn.execute(_SCHEMA)
        except psycopg.Error as exc:
            raise StorageError(cls._explain(url, "can't open", exc)) from None
        pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            url,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
            min_size=1,
            max_size=pool_size,
            open=False,
            configure=_configure,
            check=AsyncConnectionPool.check_connection,
            timeout=WAIT_TIMEOUT,
            name="infoshare-decisions",
        )
        try:
            await pool.open(wait=True, timeout=WAIT_TIMEOUT)
        except psycopg.Error as exc:
            await pool.close()
            raise StorageError(cls._explain(url, "can't open", exc)) from None
        return cls(pool, url, batch)

    async def record(self, decision: DecisionRecord) -> None:
        """Insert the decision; returns once PostgreSQL has committed it to disk."""
        row = (
            decision.id,
            decision.time.astimezone(dt.UTC),
            decision.channel,
            decision.user,
            decision.topic,
            Jsonb(decision.answers),
            decision.outcome,
            decision.knowledge_version,
        )
        try:
            async with self._pool.connection() as conn:
                # Autocommit: the INSERT is its own transaction, committed (with
                # synchronous_commit on, see _configure) before execute returns.
                await conn.execute(_INSERT, row)
        except psycopg.Error as exc:
            raise StorageError(self._explain(self._url, "can't write to", exc)) from None

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]:
        """Decisions in time order, read in batches so a large log never sits in memory."""
        after: tuple[dt.datetime, str] = (since.astimezone(dt.UTC) if since else _BEGINNING, "")
        while True:
            rows = await self._read(after)
            for row in rows:
                yield _record(row)
            if len(rows) < self.batch:
                return
            after = (rows[-1][1], rows[-1][0])

    async def _read(self, after: tuple[dt.datetime, str]) -> list[TupleRow]:
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(_PAGE, (*after, self.batch))
                return await cursor.fetchall()
        except psycopg.Error as exc:
            raise StorageError(self._explain(self._url, "can't read", exc)) from None

    async def ping(self) -> None:
        try:
            async with self._pool.connection() as conn:
                await conn.execute("SELECT 1 FROM decisions LIMIT 1")
        except psycopg.Error as exc:
            raise StorageError(self._explain(self._url, "can't reach", exc)) from None

    async def close(self) -> None:
        await self._pool.close()

    @staticmethod
    def _explain(url: str, action: str, exc: psycopg.Error) -> str:
        reason = scrub(str(exc).strip(), url) or type(exc).__name__
        return f"{action} the decision log at {redact_url(url)}: {reason}"


async def _configure(conn: Connection) -> None:
    # A server set to synchronous_commit=off would acknowledge a decision before it is on
    # disk; the log asks for durable commits whatever the server's default.
    await conn.execute("SET synchronous_commit = on")


def _record(row: tuple[Any, ...]) -> DecisionRecord:
    id_, time, channel, user, topic, answers, outcome, version = row
    return DecisionRecord(
        id=id_,
        time=time.astimezone(dt.UTC),
        channel=channel,
        user=user,
        topic=topic,
        answers=[(question, choice) for question, choice in answers],
        outcome=outcome,
        knowledge_version=version,
    )
