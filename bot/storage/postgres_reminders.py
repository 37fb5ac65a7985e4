"""Reminder notes, schedules, slot claims and delivery history in the decision log's PostgreSQL
database, through a small pool of their own (``bot.storage.postgres.open_pool``).

Several server instances share these tables. A slot is claimed with one INSERT ... ON CONFLICT
under the (schedule, slot) primary key: PostgreSQL lets exactly one of two racing inserts
through, so exactly one instance sends the slot. The claim carries a lease, so a slot whose
holder died half-way is taken over once the lease runs out (and sends only to the
destinations not already recorded as sent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from psycopg.types.json import Jsonb

from bot.reminders.models import NOTE_PREFIX, Delivery, Destination, Note, Schedule
from bot.reminders.types import Claim
from bot.storage.postgres import PooledStore, open_pool
from bot.storage.sqlite_reminders import delivery_from_row, note_number, schedule_from_row

POOL_SIZE = 3  # a scheduler tick and the odd chat command; nothing here is hot
_WHAT = "the reminders"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminder_notes (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT,
    created_by TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS reminder_schedules (
    id BIGSERIAL PRIMARY KEY,
    reminder TEXT NOT NULL,
    rule TEXT NOT NULL,
    destinations JSONB NOT NULL,
    everywhere BOOLEAN NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT false,
    created_by TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    next_slot TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS reminder_slots (
    schedule_id BIGINT NOT NULL,
    slot TIMESTAMPTZ NOT NULL,
    owner TEXT NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL,
    done BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (schedule_id, slot)
);
CREATE TABLE IF NOT EXISTS reminder_deliveries (
    id BIGSERIAL PRIMARY KEY,
    reminder TEXT NOT NULL,
    schedule_id BIGINT,
    slot TIMESTAMPTZ,
    destination TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    time TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS reminder_deliveries_reminder ON reminder_deliveries (reminder, id);
"""
_NOTE = "id, title, text, link, created_by, created"
_SCHEDULE = "id, reminder, rule, destinations, everywhere, paused, created_by, created, next_slot"
_DELIVERY = "reminder, schedule_id, slot, destination, status, detail, time"
_CLAIM = (
    "INSERT INTO reminder_slots (schedule_id, slot, owner, lease_until) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (schedule_id, slot) DO UPDATE SET owner = excluded.owner, "
    "lease_until = excluded.lease_until "
    "WHERE reminder_slots.done = false AND (reminder_slots.lease_until < %s "
    "OR reminder_slots.owner = excluded.owner) RETURNING owner"
)

_DONE = "SELECT done FROM reminder_slots WHERE schedule_id = %s AND slot = %s"
# A schedule of a note holds the note's row (KEY SHARE) while it is inserted, and deleting a
# note locks the row (FOR UPDATE) before it looks for schedules: whichever comes second waits
# for the first and then sees what it did, so no schedule is left with its note gone.
_NOTE_KEPT = "SELECT 1 FROM reminder_notes WHERE id = %s FOR KEY SHARE"
_NOTE_LOCKED = "SELECT 1 FROM reminder_notes WHERE id = %s FOR UPDATE"
_SENDING = "SELECT id FROM reminder_schedules WHERE reminder = %s ORDER BY id"


class PostgresReminderStore(PooledStore):
    """Build it with ``await PostgresReminderStore.open(url)``, which fails at once with a
    clear ``StorageError`` if the server can't be reached or the tables can't be created."""

    what = _WHAT

    @classmethod
    async def open(cls, url: str, *, pool_size: int = POOL_SIZE) -> PostgresReminderStore:
        return cls(await open_pool(url, _SCHEMA, "reminders", _WHAT, pool_size), url)

    async def add_note(
        self, title: str, text: str, link: str | None, created_by: str, created: dt.datetime
    ) -> Note:
        query = (
            "INSERT INTO reminder_notes (title, text, link, created_by, created) "
            f"VALUES (%s, %s, %s, %s, %s) RETURNING {_NOTE}"
        )
        rows = await self._rows(query, (title, text, link, created_by, created))
        return _note(rows[0])

    async def note(self, note_id: str) -> Note | None:
        query = f"SELECT {_NOTE} FROM reminder_notes WHERE id = %s"
        rows = await self._rows(query, (note_number(note_id),))
        return _note(rows[0]) if rows else None

    async def notes(self) -> list[Note]:
        return [
            _note(r) for r in await self._rows(f"SELECT {_NOTE} FROM reminder_notes ORDER BY id")
        ]

    async def delete_note(self, note_id: str) -> list[int] | None:
        number = note_number(note_id)
        async with self._connection("can't write to") as conn, conn.transaction():
            if not await (await conn.execute(_NOTE_LOCKED, (number,))).fetchall():
                return None
            users = [r[0] for r in await (await conn.execute(_SENDING, (note_id,))).fetchall()]
            if not users:
                await conn.execute("DELETE FROM reminder_notes WHERE id = %s", (number,))
            return users

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
        query = (
            "INSERT INTO reminder_schedules (reminder, rule, destinations, everywhere, "
            f"created_by, created, next_slot) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"RETURNING {_SCHEDULE}"
        )
        keys = Jsonb([d.key for d in destinations])
        params = (reminder, rule, keys, everywhere, created_by, created, next_slot)
        async with self._connection("can't write to") as conn, conn.transaction():
            if reminder.startswith(NOTE_PREFIX):
                kept = await conn.execute(_NOTE_KEPT, (note_number(reminder),))
                if not await kept.fetchall():
                    return None  # deleted since it was looked up
            row = await (await conn.execute(query, params)).fetchone()
        assert row is not None  # RETURNING gives back the row inserted
        return _schedule(row)

    async def schedule(self, schedule_id: int) -> Schedule | None:
        query = f"SELECT {_SCHEDULE} FROM reminder_schedules WHERE id = %s"
        rows = await self._rows(query, (schedule_id,))
        return _schedule(rows[0]) if rows else None

    async def schedules(self) -> list[Schedule]:
        rows = await self._rows(f"SELECT {_SCHEDULE} FROM reminder_schedules ORDER BY id")
        return [_schedule(r) for r in rows]

    async def set_paused(
        self, schedule_id: int, paused: bool, next_slot: dt.datetime | None
    ) -> bool:
        query = "UPDATE reminder_schedules SET paused = %s, next_slot = %s WHERE id = %s"
        return await self._count(query, (paused, next_slot, schedule_id)) > 0

    async def advance(
        self, schedule_id: int, seen: dt.datetime | None, next_slot: dt.datetime | None
    ) -> None:
        query = (
            "UPDATE reminder_schedules SET next_slot = %s "
            "WHERE id = %s AND next_slot IS NOT DISTINCT FROM %s"
        )
        await self._count(query, (next_slot, schedule_id, seen))

    async def delete_schedule(self, schedule_id: int) -> bool:
        query = "DELETE FROM reminder_schedules WHERE id = %s"
        return await self._count(query, (schedule_id,)) > 0

    async def claim(
        self, schedule_id: int, slot: dt.datetime, owner: str, now: dt.datetime, lease: dt.timedelta
    ) -> Claim:
        if await self._rows(_CLAIM, (schedule_id, slot, owner, now + lease, now)):
            return "won"
        done = await self._rows(_DONE, (schedule_id, slot))
        return "done" if done and done[0][0] else "held"

    async def finish(self, schedule_id: int, slot: dt.datetime, owner: str) -> None:
        query = (
            "UPDATE reminder_slots SET done = true "
            "WHERE schedule_id = %s AND slot = %s AND owner = %s"
        )
        await self._count(query, (schedule_id, slot, owner))

    async def record(self, delivery: Delivery) -> None:
        query = f"INSERT INTO reminder_deliveries ({_DELIVERY}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
        await self._count(
            query,
            (
                delivery.reminder,
                delivery.schedule,
                delivery.slot,
                delivery.destination,
                delivery.status,
                delivery.detail,
                delivery.time,
            ),
        )

    async def sent(self, schedule_id: int, slot: dt.datetime) -> set[str]:
        query = (
            "SELECT destination FROM reminder_deliveries WHERE schedule_id = %s AND slot = %s "
            "AND status = 'sent'"
        )
        return {r[0] for r in await self._rows(query, (schedule_id, slot))}

    async def history(
        self, reminder: str | None = None, schedule: int | None = None, limit: int = 50
    ) -> AsyncIterator[Delivery]:
        query = (
            f"SELECT {_DELIVERY} FROM reminder_deliveries "
            "WHERE (%s::text IS NULL OR reminder = %s) "
            "AND (%s::bigint IS NULL OR schedule_id = %s) "
            "ORDER BY id DESC LIMIT %s"
        )
        for row in await self._rows(query, (reminder, reminder, schedule, schedule, limit)):
            yield _delivery(row)

    async def _rows(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        async with self._connection("can't use") as conn:
            cursor = await conn.execute(query, params)
            return await cursor.fetchall()

    async def _count(self, query: str, params: tuple[Any, ...]) -> int:
        async with self._connection("can't write to") as conn:
            return (await conn.execute(query, params)).rowcount


def _note(row: tuple[Any, ...]) -> Note:
    number, title, text, link, created_by, created = row
    return Note(
        id=f"note-{number}",
        title=title,
        text=text,
        link=link,
        created_by=created_by,
        created=created.astimezone(dt.UTC),
    )


def _schedule(row: tuple[Any, ...]) -> Schedule:
    return schedule_from_row(row, list(row[3]))


def _delivery(row: tuple[Any, ...]) -> Delivery:
    return delivery_from_row(row)
