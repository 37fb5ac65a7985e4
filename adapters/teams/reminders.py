"""Policy reminders in Teams: an Adaptive Card for a reminder, and the sender the scheduler uses.

A reminder goes, as a new message, to a conversation the app was installed in, through the
reference kept at installation (``references``) and the outbox (which retries a 429 after its
Retry-After). Its "Ask me about this" button is an Action.Submit: pressing it sends the bot a
message (not an invoke, so the card stays as it is for everyone else), and the bot starts on the
reminder's subject where it was pressed: the personal chat, or a thread under the reminder.

Teams answers 403 once the app has been removed from a conversation and 404 once the
conversation is gone; either way the destination is reported gone and its reference forgotten,
so "everywhere" stops including it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

from botbuilder.schema import ConversationReference

from adapters.pacing import Pacer
from adapters.teams import cards
from adapters.teams.cards import Card, blocks, text_block
from adapters.teams.outbox import Outbox
from bot import messages
from bot.reminders.commands import CommandReply
from bot.reminders.models import DeliveryResult, Destination, Reminder
from bot.schema import PlatformWords
from bot.types import ConversationReferences

log = logging.getLogger(__name__)
ASK = "infoshare-reminder-ask"  # marks the button's submit data as ours
OPENING = "start-over"  # the button's choice when no snippet is behind it: the menu
PACE = 0.5  # seconds between messages to one conversation (Teams: 60 per 30 s per thread)
GONE = frozenset({"HTTP 403", "HTTP 404"})
KEY_PREFIX = "teams:"  # the references' keys (``convert.reference_key``)


def reminder_card(reminder: Reminder, words: PlatformWords) -> Card:
    body = [text_block(reminder.title, size="Medium", weight="Bolder"), *blocks(reminder.text)]
    if reminder.links:
        body += blocks("\n".join(f"- [{link.title}]({link.url})" for link in reminder.links))
    body.append(text_block(words.reminder_footer, isSubtle=True, size="Small", separator=True))
    # A plain submit: Teams sends ``data`` to the bot as the message's ``value``, shows nothing
    # in the chat, and leaves the card as it is.
    ask = {
        "type": "Action.Submit",
        "title": words.reminder_ask,
        "data": {ASK: reminder.ask or OPENING},
    }
    body.append({"type": "ActionSet", "actions": [ask]})
    return cards.card(body, f"{reminder.title}: {reminder.text}"[: cards.FALLBACK_LIMIT])


def command_card(reply: CommandReply, words: PlatformWords) -> Card:
    """A reminder command's answer; a preview shows the reminder's card as it will be sent."""
    body = blocks(reply.text)
    if reply.preview is not None:
        shown = reminder_card(reply.preview, words)
        body.append({"type": "Container", "separator": True, "items": shown["body"]})
    return cards.card(body, reply.text.split("\n", 1)[0][: cards.FALLBACK_LIMIT])


def in_ig_team(activity: Mapping[str, Any], members: frozenset[str]) -> bool:
    """Whether the sender is one of the IG team's Entra object ids (Teams gives the sender's
    as ``from.aadObjectId``). Nobody configured, nobody is."""
    aad = activity["from"].get("aadObjectId")
    return isinstance(aad, str) and aad.lower() in members


def asked(activity: Mapping[str, Any]) -> str | None:
    """The choice a press of a reminder's "Ask me about this" makes (a snippet id, or the menu),
    or None if the message is anything else."""
    value = activity.get("value")
    found = value.get(ASK) if isinstance(value, Mapping) else None
    return (found.strip()[:200] or OPENING) if isinstance(found, str) else None


class TeamsSender:
    """Sends reminders to the Teams conversations the app is installed in."""

    platform = "teams"

    def __init__(
        self,
        outbox: Outbox,
        references: ConversationReferences,
        words: PlatformWords,
        pace: float = PACE,
    ) -> None:
        self.outbox, self.references, self.words = outbox, references, words
        self.pacer = Pacer(pace)

    async def everywhere(self) -> AsyncIterator[Destination]:
        """Every conversation the app is installed in."""
        async for key, _ in self.references.all():
            yield Destination(platform="teams", target=key)

    async def send(self, reminder: Reminder, destination: Destination) -> DeliveryResult:
        key, stored = await self._reference(destination.target)
        if stored is None:
            return self._result(destination, "gone", "not-installed")
        reference = ConversationReference().deserialize(stored)
        card = reminder_card(reminder, self.words)
        async with self.pacer.turn(reference.conversation.id):
            failed = await self.outbox.attempt(reference, [cards.message(card, reminder.title)])
        if failed is None:
            return DeliveryResult(destination=destination, status="sent")
        if failed in GONE:  # the app was removed, or the conversation deleted: stop trying
            if await self.references.delete(key):
                log.info(messages.REMINDER_GONE_FORGOTTEN, failed)
            return self._result(destination, "gone", failed)
        return self._result(destination, "failed", failed)

    async def _reference(self, target: str) -> tuple[str, dict[str, Any] | None]:
        """The stored reference for ``target``: a reference key ("teams:19:...") or the
        conversation id itself. A channel with no reference of its own (the IG team's, in a
        team the app was installed in through another channel) is reached through the service
        and tenant of the first installation kept, as the hand-offs reach it."""
        key = target if target.startswith(KEY_PREFIX) else KEY_PREFIX + target
        found = await self.references.get(key)
        if found is not None or not key.removeprefix(KEY_PREFIX).startswith("19:"):
            return key, found
        async for _, other in self.references.all():
            conversation = {**other.get("conversation", {}), "id": key.removeprefix(KEY_PREFIX)}
            conversation.update(conversationType="channel", isGroup=True)
            return key, {**other, "conversation": conversation, "user": None}
        return key, None

    @staticmethod
    def _result(
        destination: Destination, status: Literal["gone", "failed"], detail: str
    ) -> DeliveryResult:
        log.warning(messages.REMINDER_NOT_DELIVERED, destination.platform, status, detail)
        return DeliveryResult(destination=destination, status=status, detail=detail)
