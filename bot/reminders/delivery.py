"""Sending one reminder to many destinations through the platform senders, recording each
result as it comes, so a failed or gone destination never stops the rest."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable, Mapping

from bot import messages
from bot.reminders.models import Delivery, DeliveryResult, Destination, Reminder
from bot.reminders.types import ReminderStore, Sender
from bot.types import Clock

log = logging.getLogger(__name__)
NOT_CONFIGURED = "platform-not-configured"


class Deliverer:
    def __init__(self, store: ReminderStore, senders: Iterable[Sender], clock: Clock) -> None:
        self.store = store
        self.senders: Mapping[str, Sender] = {s.platform: s for s in senders}
        self.clock = clock

    async def targets(self, destinations: list[Destination], everywhere: bool) -> list[Destination]:
        """``destinations``, plus every destination each sender knows of when ``everywhere``;
        each once, in order."""
        found = list(destinations)
        if everywhere:
            for sender in self.senders.values():
                found += [d async for d in sender.everywhere()]
        return list({d.key: d for d in found}.values())

    async def deliver(
        self,
        reminder: Reminder,
        destinations: list[Destination],
        schedule: int | None = None,
        slot: dt.datetime | None = None,
        skip: set[str] | None = None,
    ) -> list[DeliveryResult]:
        """Send to each destination not in ``skip`` (keys); the platforms in parallel, one
        platform's destinations in turn (its sender paces itself to the platform's limits)."""
        by_platform: dict[str, list[Destination]] = {}
        for destination in destinations:
            if destination.key not in (skip or set()):
                by_platform.setdefault(destination.platform, []).append(destination)

        async def one_platform(platform: str, todo: list[Destination]) -> list[DeliveryResult]:
            results = []
            for destination in todo:
                result = await self._send(reminder, destination)
                await self.store.record(
                    Delivery(
                        reminder=reminder.id,
                        schedule=schedule,
                        slot=slot,
                        destination=destination.key,
                        status=result.status,
                        detail=result.detail,
                        time=self.clock(),
                    )
                )
                results.append(result)
            return results

        done = await asyncio.gather(*(one_platform(p, d) for p, d in by_platform.items()))
        return [result for results in done for result in results]

    async def _send(self, reminder: Reminder, destination: Destination) -> DeliveryResult:
        sender = self.senders.get(destination.platform)
        if sender is None:
            return DeliveryResult(destination=destination, status="failed", detail=NOT_CONFIGURED)
        try:
            return await sender.send(reminder, destination)
        except Exception as exc:  # a sender bug must not cost the other destinations
            log.warning(messages.REMINDER_SEND_FAILED, destination.platform, type(exc).__name__)
            return DeliveryResult(
                destination=destination, status="failed", detail=type(exc).__name__
            )
