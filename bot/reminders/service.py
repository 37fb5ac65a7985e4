"""What an IG member can do with reminders, whether from chat or the command line: list,
preview, write or delete a note, send now, schedule, pause, resume, delete, and read the
history.

Errors are ``ReminderError`` with a plain-English message that names the bad part.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from bot.redaction import redact
from bot.reminders.catalogue import Catalogue
from bot.reminders.delivery import Deliverer
from bot.reminders.models import (
    EVERYWHERE,
    Delivery,
    DeliveryResult,
    Destination,
    Note,
    Reminder,
    Schedule,
)
from bot.reminders.scheduler import DIGEST, DIGEST_ID
from bot.reminders.schedules import RuleError, parse_rule
from bot.reminders.types import ReminderStore
from bot.types import Clock

PREVIEW_SLOTS = 3
TITLE_MAX, TEXT_MAX = 150, 1500  # a reminder is short; Slack headers take 150 characters


class ReminderError(ValueError):
    """Something an IG member asked for that can't be done; the message says why."""


@dataclass(frozen=True)
class Targets:
    destinations: list[Destination]
    everywhere: bool

    def describe(self) -> str:
        keys = [d.target if d.platform == "slack" else d.key for d in self.destinations]
        return ", ".join(([EVERYWHERE] if self.everywhere else []) + keys)


@dataclass(frozen=True)
class Scheduled:
    schedule: Schedule
    upcoming: list[dt.datetime]


def parse_targets(words: list[str]) -> Targets:
    """Destinations as written ("#general", "C0123ABCD", "teams:KEY", "everywhere"), separated
    by spaces, commas or "and"."""
    items = [w for word in words for w in word.replace(",", " ").split() if w.lower() != "and"]
    if not items:
        raise ReminderError(
            "say where it goes: #channel, a Slack channel id, teams:KEY or everywhere"
        )
    everywhere = any(i.lower() == EVERYWHERE for i in items)
    found = []
    for item in items:
        if item.lower() == EVERYWHERE:
            continue
        try:
            found.append(Destination.parse(item))
        except ValueError as exc:
            raise ReminderError(str(exc)) from None
    return Targets(found, everywhere)


class Reminders:
    def __init__(
        self, store: ReminderStore, catalogue: Catalogue, deliverer: Deliverer, clock: Clock
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.deliverer = deliverer
        self.clock = clock

    async def reminders(self) -> list[Reminder]:
        return await self.catalogue.all()

    async def schedules(self) -> list[Schedule]:
        return await self.store.schedules()

    async def preview(self, reminder_id: str) -> Reminder:
        reminder = await self.catalogue.get(reminder_id)
        if reminder is None:
            close = await self._close_to(reminder_id)
            hint = f" (did you mean {close}?)" if close else ""
            raise ReminderError(
                f"there is no reminder '{reminder_id}'{hint}: use a snippet id (like "
                "passwords-and-screens) or a note id (note-1); 'reminders list' shows them all"
            )
        return reminder

    async def _close_to(self, typed: str) -> str | None:
        """The reminder id nearest what was typed: by spelling, or by a word of its title
        ("lock-screen" -> passwords-and-screens)."""
        everything = await self.catalogue.all()
        ids = [r.id for r in everything]
        near = difflib.get_close_matches(typed.lower(), ids, n=1, cutoff=0.6)
        if near:
            return near[0]
        typed_words = {w for w in re.split(r"[^a-z0-9]+", typed.lower()) if len(w) > 3}

        def shared(reminder: Reminder) -> int:  # "lock" finds "locking", "screen" "screens"
            own = re.split(r"[^a-z0-9]+", f"{reminder.id} {reminder.title}".lower())
            return sum(any(w.startswith(t) for w in own) for t in typed_words)

        scored = [(shared(r), r.id) for r in everything]
        best = max(scored, default=(0, ""))
        return best[1] if best[0] else None

    async def write_note(self, title: str, text: str, link: str | None, by: str) -> Note:
        """A one-off reminder text, kept so a schedule can send it again. It goes to many
        people, so text that names or identifies someone is refused rather than stored."""
        title, text = " ".join(title.split()), text.strip()
        if not title or not text:
            raise ReminderError("a reminder needs a title and a text")
        if len(title) > TITLE_MAX or len(text) > TEXT_MAX:
            raise ReminderError(
                f"keep it short: a title up to {TITLE_MAX} characters, a text up to {TEXT_MAX}"
            )
        if link is not None and not link.startswith(("https://", "http://")):
            raise ReminderError(f"the link '{link}' should start with https://")
        found = redact(title).found | redact(text).found
        if found:
            kinds = ", ".join(sorted(found))
            raise ReminderError(
                f"a reminder goes to many people: leave out names and identifiers (found: {kinds})"
            )
        return await self.store.add_note(title, text, link, by, self.clock())

    async def send_now(self, reminder_id: str, targets: Targets) -> list[DeliveryResult]:
        reminder = await self.preview(reminder_id)
        destinations = await self.deliverer.targets(targets.destinations, targets.everywhere)
        if not destinations:
            raise ReminderError(
                "there is nowhere to send it: the app is in no channel or conversation yet"
            )
        return await self.deliverer.deliver(reminder, destinations)

    async def schedule(
        self, reminder_id: str, rule_text: str, targets: Targets, by: str
    ) -> Scheduled:
        reminder = await self.preview(reminder_id)
        try:
            rule = parse_rule(rule_text)
        except RuleError as exc:
            raise ReminderError(f"can't read the schedule: {exc}") from None
        now = self.clock()
        first = rule.next_after(now)
        schedule = await self.store.add_schedule(  # by its own id: note-3, never note-03
            reminder.id, rule.text, targets.destinations, targets.everywhere, by, now, first
        )
        if schedule is None:  # a note deleted since preview found it
            await self.preview(reminder_id)
            raise ReminderError(f"there is no reminder '{reminder_id}'")
        return Scheduled(schedule, rule.upcoming(now, PREVIEW_SLOTS))

    async def upcoming(self, schedule: Schedule, count: int = PREVIEW_SLOTS) -> list[dt.datetime]:
        if schedule.paused or schedule.next_slot is None:
            return []
        rule = parse_rule(schedule.rule)
        first = schedule.next_slot
        return [first, *rule.upcoming(first, count - 1)]

    async def pause(self, schedule_id: int) -> Schedule:
        await self._existing(schedule_id)
        await self.store.set_paused(schedule_id, True, None)
        return await self._existing(schedule_id)

    async def resume(self, schedule_id: int) -> Schedule:
        """Slots that fell while it was paused are not sent late: it resumes at the next one."""
        schedule = await self._existing(schedule_id)
        await self.store.set_paused(
            schedule_id, False, parse_rule(schedule.rule).next_after(self.clock())
        )
        return await self._existing(schedule_id)

    async def delete(self, schedule_id: int) -> Schedule:
        schedule = await self._existing(schedule_id)
        await self.store.delete_schedule(schedule_id)
        return schedule

    async def delete_note(self, note_id: str) -> Note:
        """Delete a one-off note. One that a schedule still sends is refused, naming the
        schedules: deleted, it would leave them sending nothing, which only the history would
        show. The schedules are deleted first, by the IG member, then the note."""
        note = await self.store.note(note_id)
        users = None if note is None else await self.store.delete_note(note.id)
        if note is None or users is None:
            raise ReminderError(f"there is no note '{note_id}': 'reminders list' shows them")
        if len(users) == 1:
            raise ReminderError(
                f"schedule {users[0]} still sends {note.id}, so the note was kept: delete "
                f"schedule {users[0]} first (without the note it would send nothing), then the note"
            )
        if users:
            numbers = ", ".join(str(n) for n in users[:-1]) + f" and {users[-1]}"
            raise ReminderError(
                f"schedules {numbers} still send {note.id}, so the note was kept: delete those "
                "schedules first (without the note they would send nothing), then the note"
            )
        return note

    async def history(
        self, reminder_id: str | None = None, limit: int = 50, schedule: int | None = None
    ) -> list[Delivery]:
        """Newest first; of one reminder, or of one schedule's slots, or of everything. A
        reminder or schedule with nothing sent that doesn't exist is a ReminderError, as
        everywhere else; one deleted since it was sent still has its history."""
        found = self.store.history(reminder=reminder_id, schedule=schedule, limit=limit)
        history = [d async for d in found]
        if not history:
            if reminder_id is not None and reminder_id != DIGEST_ID:
                await self.preview(reminder_id)  # raises, saying so, if there is no such one
            if schedule is not None and schedule != DIGEST:
                await self._existing(schedule)
        return history

    async def _existing(self, schedule_id: int) -> Schedule:
        schedule = await self.store.schedule(schedule_id)
        if schedule is None:
            raise ReminderError(f"there is no schedule {schedule_id}: 'reminders list' shows them")
        return schedule
