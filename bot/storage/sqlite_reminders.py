"""Reminder notes, schedules, slot claims and delivery history in the decision log's SQLite
file, in tables of their own, through a connection of their own (``bot.storage.sqlite``).

A slot is claimed by inserting (schedule, slot) under its primary key inside BEGIN IMMEDIATE,
so of two schedulers on one file exactly one gets it. A claim carries a lease: if its holder
stops before finishing, another can take the slot over once the lease has run out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bot.reminders.models import NOTE_PREFIX, Delivery, Destination, Note, Schedule
from bot.reminders.types import Claim
from bot.storage import StorageError
from bot.storage.sqlite import T, connect, transaction

_WHAT = "the reminders"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminder_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT,
    created_by TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reminder_schedules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder TEXT NOT NULL,
    rule TEXT NOT NULL,
    destinations TEXT NOT NULL,
    everywhere INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created TEXT NOT NULL,
    next_slot TEXT
);
CREATE TABLE IF NOT EXISTS reminder_slots (
    schedule_id INTEGER NOT NULL,
    slot TEXT NOT NULL,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (schedule_id, slot)
);
CREATE TABLE IF NOT EXISTS reminder_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder TEXT NOT NULL,
    schedule_id INTEGER,
    slot TEXT,
    destination TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reminder_deliveries_reminder ON reminder_deliveries (reminder, id);
"""
_NOTE = "id, title, text, link, created_by, created"
_SCHEDULE = "id, reminder, rule, destinations, everywhere, paused, created_by, created, next_slot"
_DELIVERY = "reminder, schedule_id, slot, destination, status, detail, time"
# Inserted, taken over from a holder whose lease ran out, or renewed by its own holder; no row
# back means someone else has it (or it is done).
_CLAIM = (
    "INSERT INTO reminder_slots (schedule_id, slot, owner, lease_until) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (schedule_id, slot) DO UPDATE SET owner = excluded.owner, "
    "lease_until = excluded.lease_until "
    "WHERE reminder_slots.done = 0 AND (reminder_slots.lease_until < ? "
    "OR reminder_slots.owner = excluded.owner) RETURNING owner"
)

_DONE = "SELECT done FROM reminder_slots WHERE schedule_id = ? AND slot = ?"
_NOTE_EXISTS = "SELECT 1 FROM reminder_notes WHERE id = ?"
_SENDING = "SELECT id FROM reminder_schedules WHERE reminder = ? ORDER BY id"
_ROW_IDS = 2**63  # SQLite's and PostgreSQL's (bigint) row ids are below this


def iso(time: dt.datetime) -> str:
    """Fixed width, so times compare as text."""
    return time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def when(value: str | dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware datetime: SQLite keeps ISO text, PostgreSQL timestamptz."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return None if value is None else value.astimezone(dt.UTC)


class SqliteReminderStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path, _SCHEMA, _WHAT)

    async def add_note(
        self, title: str, text: str, link: str | None, created_by: str, created: dt.datetime
    ) -> Note:
        def insert() -> int:
            cursor = self._db.execute(
                "INSERT INTO reminder_notes (title, text, link, created_by, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, text, link, created_by, iso(created)),
            )
            return int(cursor.lastrowid or 0)

        number = await self._write(insert)
        return Note(
            id=f"note-{number}",
            title=title,
            text=text,
            link=link,
            created_by=created_by,
            created=created,
        )

    async def note(self, note_id: str) -> Note | None:
        query = f"SELECT {_NOTE} FROM reminder_notes WHERE id = ?"
        rows = await self._read(query, (note_number(note_id),))
        return _note(rows[0]) if rows else None

    async def notes(self) -> list[Note]:
        return [
            _note(r) for r in await self._read(f"SELECT {_NOTE} FROM reminder_notes ORDER BY id")
        ]

    async def delete_note(self, note_id: str) -> list[int] | None:
        number = note_number(note_id)

        def delete() -> list[int] | None:  # in BEGIN IMMEDIATE: no schedule can come between
            if not self._db.execute(_NOTE_EXISTS, (number,)).fetchall():
                return None
            users = [r[0] for r in self._db.execute(_SENDING, (note_id,)).fetchall()]
            if not users:
                self._db.execute("DELETE FROM reminder_notes WHERE id = ?", (number,))
            return users

        return await self._write(delete)

    async def add_schedule(
        self,
        reminder: str,
        rule: str,
        destinations: list[Destination],
        everywhere: bool,
        created_by: str,
        created: dt.datetime,
        next_slot: dt.datetime | None,
    ) -> Schedule | None:
        keys = json.dumps([d.key for d in destinations])
        row = (reminder, rule, keys, int(everywhere), created_by, iso(created))
        note = note_number(reminder) if reminder.startswith(NOTE_PREFIX) else None

        def insert() -> int | None:
            if note is not None and not self._db.execute(_NOTE_EXISTS, (note,)).fetchall():
                return None  # deleted since it was looked up
            cursor = self._db.execute(
                "INSERT INTO reminder_schedules (reminder, rule, destinations, everywhere, "
                "created_by, created, next_slot) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*row, iso(next_slot) if next_slot else None),
            )
            return int(cursor.lastrowid or 0)

        number = await self._write(insert)
        if number is None:
            return None
        schedule = await self.schedule(number)
        assert schedule is not None  # just written, in this process's own connection
        return schedule

    async def schedule(self, schedule_id: int) -> Schedule | None:
        query = f"SELECT {_SCHEDULE} FROM reminder_schedules WHERE id = ?"
        rows = await self._read(query, (schedule_id,))
        return _schedule(rows[0]) if rows else None

    async def schedules(self) -> list[Schedule]:
        rows = await self._read(f"SELECT {_SCHEDULE} FROM reminder_schedules ORDER BY id")
        return [_schedule(r) for r in rows]

    async def set_paused(
        self, schedule_id: int, paused: bool, next_slot: dt.datetime | None
    ) -> bool:
        def update() -> bool:
            return (
                self._db.execute(
                    "UPDATE reminder_schedules SET paused = ?, next_slot = ? WHERE id = ?",
                    (int(paused), iso(next_slot) if next_slot else None, schedule_id),
                ).rowcount
                > 0
            )

        return await self._write(update)

    async def advance(
        self, schedule_id: int, seen: dt.datetime | None, next_slot: dt.datetime | None
    ) -> None:
        def update() -> None:
            self._db.execute(
                "UPDATE reminder_schedules SET next_slot = ? WHERE id = ? AND next_slot IS ?",
                (iso(next_slot) if next_slot else None, schedule_id, iso(seen) if seen else None),
            )

        await self._write(update)

    async def delete_schedule(self, schedule_id: int) -> bool:
        def delete() -> bool:
            query = "DELETE FROM reminder_schedules WHERE id = ?"
            return self._db.execute(query, (schedule_id,)).rowcount > 0

        return await self._write(delete)

    async def claim(
        self, schedule_id: int, slot: dt.datetime, owner: str, now: dt.datetime, lease: dt.timedelta
    ) -> Claim:
        row = (schedule_id, iso(slot), owner, iso(now + lease), iso(now))

        def insert() -> Claim:
            if self._db.execute(_CLAIM, row).fetchall():
                return "won"
            done = self._db.execute(_DONE, (schedule_id, iso(slot))).fetchall()
            return "done" if done and done[0][0] else "held"

        return await self._write(insert)

    async def finish(self, schedule_id: int, slot: dt.datetime, owner: str) -> None:
        def update() -> None:
            self._db.execute(
                "UPDATE reminder_slots SET done = 1 WHERE schedule_id = ? AND slot = ? "
                "AND owner = ?",
                (schedule_id, iso(slot), owner),
            )

        await self._write(update)

    async def record(self, delivery: Delivery) -> None:
        row = (
            delivery.reminder,
            delivery.schedule,
            iso(delivery.slot) if delivery.slot else None,
            delivery.destination,
            delivery.status,
            delivery.detail,
            iso(delivery.time),
        )

        def insert() -> None:
            self._db.execute(
                f"INSERT INTO reminder_deliveries ({_DELIVERY}) VALUES (?, ?, ?, ?, ?, ?, ?)", row
            )

        await self._write(insert)

    async def sent(self, schedule_id: int, slot: dt.datetime) -> set[str]:
        query = (
            "SELECT destination FROM reminder_deliveries WHERE schedule_id = ? AND slot = ? "
            "AND status = 'sent'"
        )
        return {r[0] for r in await self._read(query, (schedule_id, iso(slot)))}

    async def history(
        self, reminder: str | None = None, schedule: int | None = None, limit: int = 50
    ) -> AsyncIterator[Delivery]:
        query = (
            f"SELECT {_DELIVERY} FROM reminder_deliveries WHERE (? IS NULL OR reminder = ?) "
            "AND (? IS NULL OR schedule_id = ?) ORDER BY id DESC LIMIT ?"
        )
        for row in await self._read(query, (reminder, reminder, schedule, schedule, limit)):
            yield delivery_from_row(row)

    async def close(self) -> None:
        with self._lock:
            self._db.close()

    async def _read(self, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
        def read() -> list[Any]:
            with self._lock:
                try:
                    return self._db.execute(query, params).fetchall()
                except sqlite3.Error as exc:
                    raise StorageError(f"can't read {_WHAT} at {self.path}: {exc}") from None

        return await asyncio.to_thread(read)

    async def _write(self, work: Callable[[], T]) -> T:
        def locked() -> T:
            with self._lock:
                return transaction(self._db, _WHAT, work)

        return await asyncio.to_thread(locked)


def note_number(note_id: str) -> int:
    """The row id of "note-N"; 0, which no note has, for anything else."""
    number = note_id.removeprefix(NOTE_PREFIX)
    if not note_id.startswith(NOTE_PREFIX) or not (number.isascii() and number.isdigit()):
        return 0
    return int(number) if int(number) < _ROW_IDS else 0


def _note(row: tuple[Any, ...]) -> Note:
    number, title, text, link, created_by, created = row
    return Note(
        id=f"note-{number}",
        title=title,
        text=text,
        link=link,
        created_by=created_by,
        created=when(created),
    )


def schedule_from_row(row: tuple[Any, ...], keys: list[str]) -> Schedule:
    number, reminder, rule, _, everywhere, paused, created_by, created, next_slot = row
    return Schedule(
        id=number,
        reminder=reminder,
        rule=rule,
        destinations=[Destination.parse(k) for k in keys],
        everywhere=bool(everywhere),
        paused=bool(paused),
        created_by=created_by,
        created=when(created),
        next_slot=when(next_slot),
    )


def _schedule(row: tuple[Any, ...]) -> Schedule:
    return schedule_from_row(row, json.loads(row[3]))


def delivery_from_row(row: tuple[Any, ...]) -> Delivery:
    reminder, schedule, slot, destination, status, detail, time = row
    return Delivery(
        reminder=reminder,
        schedule=schedule,
        slot=when(slot),
        destination=destination,
        status=status,
        detail=detail,
        time=when(time),
    )
