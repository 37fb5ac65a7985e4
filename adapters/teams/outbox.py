"""Sending to Teams after the HTTP answer: replies, hellos and hand-offs.

Everything goes to the conversation's service URL through botbuilder's connector client, made by
the same authentication that checked the request (so it carries the bot's token). Work for one
conversation runs in the order it was queued; a 429 is retried after its Retry-After, a few
times at most; any other failure is logged by status only (an error body can echo the message)
and the decision, recorded by the engine before the reply was made, stays recorded.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity
from msrest.exceptions import ClientException, HttpOperationError

from adapters.background import Background
from adapters.teams.auth import BOT_SCOPE, TokenError, TokenSource
from bot import messages

log = logging.getLogger(__name__)
RETRIES = 3  # 429s retried per activity, each after its Retry-After
MAX_WAIT = 30.0  # seconds: a longer Retry-After gives up rather than hold the reply back
DEFAULT_WAIT = 1.0  # seconds, for a 429 without Retry-After


class Outbox:
    """Ordered, retried sending for one bot."""

    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        app_id: str | None,
        tokens: TokenSource | None,
        background: Background,
    ) -> None:
        self.background = background
        self._tokens = tokens
        claims = ClaimsIdentity({"aud": app_id or "", "appid": app_id or ""}, True)
        self._factory = authentication.create_connector_factory(claims)  # keeps its clients
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def queue(self, conversation: str, work: Callable[[], Awaitable[None]], name: str) -> None:
        """Run ``work`` in the background once earlier work for ``conversation`` is done."""

        async def in_turn() -> None:
            async with self._locks.setdefault(conversation, asyncio.Lock()):
                await work()

        self.background.spawn(in_turn(), name)

    async def deliver(
        self, reference: ConversationReference, activities: Sequence[Mapping[str, Any]]
    ) -> bool:
        """Send ``activities`` (JSON) to ``reference``'s conversation, as new messages; True
        once Teams has them all. Stops at the first that can't be sent."""
        return await self.attempt(reference, activities) is None

    async def attempt(
        self, reference: ConversationReference, activities: Sequence[Mapping[str, Any]]
    ) -> str | None:
        """As ``deliver``, but saying what went wrong: None once Teams has them all, else
        ``"HTTP 403"``, say, or the name of the error that stopped it."""
        if self._tokens is not None:
            try:
                await self._tokens.ensure()
            except TokenError as exc:
                log.warning(messages.TEAMS_TOKEN_FAILED, exc)
                return "token"
        try:
            client = await self._factory.create(reference.service_url, BOT_SCOPE)
        except (ClientException, PermissionError) as exc:
            log.warning(messages.TEAMS_CALL_FAILED, "connector", type(exc).__name__)
            return type(exc).__name__
        for shown in activities:
            activity = TurnContext.apply_conversation_reference(
                Activity().deserialize(dict(shown)), reference
            )
            activity.reply_to_id = None  # a new message in the chat or thread, not a reply
            failed = await self._send(client, activity)
            if failed is not None:
                return failed
        return None

    async def _send(self, client: ConnectorClient, activity: Activity) -> str | None:
        conversation = activity.conversation.id
        for attempt in range(RETRIES + 1):
            try:
                await client.conversations.send_to_conversation(conversation, activity)
                return None
            except HttpOperationError as exc:
                status = getattr(exc.response, "status_code", None)
                headers = getattr(exc.response, "headers", {})
                wait = retry_after(headers, attempt) if status == 429 else None
                if wait is None or attempt == RETRIES:
                    log.warning(messages.TEAMS_CALL_FAILED, "send", f"HTTP {status}")
                    return f"HTTP {status}"
                log.info(messages.TEAMS_RETRYING, "send", wait)
                await asyncio.sleep(wait)
            except (ClientException, OSError) as exc:  # unreachable: logged, nothing retried
                log.warning(messages.TEAMS_CALL_FAILED, "send", type(exc).__name__)
                return type(exc).__name__
        return "retries"


def retry_after(headers: Mapping[str, str], attempt: int = 0) -> float | None:
    """Seconds to wait before trying again, from a 429's Retry-After (seconds or an HTTP date),
    or without one a wait that doubles with each ``attempt``; None when that is longer than we
    are willing to hold a reply back."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return DEFAULT_WAIT * 2.0**attempt
    try:
        wait = float(value)
    except ValueError:
        try:
            wait = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            wait = DEFAULT_WAIT
    wait = max(wait, 0.0)
    return wait if wait <= MAX_WAIT else None
