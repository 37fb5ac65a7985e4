"""``infoshare reminders ...`` and ``infoshare knowledge stale``: the IG team's reminders from the
command line, on the same database (and the same platforms) as the server.

Exit codes: 0 done; 1 the database or a platform failed (or, for ``send``, no destination
got it; for ``knowledge stale``, something is overdue); 2 a bad argument (unknown reminder,
note or schedule, a schedule that can't be read, a note a schedule still sends), with a
message naming the bad part.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import getpass
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import TextIO

from bot.knowledge import Knowledge, load_knowledge
from bot.pseudonym import Pseudonymiser
from bot.reminders.catalogue import Catalogue
from bot.reminders.commands import history_line
from bot.reminders.delivery import Deliverer
from bot.reminders.digest import render, review_digest
from bot.reminders.models import NOTE_PREFIX
from bot.reminders.schedules import LONDON, describe
from bot.reminders.service import ReminderError, Reminders, Targets, parse_targets
from bot.reminders.types import Sender
from bot.service import pseudonym_key
from bot.settings import Settings
from bot.storage.reminders import open_reminder_store

SenderFactory = Callable[[Settings, Knowledge], AbstractAsyncContextManager[list[Sender]]]


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    knowledge: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``reminders`` to the top-level commands and ``stale`` to ``knowledge``'s."""
    stale = knowledge.add_parser(
        "stale", help="snippets overdue for review, and policy links that don't answer"
    )
    stale.add_argument(
        "--months",
        type=_positive,
        help="overdue after this many months (INFOSHARE_REMINDER_STALE_MONTHS, 12)",
    )
    stale.add_argument("--no-links", action="store_true", help="don't check the policy links")
    stale.set_defaults(run=_stale)

    reminders = sub.add_parser("reminders", help="policy reminders: list, send, schedule, history")
    rsub = reminders.add_subparsers(required=True, metavar="ACTION")
    rsub.add_parser("list", help="what can be sent, and the schedules").set_defaults(
        run=run("list")
    )
    preview = rsub.add_parser("preview", help="show a reminder as it will be sent")
    preview.add_argument("reminder", help="a snippet id or a note id (note-1)")
    preview.set_defaults(run=run("preview"))
    send = rsub.add_parser("send", help="send a reminder now")
    send.add_argument("reminder")
    where = "#channel, a Slack channel id, teams:KEY or everywhere; repeatable"
    send.add_argument("--to", action="append", required=True, metavar="WHERE", help=where)
    send.set_defaults(run=run("send"))
    schedule = rsub.add_parser("schedule", help="send a reminder on a schedule (London time)")
    schedule.add_argument("reminder")
    schedule.add_argument("rule", help="'every Monday 9:00', 'every weekday at 8:30', '0 9 * * 1'")
    schedule.add_argument("--to", action="append", required=True, metavar="WHERE")
    schedule.set_defaults(run=run("schedule"))
    note = rsub.add_parser("note", help="write a one-off reminder text (kept as note-N)")
    note.add_argument("--title", required=True)
    note.add_argument("--text", required=True)
    note.add_argument("--link", help="the policy page, https://...")
    note.set_defaults(run=run("note"))
    for action, what in (
        ("pause", "pause a schedule"),
        ("resume", "resume a paused schedule"),
    ):
        parser = rsub.add_parser(action, help=what)
        parser.add_argument("schedule", type=_positive, help="the schedule's number")
        parser.set_defaults(run=run(action))
    delete = rsub.add_parser("delete", help="delete a schedule, or a note no schedule sends")
    delete.add_argument(
        "schedule", type=_schedule_or_note, metavar="N|note-N", help="a schedule's number or a note"
    )
    delete.set_defaults(run=run("delete"))
    history = rsub.add_parser("history", help="where reminders went, when, and what failed")
    history.add_argument("reminder", nargs="?", help="only this reminder")
    history.add_argument("--limit", type=_positive, default=50)
    history.add_argument("--schedule", type=_positive, help="only this schedule's slots")
    history.set_defaults(run=run("history"))


def run(
    action: str, senders: SenderFactory | None = None, out: TextIO | None = None
) -> Callable[[argparse.Namespace, Settings], int]:
    def command(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(
            reminders_command(
                action, args, settings, senders or platform_senders, out or sys.stdout
            )
        )

    return command


async def reminders_command(
    action: str, args: argparse.Namespace, settings: Settings, senders: SenderFactory, out: TextIO
) -> int:
    knowledge = load_knowledge(settings.knowledge_dir)
    store = await open_reminder_store(settings.database_url)
    try:
        async with senders(settings, knowledge) if action == "send" else _none() as found:
            if action == "send":
                _check_platforms(parse_targets(args.to), found)
            deliverer = Deliverer(store, found, _now)
            service = Reminders(store, Catalogue(knowledge, store), deliverer, _now)
            return await _ACTIONS[action](service, args, settings, out)
    except ReminderError as exc:
        print(f"infoshare: {exc}", file=sys.stderr)
        return 2
    finally:
        await store.close()


_PLATFORM_SETTINGS = {
    "slack": "INFOSHARE_SLACK_BOT_TOKEN and INFOSHARE_SLACK_SIGNING_SECRET",
    "teams": "INFOSHARE_TEAMS_APP_ID and INFOSHARE_TEAMS_APP_PASSWORD",
}


def _check_platforms(targets: Targets, found: list[Sender]) -> None:
    """Refuse, before anything is sent or recorded, to send where no platform is configured."""
    served = {sender.platform for sender in found}
    if targets.everywhere and not served:
        wanted = " or ".join(_PLATFORM_SETTINGS.values())
        raise ReminderError(f"no chat platform is configured to send through: set {wanted}")
    for platform in sorted({d.platform for d in targets.destinations} - served):
        raise ReminderError(
            f"{platform} is not configured, so nothing was sent: set {_PLATFORM_SETTINGS[platform]}"
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@contextlib.asynccontextmanager
async def _none() -> AsyncIterator[list[Sender]]:
    yield []


@contextlib.asynccontextmanager
async def platform_senders(settings: Settings, knowledge: Knowledge) -> AsyncIterator[list[Sender]]:
    """A sender for each platform configured; platform code is imported only when it is."""
    found: list[Sender] = []
    async with contextlib.AsyncExitStack() as stack:
        words = knowledge.messages.platform
        if settings.slack_enabled and settings.slack_bot_token is not None:
            from slack_sdk.web.async_client import AsyncWebClient

            from adapters.slack.reminders import SlackSender

            client = AsyncWebClient(
                token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
            )
            found.append(SlackSender(client, words))
        if settings.teams_enabled:
            found.append(await stack.enter_async_context(_teams_sender(settings, knowledge)))
        yield found


@contextlib.asynccontextmanager
async def _teams_sender(settings: Settings, knowledge: Knowledge) -> AsyncIterator[Sender]:
    """The server's Teams sender, built outside the server: its token source, the Bot
    Connector clients and the conversation references kept at installation."""
    import aiohttp

    from adapters.background import Background
    from adapters.teams.auth import TokenSource, build_authentication
    from adapters.teams.outbox import Outbox
    from adapters.teams.reminders import TeamsSender
    from bot.storage.open import open_references

    references = await open_references(settings.database_url)
    background = Background()
    try:
        async with aiohttp.ClientSession() as session:
            tokens = None
            if settings.teams_app_id is not None and settings.teams_app_password is not None:
                password = settings.teams_app_password.get_secret_value()
                tokens = TokenSource(
                    session, settings.teams_token_endpoint, settings.teams_app_id, password
                )
            authentication = build_authentication(settings, tokens)
            outbox = Outbox(authentication, settings.teams_app_id, tokens, background)
            yield TeamsSender(outbox, references, knowledge.messages.platform)
    finally:
        await background.close(5.0)
        await references.close()


async def _list(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    print("reminders:", file=out)
    for reminder in await service.reminders():
        print(f"  {reminder.id}: {reminder.title}", file=out)
    schedules = await service.schedules()
    print("schedules:" if schedules else "schedules: none", file=out)
    for s in schedules:
        where = ", ".join(
            (["everywhere"] if s.everywhere else []) + [d.key for d in s.destinations]
        )
        state = (
            "paused" if s.paused else f"next {describe(s.next_slot)}" if s.next_slot else "finished"
        )
        print(f"  {s.id}: {s.reminder} '{s.rule}' to {where} ({state})", file=out)
    return 0


async def _preview(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    reminder = await service.preview(args.reminder)
    print(f"{reminder.title}\n\n{reminder.text}", file=out)
    for link in reminder.links:
        print(f"\n{link.title}: {link.url}", file=out)
    if reminder.ask:
        print(f'\n[Ask me about this] -> "{reminder.ask}"', file=out)
    return 0


async def _send(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    results = await service.send_now(args.reminder, parse_targets(args.to))
    for result in results:
        detail = f" ({result.detail})" if result.detail else ""
        print(f"{result.destination.key}: {result.status}{detail}", file=out)
    sent = sum(r.status == "sent" for r in results)
    print(f"{sent} of {len(results)} delivered", file=out)
    return 0 if sent else 1


async def _schedule(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    made = await service.schedule(
        args.reminder, args.rule, parse_targets(args.to), _author(settings)
    )
    print(
        f"schedule {made.schedule.id}: {made.schedule.reminder} '{made.schedule.rule}'; next:",
        file=out,
    )
    for slot in made.upcoming:
        print(f"  {describe(slot)}", file=out)
    return 0


async def _note(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    note = await service.write_note(args.title, args.text, args.link, _author(settings))
    print(f"kept as {note.id}: infoshare reminders send {note.id} --to '#channel'", file=out)
    return 0


async def _pause(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    schedule = await service.pause(args.schedule)
    print(f"schedule {schedule.id} paused", file=out)
    return 0


async def _resume(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    schedule = await service.resume(args.schedule)
    when = describe(schedule.next_slot) if schedule.next_slot else "never"
    print(f"schedule {schedule.id} resumed: next {when}", file=out)
    return 0


async def _delete(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    if isinstance(args.schedule, str):
        note = await service.delete_note(args.schedule)
        print(f"{note.id} deleted", file=out)
        return 0
    schedule = await service.delete(args.schedule)
    print(f"schedule {schedule.id} deleted", file=out)
    return 0


async def _history(
    service: Reminders, args: argparse.Namespace, settings: Settings, out: TextIO
) -> int:
    history = await service.history(args.reminder, args.limit, getattr(args, "schedule", None))
    for delivery in history:
        print(history_line(delivery).removeprefix("- ").replace("`", ""), file=out)
    if not history:
        print("nothing sent yet", file=out)
    return 0


_ACTIONS = {
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


def _stale(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    knowledge = load_knowledge(settings.knowledge_dir)
    months = args.months or settings.reminder_stale_months
    check = None
    if not args.no_links:
        from adapters.link_check import check_links  # aiohttp: only when links are checked

        check = check_links
    today = dt.datetime.now(LONDON).date()
    digest = asyncio.run(review_digest(knowledge, today, months, check))
    for line in render(digest):
        print(line.replace("**", "").replace("`", ""), file=out)
    return 0 if digest.clean else 1


def _author(settings: Settings) -> str:
    """Who wrote a schedule or note from the command line: the login name, pseudonymised."""
    return Pseudonymiser(pseudonym_key(settings))("cli", getpass.getuser())


def _schedule_or_note(value: str) -> int | str:
    if value.lower().startswith(NOTE_PREFIX):
        return value.lower()
    try:
        return _positive(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a whole number above 0 (a schedule) or a note id (note-1)"
        ) from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number above 0")
    return int(value)
