"""What the reminder core needs from the outside: a sender per platform and a store."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Literal, Protocol

from bot.reminders.models import (
    Delivery,
    DeliveryResult,
    Destination,
    Note,
    Reminder,
    Schedule,
)

Claim = Literal["won", "held", "done"]


class Sender(Protocol):
    """Sends reminders on one platform; ``adapters/<platform>/reminders.py`` implements it.

    ``send`` never raises for a destination's own trouble: it paces itself to the platform's
    limits, retries 429/ratelimited after Retry-After with backoff, and returns "gone" or
    "failed" with an error code, so the other destinations still get the reminder.
    """

    platform: str

    def everywhere(self) -> AsyncIterator[Destination]:
        """Every destination this platform can reach now (channels the app is in, Teams
        conversations it was installed in)."""
        ...

    async def send(self, reminder: Reminder, destination: Destination) -> DeliveryResult: ...


class ReminderStore(Protocol):
    """Notes, schedules, slot claims and delivery history, in the decision log's database."""

    async def add_note(
        self, title: str, text: str, link: str | None, created_by: str, created: dt.datetime
    ) -> Note: ...

    async def note(self, note_id: str) -> Note | None: ...

    async def notes(self) -> list[Note]: ...

    async def delete_note(self, note_id: str) -> list[int] | None:
        """Delete the note unless a schedule sends it. None: there is no such note; otherwise
        the ids of the schedules that send it, and the note is deleted only when there are
        none. Checked and deleted in one transaction, against ``add_schedule``'s, so a schedule
        made at the same moment is never left sending a note that is gone."""
        ...

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
        """The new schedule; None if ``reminder`` is a note ("note-N") that no longer exists
        (deleted since it was looked up)."""
        ...

    async def schedule(self, schedule_id: int) -> Schedule | None: ...

    async def schedules(self) -> list[Schedule]: ...

    async def set_paused(
        self, schedule_id: int, paused: bool, next_slot: dt.datetime | None
    ) -> bool:
        """False if there is no such schedule."""
        ...

    async def advance(
        self, schedule_id: int, seen: dt.datetime | None, next_slot: dt.datetime | None
    ) -> None:
        """Move the schedule's next slot on from ``seen`` (compare-and-set: a no-op if another
        scheduler moved it already)."""
        ...

    async def delete_schedule(self, schedule_id: int) -> bool: ...

    async def claim(
        self, schedule_id: int, slot: dt.datetime, owner: str, now: dt.datetime, lease: dt.timedelta
    ) -> Claim:
        """Claim one slot for ``owner``: "won" for exactly one claimant; "held" while another
        holds it (its lease still running), "done" once it has been finished. A claim whose
        holder stopped before finishing (its lease ran out) can be taken over; the holder
        claiming again renews its lease."""
        ...

    async def finish(self, schedule_id: int, slot: dt.datetime, owner: str) -> None:
        """The slot is done: nobody may take it over."""
        ...

    async def record(self, delivery: Delivery) -> None: ...

    async def sent(self, schedule_id: int, slot: dt.datetime) -> set[str]:
        """The destination keys a slot was already sent to (when taking over a claim)."""
        ...

    def history(
        self, reminder: str | None = None, schedule: int | None = None, limit: int = 50
    ) -> AsyncIterator[Delivery]:
        """Newest first."""
        ...

    async def close(self) -> None: ...
