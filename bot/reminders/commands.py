"""What an IG member types in chat to manage reminders, read and carried out.

Adapters decide who is in the IG team (they know the platform's users and groups) and pass
``allowed``; everyone else gets a polite refusal and the attempt is logged under the person's
pseudonym. The reply is platform-neutral: light Markdown text, plus the reminder itself for a
preview so each platform can show it exactly as it will be sent.

    reminders | reminder list                     what can be sent, and the schedules
    reminder preview ID
    reminder send ID to #general, teams:KEY | everywhere
    reminder schedule ID every Monday 9:00 to everywhere     (or cron: 0 9 * * 1)
    reminder note TITLE: TEXT [https://link]      a one-off text, kept as note-N
    reminder pause N | resume N | delete N
    reminder delete note-N                        a note no schedule sends
    reminder history [ID | N]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from pydantic import BaseModel

from bot import messages
from bot.reminders.models import NOTE_PREFIX, Delivery, DeliveryResult, Reminder
from bot.reminders.schedules import describe
from bot.reminders.service import ReminderError, Reminders, Scheduled, parse_targets
from bot.storage import StorageError

log = logging.getLogger(__name__)
_WORD = re.compile(r"^\s*/?reminders?\b", re.IGNORECASE)
HISTORY_SHOWN = 20


class CommandReply(BaseModel):
    """What to show the IG member. ``error`` is a code for adapters and tests: "refused",
    "usage", "invalid" or "unavailable" (the database); None when the command was carried
    out."""

    text: str
    preview: Reminder | None = None
    error: str | None = None


def is_reminder_command(text: str) -> bool:
    """Does this message start with "reminder" or "reminders"? Adapters send those here."""
    return bool(_WORD.match(text))


async def handle(text: str, *, allowed: bool, user: str, reminders: Reminders) -> CommandReply:
    """Carry out one command typed by ``user`` (a pseudonym, kept as the schedule's author)."""
    said = reminders.catalogue.words
    words = _WORD.sub("", text, count=1).split()
    verb = words[0].lower() if words else "list"
    if not allowed:
        log.warning(messages.REMINDER_REFUSED, user, verb if verb in _COMMANDS else "?")
        return CommandReply(text=said.refused, error="refused")
    if verb == "help":
        return CommandReply(text=said.usage)
    command = _COMMANDS.get(verb)
    if command is None:
        return CommandReply(text=f"I don't know '{words[0]}'.\n\n{said.usage}", error="usage")
    try:
        return await command(reminders, words[1:], user)
    except ReminderError as exc:
        return CommandReply(text=f"{_sentence(str(exc))}\n\n{said.usage}", error="invalid")
    except StorageError as exc:
        log.warning(messages.REMINDER_COMMAND_FAILED, verb, exc)
        return CommandReply(text=said.unavailable, error="unavailable")


async def _list(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    lines = ["**Reminders** (send one with `reminder send ID to #channel`):"]
    lines += [f"- `{r.id}`: {r.title}" for r in await reminders.reminders()]
    schedules = await reminders.schedules()
    lines.append("")
    lines.append("**Schedules**:" if schedules else "No schedules yet.")
    for s in schedules:
        where = ", ".join(
            (["everywhere"] if s.everywhere else []) + [d.key for d in s.destinations]
        )
        state = "paused" if s.paused else f"next {describe(s.next_slot)}" if s.next_slot else "done"
        lines.append(f"- {s.id}: `{s.reminder}` {s.rule} to {where} ({state})")
    return CommandReply(text="\n".join(lines))


async def _preview(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    reminder = await reminders.preview(_one(args, "reminder preview ID"))
    return CommandReply(text=f"Preview of `{reminder.id}`:", preview=reminder)


async def _send(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    reminder_id, rest = _split_to(args, "reminder send ID to #channel")
    if rest:
        raise ReminderError(f"say only the reminder's id before 'to', not '{' '.join(rest)}'")
    results = await reminders.send_now(reminder_id, parse_targets(_after_to(args)))
    return CommandReply(text=f"Sent `{reminder_id}`: " + _results(results))


async def _schedule(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    usage = "reminder schedule ID every Monday 9:00 to #channel"
    reminder_id, rule = _split_to(args, usage)
    if not rule:
        raise ReminderError(f"say when, between the id and 'to': {usage}")
    made = await reminders.schedule(
        reminder_id, " ".join(rule), parse_targets(_after_to(args)), user
    )
    return CommandReply(text=_scheduled(made))


async def _note(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    body = " ".join(args)
    link = None
    if args and args[-1].startswith(("https://", "http://")):
        link, body = args[-1], " ".join(args[:-1])
    title, colon, text = body.partition(":")
    if not colon:
        raise ReminderError("write the note as: reminder note Title: the text [https://link]")
    note = await reminders.write_note(title, text, link, user)
    return CommandReply(
        text=f"Kept as `{note.id}`. Send it with `reminder send {note.id} to #channel`.",
        preview=await reminders.preview(note.id),
    )


async def _pause(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    schedule = await reminders.pause(_number(args, "reminder pause N"))
    return CommandReply(
        text=f"Schedule {schedule.id} paused; `reminder resume {schedule.id}` restarts it."
    )


async def _resume(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    schedule = await reminders.resume(_number(args, "reminder resume N"))
    when = describe(schedule.next_slot) if schedule.next_slot else "never again"
    return CommandReply(text=f"Schedule {schedule.id} resumed: next {when}.")


async def _delete(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    usage = "reminder delete N (a schedule) or reminder delete note-N"
    if _one(args, usage).lower().startswith(NOTE_PREFIX):
        note = await reminders.delete_note(args[0].lower())
        return CommandReply(text=f"Note `{note.id}` ({note.title}) deleted.")
    schedule = await reminders.delete(_number(args, usage))
    return CommandReply(
        text=f"Schedule {schedule.id} (`{schedule.reminder}`, {schedule.rule}) deleted."
    )


async def _history(reminders: Reminders, args: list[str], user: str) -> CommandReply:
    which = args[0] if args else None
    if which is not None and which.isdigit():  # "reminder history 3": schedule 3's slots
        history = await reminders.history(None, HISTORY_SHOWN, schedule=int(which))
    else:
        history = await reminders.history(which, HISTORY_SHOWN)
    if not history:
        return CommandReply(text="Nothing sent yet.")
    return CommandReply(
        text="**Delivery history**, newest first:\n" + "\n".join(history_line(d) for d in history)
    )


def history_line(d: Delivery) -> str:
    """One delivery for people; the command line prints the same."""
    origin = "sent now" if d.schedule is None else f"schedule {d.schedule}"
    slot = f" for {describe(d.slot)}" if d.slot else ""
    where = f" to {d.destination}" if d.destination else ""
    detail = f" ({d.detail})" if d.detail else ""
    return f"- {describe(d.time)}: `{d.reminder}`{where}: {d.status}{detail}, {origin}{slot}"


def _results(results: list[DeliveryResult]) -> str:
    sent = [r for r in results if r.status == "sent"]
    lines = [f"{len(sent)} of {len(results)} delivered."]
    lines += [
        f"- {r.destination.key}: {r.status} ({r.detail})" for r in results if r.status != "sent"
    ]
    return "\n".join(lines)


def _scheduled(made: Scheduled) -> str:
    s = made.schedule
    where = ", ".join((["everywhere"] if s.everywhere else []) + [d.key for d in s.destinations])
    slots = "\n".join(f"- {describe(slot)}" for slot in made.upcoming)
    return f"Schedule {s.id}: `{s.reminder}` {s.rule} to {where}. Next:\n{slots}"


def _split_to(args: list[str], usage: str) -> tuple[str, list[str]]:
    """The id and what lies between it and the last "to"."""
    lowered = [a.lower() for a in args]
    if "to" not in lowered or lowered.index("to") == 0:
        raise ReminderError(f"write it as: {usage}")
    last = len(lowered) - 1 - lowered[::-1].index("to")
    return args[0], args[1:last]


def _after_to(args: list[str]) -> list[str]:
    lowered = [a.lower() for a in args]
    return args[len(lowered) - lowered[::-1].index("to") :]


def _one(args: list[str], usage: str) -> str:
    if len(args) != 1:
        raise ReminderError(f"write it as: {usage}")
    return args[0]


def _number(args: list[str], usage: str) -> int:
    value = _one(args, usage)
    if not value.isdigit():
        raise ReminderError(f"'{value}' is not a schedule number: {usage}")
    return int(value)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


Command = Callable[[Reminders, list[str], str], Awaitable[CommandReply]]
_COMMANDS: dict[str, Command] = {
    "list": _list,
    "preview": _preview,
    "send": _send,
    "schedule": _schedule,
    "note": _note,
    "pause": _pause,
    "resume": _resume,
    "delete": _delete,
    "history": _history,
}
