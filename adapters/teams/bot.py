"""The bot: activities in, core turns through the engine, Adaptive Cards out.

The engine's turn runs inside the request (it is quick, and a card press must be answered with
the pressed card as it should now look), so the decision is recorded before Teams gets its
answer; sending the reply (another round trip, possibly throttled) happens after, through the
outbox. The adapter makes no decisions: it passes on what was typed or the id of the button
pressed, and shows what the core replies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, cast

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import (
    AdaptiveCardInvokeResponse,
    ConversationAccount,
    ConversationReference,
)

from adapters.teams import cards, convert, reminders
from adapters.teams.cards import Card
from adapters.teams.notifier import IgNotifier
from adapters.teams.outbox import Outbox
from adapters.teams.references import Installations
from bot import messages
from bot.engine import Engine
from bot.models import Reply, Turn
from bot.reminders import commands
from bot.reminders.service import Reminders
from bot.types import SeenKeys, Shelf

log = logging.getLogger(__name__)
# How long a card with buttons is kept, to show as answered when one is pressed, and a press, so
# the card answers once (see ``press``): as long as the conversation it belongs to is kept idle.
CARD_LIFE = dt.timedelta(hours=24)
# How long a second press of a card waits for the first's answer, then how often it looks: Teams
# waits a few seconds for the card to show, and the first press's turn is quick.
ANSWER_WAIT, ANSWER_POLL = 3.0, 0.05
ERROR_TYPE = "application/vnd.microsoft.error"


class Teams:
    """What every turn shares: the engine, the outbox, and what recent turns left behind.
    Resent activities are remembered in ``seen``, and cards with buttons and their presses on
    ``shelf``: by default beside the engine's conversations (in Redis, for every instance, when
    they are there)."""

    def __init__(
        self,
        engine: Engine,
        outbox: Outbox,
        installations: Installations,
        notifier: IgNotifier | None,
        ig_team: Iterable[str] = (),
        reminders: Callable[[], Reminders | None] = lambda: None,
        seen: SeenKeys | None = None,
        shelf: Shelf | None = None,
    ) -> None:
        self.engine, self.outbox, self.installations = engine, outbox, installations
        self.seen = engine.store.seen_keys() if seen is None else seen
        self.shelf = engine.store.shelf() if shelf is None else shelf
        self.notifier = notifier
        self.ig_team = frozenset(member.lower() for member in ig_team)  # Entra object ids
        self.reminders = reminders  # the reminder commands, once the server has them running

    async def first_time(self, activity: Mapping[str, Any]) -> bool:
        """Whether this activity is new, not one Teams resends because it thinks it was lost
        (perhaps to another instance). Asked only after authentication, so only Teams can
        claim an id."""
        key = convert.dedupe_key(activity)
        if key is None or await self.seen.first_time(f"{convert.CHANNEL}:{key}"):
            return True
        log.info(messages.TEAMS_DUPLICATE, activity["type"])
        return False

    async def converse(self, context: TurnContext, activity: Mapping[str, Any]) -> None:
        """What a staff member typed: the core's turn now, the reply after the answer."""
        turn = convert.from_message(activity)
        if turn is None:
            return
        service = self.reminders()
        if turn.text is not None and service is not None:
            if commands.is_reminder_command(turn.text):
                self.reminder_command(context, activity, turn, service)
                return
        question = reminders.asked(activity)
        if question is not None:  # a reminder's "Ask me about this": its snippet, afresh
            start = {"channel": turn.channel, "conversation": turn.conversation, "user": turn.user}
            turn = Turn(**start, choice="start-over")
            if question != turn.choice:
                await self.engine.handle(turn)
                turn = Turn(**start, choice=question)
        self.respond(context, activity, await self.engine.handle(turn))

    async def press(
        self, context: TurnContext, activity: Mapping[str, Any], press: convert.Press
    ) -> Card:
        """A button pressed: the pressed card as it should now look. A card answers once: a
        second press on it (a double click, a colleague in the thread), on this instance or
        another, gets the same card."""
        key = f"{convert.place(activity)}:{press.card}" if press.card else None
        if key is not None and not await self.shelf.claim(f"pressed:{key}", CARD_LIFE):
            return await self._answer_of(key, press)
        try:
            reply = await self.engine.handle(convert.press_turn(activity, press))
        except BaseException:
            if key is not None:  # not answered: the button may be pressed again
                await self.shelf.release(f"pressed:{key}")
            raise
        original = await self._card(press.card) or cards.card([], press.label)
        taken = reply.error is None  # not a stale button, nor an answer that wasn't saved
        shown = cards.answered(original, press.label if taken else None)
        if key is not None:
            await self.shelf.put(f"answer:{key}", json.dumps(shown), CARD_LIFE)
        self.respond(context, activity, reply)
        return shown

    async def _answer_of(self, key: str, press: convert.Press) -> Card:
        """The card as the first press of it left it, once that press is answered."""
        loop = asyncio.get_running_loop()
        until = loop.time() + ANSWER_WAIT
        while (answer := await self.shelf.get(f"answer:{key}")) is None and loop.time() < until:
            await asyncio.sleep(ANSWER_POLL)
        if answer is not None:
            return cast(Card, json.loads(answer))
        # Not answered in time (or the shelf lost it): the card without its buttons
        return cards.answered(await self._card(press.card) or cards.card([], press.label), None)

    async def _card(self, card_id: str | None) -> Card | None:
        kept = await self.shelf.get(f"card:{card_id}") if card_id else None
        return None if kept is None else cast(Card, json.loads(kept))

    def reminder_command(
        self, context: TurnContext, activity: Mapping[str, Any], turn: Turn, service: Reminders
    ) -> None:
        """An IG member managing reminders (the core reads the command and refuses anyone
        else). Carried out after the answer: sending to many places takes longer than Teams
        waits for one."""
        assert turn.text is not None
        text, reference = turn.text, reply_reference(context, activity)
        allowed = reminders.in_ig_team(activity, self.ig_team)
        pseudonym = self.engine.pseudonymise(convert.CHANNEL, turn.user)
        words = self.engine.knowledge.messages.platform

        async def carry_out() -> None:
            reply = await commands.handle(text, allowed=allowed, user=pseudonym, reminders=service)
            shown = reminders.command_card(reply, words)
            await self.outbox.deliver(reference, [cards.message(shown, shown["fallbackText"])])

        self.outbox.queue(reference.conversation.id, carry_out, "teams-reminder-command")

    def respond(self, context: TurnContext, activity: Mapping[str, Any], reply: Reply) -> None:
        """Show ``reply`` where the staff member is, after the answer (see ``Outbox``)."""
        reference = reply_reference(context, activity)
        name = activity["from"].get("name")

        async def deliver() -> None:
            notice = None
            if reply.handoff is not None and self.notifier is not None:
                sent = await self.notifier.hand_off(reply.handoff, reference, name)
                said = self.engine.knowledge.messages.platform.handoff_sent
                notice = said.format(where="") if sent else None
            card_id = secrets.token_urlsafe(9)
            shown = cards.reply_card(reply, self.engine.knowledge.messages, card_id, notice)
            if reply.choices or reply.actions:
                await self.shelf.put(f"card:{card_id}", json.dumps(shown), CARD_LIFE)
            await self.outbox.deliver(reference, [cards.message(shown, cards.fallback(reply))])

        self.outbox.queue(reference.conversation.id, deliver, "teams-reply")


class TurnBot(ActivityHandler):  # type: ignore[misc]
    """One activity's handling, built per request around the activity's JSON as Teams sent it
    (see ``convert``). ``reached`` says the SDK let the request through to the bot."""

    def __init__(self, teams: Teams, activity: Mapping[str, Any]) -> None:
        self.teams, self.activity = teams, activity
        self.reached = False

    async def on_turn(self, turn_context: TurnContext) -> None:
        self.reached = True
        if await self.teams.first_time(self.activity):
            await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self.teams.converse(turn_context, self.activity)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        # Answered here rather than in on_adaptive_card_invoke: that path hands CloudAdapter a
        # body already serialised, which it serialises again and fails on (botbuilder 4.17).
        press = convert.from_press(self.activity)
        if press is None:  # no other invoke is ours, nor a button we didn't make
            return _invoke(HTTPStatus.BAD_REQUEST, ERROR_TYPE, {"code": "BadRequest"})
        shown = await self.teams.press(turn_context, self.activity, press)
        return _invoke(HTTPStatus.OK, cards.CARD_TYPE, shown)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self._installation(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self._installation(turn_context)

    async def _installation(self, turn_context: TurnContext) -> None:
        change = convert.installation(self.activity)
        if change == "added":
            await self.teams.installations.added(turn_context, self.activity)
        elif change == "removed":
            await self.teams.installations.removed(self.activity)


def reply_reference(context: TurnContext, activity: Mapping[str, Any]) -> ConversationReference:
    """Where replies to ``activity`` go: its conversation, or in a channel the thread."""
    reference = TurnContext.get_conversation_reference(context.activity)
    thread = convert.place(activity)
    if thread != reference.conversation.id:
        old = reference.conversation
        reference.conversation = ConversationAccount(
            id=thread, conversation_type=old.conversation_type, is_group=old.is_group
        )
    return reference


def _invoke(status: HTTPStatus, kind: str, value: dict[str, Any]) -> InvokeResponse:
    body = AdaptiveCardInvokeResponse(status_code=int(status), type=kind, value=value)
    return InvokeResponse(status=int(status), body=body)
