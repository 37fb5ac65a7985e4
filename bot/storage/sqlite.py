"""The decision log in SQLite: WAL mode, ``synchronous=FULL``, so a recorded decision survives
a power cut the moment ``record`` returns."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from bot.models import DecisionRecord
from bot.storage import StorageError as StorageError  # re-exported: adapters import it from here

SCHEMA_VERSION = 1
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
    knowledge_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time);
"""


class SqliteDecisionLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StorageError(f"can't open the decision log at {path}: {exc}") from None

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
        )
        await asyncio.to_thread(self._write, row)

    def _write(self, row: tuple[str, ...]) -> None:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StorageError(f"can't write to the decision log: {exc}") from None

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
                "SELECT * FROM decisions WHERE time >= ? AND (time, id) > (?, ?) "
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


def _record(row: tuple[str, ...]) -> DecisionRecord:
    id_, time, channel, user, topic, answers, outcome, version = row
    return DecisionRecord(
        id=id_,
        time=dt.datetime.fromisoformat(time),
        channel=channel,
        user=user,
        topic=topic,
        answers=[tuple(pair) for pair in json.loads(answers)],
        outcome=outcome,
        knowledge_version=version,
    )
