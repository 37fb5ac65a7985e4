"""What the reminder tests share: a clock the test moves, a Sender that keeps what it was given
(in memory, as a platform would receive it), and a scheduler built on a real store."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from bot.knowledge import Knowledge
from bot.reminders.catalogue import Catalogue
from bot.reminders.delivery import Deliverer
from bot.reminders.models import DeliveryResult, Destination, Reminder
from bot.reminders.scheduler import DigestJob, Scheduler
from bot.reminders.service import Reminders
from bot.reminders.types import ReminderStore
from bot.storage.reminders import open_reminder_store


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@dataclass
class RecordingSender:
    """Keeps every reminder it delivers; targets in ``gone`` answer as a deleted channel would."""

    platform: str = "slack"
    known: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    delay: float = 0.0
    unreachable: int = 0  # how many times listing "everywhere" fails, as with the API down
    received: list[tuple[str, str]] = field(default_factory=list)  # (reminder id, target)

    async def everywhere(self) -> AsyncIterator[Destination]:
        if self.unreachable:
            self.unreachable -= 1
            raise ConnectionError("platform unreachable")
        for target in self.known:
            yield Destination(platform=self.platform, target=target)

    async def send(self, reminder: Reminder, destination: Destination) -> DeliveryResult:
        if self.delay:
            await asyncio.sleep(self.delay)
        if destination.target in self.gone:
            return DeliveryResult(
                destination=destination, status="gone", detail="channel_not_found"
            )
        self.received.append((reminder.id, destination.target))
        return DeliveryResult(destination=destination, status="sent")


@dataclass
class Kit:
    store: ReminderStore
    reminders: Reminders
    scheduler: Scheduler


async def build(
    url: str,
    knowledge: Knowledge,
    clock: Clock,
    *senders: RecordingSender,
    grace_minutes: float = 60,
    lease: dt.timedelta = dt.timedelta(minutes=15),
    digest: DigestJob | None = None,
) -> Kit:
    """A scheduler and service on their own connection to the database at ``url``: two kits
    on one URL are two server instances."""
    store = await open_reminder_store(url)
    catalogue = Catalogue(knowledge, store)
    deliverer = Deliverer(store, senders, clock)
    scheduler = Scheduler(
        store,
        catalogue,
        deliverer,
        clock,
        grace=dt.timedelta(minutes=grace_minutes),
        lease=lease,
        digest=digest,
    )
    return Kit(store, Reminders(store, catalogue, deliverer, clock), scheduler)
