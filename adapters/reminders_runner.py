"""Policy reminders inside ``infoshare serve``: the senders for the platforms served, the reminder
store in the decision log's database, and the scheduler ticking in the background.

Entered after the platforms (it sends through their clients) and left before them: on shutdown
the scheduler finishes the tick it is in (for up to ``SHUTDOWN_GRACE``) rather than being cut
off half-way through a slot. Every instance runs a scheduler; the store's slot claims make sure
exactly one of them sends each slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from adapters.http import ENGINE, REFERENCES, SETTINGS, SHUTDOWN_GRACE
from adapters.link_check import check_links
from bot import messages
from bot.reminders.catalogue import Catalogue
from bot.reminders.delivery import Deliverer
from bot.reminders.digest import configured_digest
from bot.reminders.models import Destination
from bot.reminders.scheduler import Scheduler
from bot.reminders.service import Reminders
from bot.reminders.types import ReminderStore, Sender
from bot.settings import Settings
from bot.storage.reminders import open_reminder_store

log = logging.getLogger(__name__)


@dataclass
class Running:
    """What the chat commands and the scheduler share, while the server runs."""

    service: Reminders  # what the chat commands call
    store: ReminderStore
    deliverer: Deliverer
    scheduler: Scheduler
    senders: dict[str, Sender]


REMINDERS = web.AppKey("reminders", Running)


def install(app: web.Application) -> None:
    """Add the reminders' lifecycle; call after the platforms are installed."""
    app.cleanup_ctx.append(_reminders)


def service_of(app: web.Application) -> Reminders | None:
    """The reminder commands, once the server has them running (None before, and after)."""
    running = app.get(REMINDERS)
    return running.service if running is not None else None


def ig_destinations(settings: Settings) -> list[Destination]:
    """Where the IG team's monthly review digest goes: their Slack channel and Teams
    conversation, as configured for hand-offs."""
    found = []
    if settings.slack_enabled and settings.slack_ig_channel:
        found.append(Destination(platform="slack", target=settings.slack_ig_channel))
    if settings.teams_enabled and settings.teams_ig_conversation:
        found.append(Destination(platform="teams", target=settings.teams_ig_conversation))
    return found


def senders(app: web.Application) -> dict[str, Sender]:
    """A sender for each platform this server runs."""
    words = app[ENGINE].knowledge.messages.platform
    found: dict[str, Sender] = {}
    if app[SETTINGS].slack_enabled:
        from adapters.slack.reminders import SlackSender
        from adapters.slack.routes import SLACK

        if SLACK in app:
            found["slack"] = SlackSender(app[SLACK].bolt.client, words)
    if app[SETTINGS].teams_enabled:
        from adapters.teams.reminders import TeamsSender
        from adapters.teams.routes import TEAMS

        if TEAMS in app:
            found["teams"] = TeamsSender(app[TEAMS].outbox, app[REFERENCES], words)
    return found


async def _reminders(app: web.Application) -> AsyncIterator[None]:
    settings, engine = app[SETTINGS], app[ENGINE]
    clock = engine.clock  # the engine's, so tests step time for both rather than wait
    store = await open_reminder_store(settings.database_url)
    found = senders(app)
    catalogue = Catalogue(engine.knowledge, store)
    deliverer = Deliverer(store, found.values(), clock)
    grace = dt.timedelta(minutes=settings.reminder_grace_minutes)
    check = check_links if settings.reminder_check_links else None
    digest = configured_digest(engine.knowledge, settings, ig_destinations(settings), check)
    scheduler = Scheduler(store, catalogue, deliverer, clock, grace=grace, digest=digest)
    service = Reminders(store, catalogue, deliverer, clock)
    app[REMINDERS] = Running(service, store, deliverer, scheduler, found)
    stopping = asyncio.Event()
    interval = settings.reminders_tick_seconds
    task = asyncio.create_task(_run(scheduler, interval, stopping), name="reminders")
    log.info(messages.REMINDERS_RUNNING, interval, ", ".join(found) or "none")
    try:
        yield
    finally:
        stopping.set()
        try:  # let a tick in progress finish its slot; cut it off only past the grace
            await asyncio.wait_for(asyncio.shield(task), SHUTDOWN_GRACE)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await store.close()


async def _run(scheduler: Scheduler, interval: float, stopping: asyncio.Event) -> None:
    """Tick every ``interval`` seconds until ``stopping`` is set; a failed tick (the database
    down) is logged and the next one tries again: the slots wait in the database."""
    while not stopping.is_set():
        try:
            await scheduler.tick()
        except Exception as exc:  # keep the loop alive
            log.warning(messages.REMINDER_TICK_FAILED, type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), interval)
