"""Due slots, each sent exactly once however many instances run.

Each schedule keeps its next slot (UTC) in the database. ``tick(now)`` walks every active
schedule's slots up to ``now``; for each it first claims (schedule, slot) in the database
(``ReminderStore.claim``), and only the one claimant sends. A slot no more than ``grace``
late is sent (so one missed while the server was down goes out once on start-up); an older one
is recorded as missed. A claimant that dies half-way holds a lease; once it runs out another
instance takes the slot over and sends only to the destinations not yet recorded as sent.

The clock is passed in (``bot.types.Clock``), so tests step time rather than sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from bot import messages
from bot.reminders.catalogue import Catalogue
from bot.reminders.delivery import Deliverer
from bot.reminders.models import Delivery, DeliveryResult, Destination, Reminder, Schedule
from bot.reminders.schedules import Rule, RuleError, parse_rule
from bot.reminders.types import ReminderStore
from bot.types import Clock

log = logging.getLogger(__name__)
DIGEST = 0  # the schedule id the monthly review digest claims its slots under
DIGEST_ID = "review-digest"
LEASE = dt.timedelta(minutes=15)  # longer than any one slot's sending takes
MAX_SLOTS = 1000  # per schedule per tick: a minutely rule after a week down catches up in turns
TICK_SECONDS = 20.0


@dataclass(frozen=True)
class SlotOutcome:
    """What one tick did with one slot it claimed."""

    schedule: int
    slot: dt.datetime
    status: Literal["sent", "missed", "unknown-reminder"]
    results: list[DeliveryResult] = field(default_factory=list)


@dataclass(frozen=True)
class DigestJob:
    """The built-in monthly review digest: ``build`` renders it when its slot comes."""

    rule: Rule
    destinations: list[Destination]
    build: Callable[[dt.datetime], Awaitable[Reminder]]


class Scheduler:
    def __init__(
        self,
        store: ReminderStore,
        catalogue: Catalogue,
        deliverer: Deliverer,
        clock: Clock,
        *,
        grace: dt.timedelta,
        lease: dt.timedelta = LEASE,
        owner: str | None = None,
        digest: DigestJob | None = None,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.deliverer = deliverer
        self.clock = clock
        self.grace = grace
        self.lease = lease
        self.owner = owner or secrets.token_hex(8)  # this instance, in the claims table
        self.digest = digest

    async def tick(self, now: dt.datetime | None = None) -> list[SlotOutcome]:
        """Send (or record as missed) every slot due by ``now``; what was claimed here."""
        now = now or self.clock()
        outcomes: list[SlotOutcome] = []
        for schedule in await self.store.schedules():
            if not schedule.paused and schedule.next_slot is not None:
                outcomes += await self._schedule(schedule, now)
        if self.digest is not None:
            outcomes += await self._digest(self.digest, now)
        return outcomes

    async def run(self, interval: float = TICK_SECONDS) -> None:
        """Tick every ``interval`` seconds until cancelled; a failed tick (the database down)
        is logged and the next one tries again, losing nothing."""
        while True:
            try:
                await self.tick()
            except Exception as exc:  # keep the loop alive; the slots wait in the database
                log.warning(messages.REMINDER_TICK_FAILED, type(exc).__name__)
            await asyncio.sleep(interval)

    async def _schedule(self, schedule: Schedule, now: dt.datetime) -> list[SlotOutcome]:
        try:
            rule = parse_rule(schedule.rule)
        except RuleError:  # checked when written; only a hand-edited row gets here
            return []
        outcomes: list[SlotOutcome] = []
        slot = schedule.next_slot
        for _ in range(MAX_SLOTS):
            if slot is None or slot > now:
                break
            claim = await self.store.claim(schedule.id, slot, self.owner, now, self.lease)
            if claim == "held":
                break  # another instance is sending it; its holder (or a taker-over) moves on
            if claim == "won":
                try:
                    outcomes.append(await self._slot(schedule, slot, now))
                except Exception as exc:  # a platform or the database failed: next tick retries
                    log.warning(messages.REMINDER_SLOT_FAILED, schedule.id, type(exc).__name__)
                    break
            following = rule.next_after(slot)
            await self.store.advance(schedule.id, slot, following)
            slot = following
        return outcomes

    async def _slot(self, schedule: Schedule, slot: dt.datetime, now: dt.datetime) -> SlotOutcome:
        """Send a slot this instance has claimed, or record it as missed. The claim is
        finished only once that is done: if this raises, the slot stays claimed (this instance
        retries it on its next tick, another once the lease has run out)."""
        outcome = await self._carry_out(schedule, slot, now)
        await self.store.finish(schedule.id, slot, self.owner)
        return outcome

    async def _carry_out(
        self, schedule: Schedule, slot: dt.datetime, now: dt.datetime
    ) -> SlotOutcome:
        if now - slot > self.grace:
            await self._missed(schedule.reminder, schedule.id, slot, now)
            return SlotOutcome(schedule.id, slot, "missed")
        reminder = await self.catalogue.get(schedule.reminder)
        if reminder is None:
            log.warning(messages.REMINDER_SLOT_UNKNOWN, schedule.id, schedule.reminder)
            await self._record(schedule.reminder, schedule.id, slot, "failed", "unknown-reminder")
            return SlotOutcome(schedule.id, slot, "unknown-reminder")
        async with self._holding(schedule.id, slot):
            targets = await self.deliverer.targets(schedule.destinations, schedule.everywhere)
            done = await self.store.sent(schedule.id, slot)
            results = await self.deliverer.deliver(reminder, targets, schedule.id, slot, done)
        _log_sent(schedule.id, slot, results)
        return SlotOutcome(schedule.id, slot, "sent", results)

    async def _digest(self, job: DigestJob, now: dt.datetime) -> list[SlotOutcome]:
        """The digest keeps no next slot of its own: it looks back over the grace period, and
        the claims table says whether a slot there went out already."""
        outcomes = []
        slot = job.rule.next_after(now - self.grace - dt.timedelta(microseconds=1))
        while slot is not None and slot <= now:
            if await self.store.claim(DIGEST, slot, self.owner, now, self.lease) == "won":
                async with self._holding(DIGEST, slot):
                    reminder = await job.build(now)
                    done = await self.store.sent(DIGEST, slot)
                    results = await self.deliverer.deliver(
                        reminder, job.destinations, DIGEST, slot, done
                    )
                outcomes.append(SlotOutcome(DIGEST, slot, "sent", results))
                await self.store.finish(DIGEST, slot, self.owner)
            slot = job.rule.next_after(slot)
        return outcomes

    @contextlib.asynccontextmanager
    async def _holding(self, schedule: int, slot: dt.datetime) -> AsyncIterator[None]:
        """Renew the claim's lease while sending, so a slow send (many channels, rate limits)
        is never taken over, and sent twice, by another instance."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.lease.total_seconds() / 3)
                await self.store.claim(schedule, slot, self.owner, self.clock(), self.lease)

        renewing = asyncio.create_task(renew(), name="reminder-lease")
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await renewing

    async def _missed(
        self, reminder: str, schedule: int, slot: dt.datetime, now: dt.datetime
    ) -> None:
        late = int(self.grace.total_seconds() // 60)
        log.warning(messages.REMINDER_SLOT_MISSED, schedule, slot.isoformat(), late)
        await self._record(
            reminder, schedule, slot, "missed", f"late-{int((now - slot).total_seconds() // 60)}m"
        )

    async def _record(
        self,
        reminder: str,
        schedule: int,
        slot: dt.datetime,
        status: Literal["failed", "missed"],
        detail: str,
    ) -> None:
        await self.store.record(
            Delivery(
                reminder=reminder,
                schedule=schedule,
                slot=slot,
                destination="",
                status=status,
                detail=detail,
                time=self.clock(),
            )
        )


def _log_sent(schedule: int, slot: dt.datetime, results: list[DeliveryResult]) -> None:
    count = {s: sum(r.status == s for r in results) for s in ("sent", "gone", "failed")}
    log.info(
        messages.REMINDER_SLOT_SENT,
        schedule,
        slot.isoformat(),
        count["sent"],
        count["gone"],
        count["failed"],
    )
