"""Policy reminders in Slack: Block Kit for a reminder, and the sender the scheduler uses.

A reminder is posted as its title, its text, its policy links and an "Ask me about this" button.
The button is the same for everyone who sees it, so pressing it doesn't change the message (as a
question's buttons do): the app answers the presser in their DM, starting on the reminder's
subject there, away from the channel.

Sending keeps to Slack's limit of about one message a second per channel (``Pacer``); a 429 is
retried after its Retry-After by the client's own retry handler (``adapters.slack.api``). A
channel that is gone or closed to the app is reported as such, and the caller carries on with
the other destinations.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    PlainTextObject,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import Pacer
from adapters.slack.blocks import MAX_BLOCKS, _clip, context, escape, sections
from adapters.slack.convert import SHARED_BLOCK
from bot import messages
from bot.reminders.commands import CommandReply
from bot.reminders.models import DeliveryResult, Destination, Reminder
from bot.schema import PlatformWords

log = logging.getLogger(__name__)
ASK_BLOCK = SHARED_BLOCK  # not under blocks.BLOCK_ID: pressing it changes nothing
ASK_ACTION = "ask"
OPENING = "start-over"  # the button's choice when no snippet is behind it: the menu
PACE = 1.0  # seconds between messages to one channel (Slack: about one a second)
NAMES_TTL = 300.0  # seconds a channel name -> id lookup is trusted
PAGE = 200  # channels per conversations.list / users.conversations page
CHANNEL_TYPES = "public_channel,private_channel"
GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")
HEADER_LIMIT = 150
FALLBACK_LIMIT = 300


def reminder_blocks(reminder: Reminder, words: PlatformWords) -> list[Block]:
    """The reminder as Block Kit: escaped, so nobody's text can ping a channel or forge a link."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_clip(reminder.title, HEADER_LIMIT)))
    ]
    blocks += sections(reminder.text)
    if reminder.links:
        blocks += sections("\n".join(f"- [{link.title}]({link.url})" for link in reminder.links))
    ask = ButtonElement(
        text=PlainTextObject(text=words.reminder_ask),
        action_id=ASK_ACTION,
        value=_clip(reminder.ask or OPENING, 2000),
    )
    blocks.append(ActionsBlock(block_id=f"{ASK_BLOCK}-{reminder.id}"[:255], elements=[ask]))
    blocks.append(context(words.reminder_footer))
    return blocks


def command_blocks(reply: CommandReply, words: PlatformWords) -> list[Block]:
    """A reminder command's answer; a preview shows the reminder exactly as it will be sent."""
    shown: list[Block] = sections(reply.text)
    if reply.preview is not None:
        shown += [DividerBlock(), *reminder_blocks(reply.preview, words)]
    return shown[:MAX_BLOCKS]


def fallback(reminder: Reminder) -> str:
    """What notifications show: the title and the start of the text."""
    return escape(_clip(f"{reminder.title}: {reminder.text}", FALLBACK_LIMIT))


class SlackSender:
    """Sends reminders to Slack channels (``bot.reminders.types.Sender``)."""

    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        words: PlatformWords,
        pace: float = PACE,
        names_ttl: float = NAMES_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client, self.words = client, words
        self.pacer = Pacer(pace)
        self._names: dict[str, str] = {}
        self._names_at: float | None = None
        self._names_ttl, self._clock = names_ttl, clock

    async def everywhere(self) -> AsyncIterator[Destination]:
        """Every channel the app is a member of (archived ones left out)."""
        async for channel in self._pages("users.conversations"):
            yield Destination(platform="slack", target=channel["id"])

    async def send(self, reminder: Reminder, destination: Destination) -> DeliveryResult:
        try:
            channel = await self.channel_id(destination.target)
        except SlackApiError as exc:
            return self._result(destination, "failed", _error(exc))
        except (TimeoutError, aiohttp.ClientError) as exc:
            return self._result(destination, "failed", type(exc).__name__)
        if channel is None:
            return self._result(destination, "gone", "channel_not_found")
        async with self.pacer.turn(channel):
            try:
                await self.client.chat_postMessage(
                    channel=channel,
                    text=fallback(reminder),
                    blocks=reminder_blocks(reminder, self.words),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:  # after the client's retries of a 429
                error = _error(exc)
                return self._result(destination, "gone" if error in GONE else "failed", error)
            except (TimeoutError, aiohttp.ClientError) as exc:
                return self._result(destination, "failed", type(exc).__name__)
        return DeliveryResult(destination=destination, status="sent")

    async def channel_id(self, target: str) -> str | None:
        """A channel id for ``target``: an id as given; ``#name`` (or a bare name) looked up
        (conversations.list, every page, kept a few minutes); None when no channel has it."""
        if _CHANNEL_ID.fullmatch(target):
            return target
        name = target.removeprefix("#").lower()
        fresh = self._names_at is not None and self._clock() - self._names_at < self._names_ttl
        if not fresh or name not in self._names:
            names: dict[str, str] = {}
            async for channel in self._pages("conversations.list", archived=True):
                names[str(channel.get("name", "")).lower()] = channel["id"]
            self._names, self._names_at = names, self._clock()
        return self._names.get(name)

    async def _pages(self, method: str, archived: bool = False) -> AsyncIterator[dict[str, Any]]:
        """Every channel ``method`` lists, page by page, following Slack's cursor. Archived
        ones are listed only to resolve names: posting there says ``is_archived``."""
        cursor: str | None = None
        while True:
            response = await self.client.api_call(
                method,
                http_verb="GET",
                params={
                    "types": CHANNEL_TYPES,
                    "exclude_archived": str(not archived).lower(),
                    "limit": PAGE,
                    **({"cursor": cursor} if cursor else {}),
                },  # fmt: skip
            )
            for channel in response.get("channels") or []:
                if isinstance(channel, dict) and isinstance(channel.get("id"), str):
                    yield channel
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    @staticmethod
    def _result(
        destination: Destination, status: Literal["gone", "failed"], detail: str
    ) -> DeliveryResult:
        log.warning(messages.REMINDER_NOT_DELIVERED, destination.platform, status, detail)
        return DeliveryResult(destination=destination, status=status, detail=detail)


def _error(exc: SlackApiError) -> str:
    """Slack's error code alone (its response can echo the message it refused)."""
    data = exc.response.data
    error = data.get("error") if isinstance(data, dict) else None
    return str(error) if error else f"HTTP {exc.response.status_code}"
