"""The decision log and the conversation references in PostgreSQL, for councils that run
several server instances.

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

Each store opens its own pool, once, as in ``bot.storage.sqlite``: the engine owns the log, the
server owns the references. The references' pool is small: installs are rare, and a reminder
reads them a page at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from bot.models import DecisionRecord
from bot.storage import StorageError, redact_url, scrub

EXPORT_BATCH = 1000
POOL_SIZE = 10  # connections per instance; a record holds one for a single INSERT
REFERENCES_POOL_SIZE = 2  # installs are rare; a reminder reads a page at a time
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
    knowledge_version TEXT NOT NULL,
    revises TEXT
);
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS revises TEXT;
CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time, id);
"""
_COLUMNS = 'id, time, channel, "user", topic, answers, outcome, knowledge_version, revises'
_INSERT = f"INSERT INTO decisions ({_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})"
# Keyset paging on (time, id): each batch starts after the last row of the one before, so
# rows sharing a timestamp are neither skipped nor repeated at a batch boundary.
_PAGE = f"SELECT {_COLUMNS} FROM decisions WHERE (time, id) > (%s, %s) ORDER BY time, id LIMIT %s"
_BEGINNING = dt.datetime.min.replace(tzinfo=dt.UTC)

_TABLE = "conversation_references"
_REFERENCES_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation_references (
    key TEXT PRIMARY KEY,
    reference JSONB NOT NULL,
    updated TIMESTAMPTZ NOT NULL DEFAULT now()
);
"""
_ADD = f"INSERT INTO {_TABLE} (key, reference) VALUES (%s, %s) ON CONFLICT DO NOTHING"
_REPLACE = f"UPDATE {_TABLE} SET reference = %s, updated = now() WHERE key = %s"
_GET = f"SELECT reference FROM {_TABLE} WHERE key = %s"
_DELETE = f"DELETE FROM {_TABLE} WHERE key = %s"
# keyset paging by key; the first page (the flag set) starts from the beginning
_REFERENCES_PAGE = f"SELECT key, reference FROM {_TABLE} WHERE key > %s OR %s ORDER BY key LIMIT %s"
_DECISION_LOG = "the decision log"
_REFERENCES = "the conversation references"

Connection = psycopg.AsyncConnection[TupleRow]


class PooledStore:
    """What every store here shares: its pool, errors that say what failed (no password), and
    reading a table in time order a batch at a time."""

    what = "the store"  # how errors name it

    def __init__(
        self, pool: AsyncConnectionPool[Connection], url: str, batch: int = EXPORT_BATCH
    ) -> None:
        self._pool = pool
        self._url = url
        self.batch = batch

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def _connection(self, action: str) -> AsyncIterator[Connection]:
        try:
            async with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise StorageError(explain(self.what, self._url, action, exc)) from None

    async def _in_time_order(self, page: str, since: dt.datetime | None) -> AsyncIterator[TupleRow]:
        """Rows of ``page`` (selecting id, time, ... and taking the last (time, id) seen and a
        limit) from ``since``, a batch at a time so a large table never sits in memory."""
        after: tuple[dt.datetime, str] = (since.astimezone(dt.UTC) if since else _BEGINNING, "")
        while True:
            async with self._connection("can't read") as conn:
                rows = await (await conn.execute(page, (*after, self.batch))).fetchall()
            for row in rows:
                yield row
            if len(rows) < self.batch:
                return
            after = (rows[-1][1], rows[-1][0])


class PostgresDecisionLog(PooledStore):
    """Decisions in one PostgreSQL table, written through a connection pool.

    Build it with ``await PostgresDecisionLog.open(url)``, which fails at once with a clear
    ``StorageError`` if the server can't be reached or the table can't be created.
    """

    what = _DECISION_LOG

    @classmethod
    async def open(
        cls, url: str, *, pool_size: int = POOL_SIZE, batch: int = EXPORT_BATCH
    ) -> PostgresDecisionLog:
        """Connect, create the table if absent, and open the pool."""
        return cls(await open_pool(url, _SCHEMA, "decisions", _DECISION_LOG, pool_size), url, batch)

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
            decision.revises,
        )
        # Autocommit: the INSERT is its own transaction, committed (with synchronous_commit
        # on, see _configure) before execute returns.
        async with self._connection("can't write to") as conn:
            await conn.execute(_INSERT, row)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]:
        """Decisions in time order, read in batches so a large log never sits in memory."""
        async for row in self._in_time_order(_PAGE, since):
            yield _record(row)

    async def ping(self) -> None:
        async with self._connection("can't reach") as conn:
            await conn.execute("SELECT 1 FROM decisions LIMIT 1")


class PostgresReferences(PooledStore):
    """``ConversationReferences`` in one PostgreSQL table; build it with ``await
    PostgresReferences.open(url)``, which fails at once as ``PostgresDecisionLog.open`` does."""

    what = _REFERENCES

    @classmethod
    async def open(
        cls, url: str, *, pool_size: int = REFERENCES_POOL_SIZE, batch: int = EXPORT_BATCH
    ) -> PostgresReferences:
        pool = await open_pool(url, _REFERENCES_SCHEMA, _TABLE, _REFERENCES, pool_size)
        return cls(pool, url, batch)

    async def put(self, key: str, reference: dict[str, Any]) -> bool:
        # Teams tells of one install twice (installationUpdate, conversationUpdate), and two
        # instances may each get one at the same moment: of two INSERTs only one adds the row,
        # so exactly one put says "new". Should an uninstall delete the row between the two
        # statements, the UPDATE finds nothing and the reference is added again, as new.
        async with self._connection("can't write to") as conn:
            while True:
                if (await conn.execute(_ADD, (key, Jsonb(reference)))).rowcount:
                    return True
                if (await conn.execute(_REPLACE, (Jsonb(reference), key))).rowcount:
                    return False

    async def get(self, key: str) -> dict[str, Any] | None:
        async with self._connection("can't read") as conn:
            found = await (await conn.execute(_GET, (key,))).fetchone()
        return None if found is None else dict(found[0])

    async def delete(self, key: str) -> bool:
        async with self._connection("can't write to") as conn:
            return (await conn.execute(_DELETE, (key,))).rowcount > 0

    async def all(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        after: str | None = None
        while True:
            async with self._connection("can't read") as conn:
                page = (after or "", after is None, self.batch)
                rows = await (await conn.execute(_REFERENCES_PAGE, page)).fetchall()
            for key, reference in rows:
                yield key, dict(reference)
            if len(rows) < self.batch:
                return
            after = rows[-1][0]


async def open_pool(
    url: str, schema: str, table: str, what: str, size: int
) -> AsyncConnectionPool[Connection]:
    """A pool of up to ``size`` connections to ``url``, once ``schema`` (creating ``table``) is
    in place; raises StorageError naming ``what`` it is for if that can't be done."""
    try:
        # One direct connection first: a failure here carries the server's own reason,
        # where a pool that can't fill itself only reports a timeout.
        conn = await psycopg.AsyncConnection.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        )
        async with conn:
            await conn.execute(schema)
    except psycopg.Error as exc:
        raise StorageError(explain(what, url, "can't open", exc)) from None
    pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
        url,
        kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
        min_size=1,
        max_size=size,
        open=False,
        configure=_configure,
        check=AsyncConnectionPool.check_connection,
        timeout=WAIT_TIMEOUT,
        name=f"infoshare-{table}",
    )
    try:
        await pool.open(wait=True, timeout=WAIT_TIMEOUT)
    except psycopg.Error as exc:
        await pool.close()
        raise StorageError(explain(what, url, "can't open", exc)) from None
    return pool


def explain(what: str, url: str, action: str, exc: psycopg.Error) -> str:
    reason = scrub(str(exc).strip(), url) or type(exc).__name__
    return f"{action} {what} at {redact_url(url)}: {reason}"


async def _configure(conn: Connection) -> None:
    # A server set to synchronous_commit=off would acknowledge a decision (or a reference)
    # before it is on disk; the stores ask for durable commits whatever the server's default.
    await conn.execute("SET synchronous_commit = on")


def _record(row: tuple[Any, ...]) -> DecisionRecord:
    id_, time, channel, user, topic, answers, outcome, version, revises = row
    return DecisionRecord(
        id=id_,
        time=time.astimezone(dt.UTC),
        channel=channel,
        user=user,
        topic=topic,
        answers=[(question, choice) for question, choice in answers],
        outcome=outcome,
        knowledge_version=version,
        revises=revises,
    )
