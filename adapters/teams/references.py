"""Where the bot is installed: a conversation reference kept for each personal chat, group chat
and team that added it, so a reminder (or anything else the bot starts itself) can reach it
later; forgotten when the app is removed. Installing also says hello, once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from adapters.teams import cards, convert
from adapters.teams.outbox import Outbox
from bot import messages
from bot.schema import Messages
from bot.types import ConversationReferences

log = logging.getLogger(__name__)
MAX_REFERENCES = 100_000  # one per install; the oldest are forgotten first past this


class MemoryReferences:
    """``ConversationReferences`` in this process: lost on restart (Teams says hello again on
    the next install); a shared store replaces it when there is one."""

    def __init__(self, limit: int = MAX_REFERENCES) -> None:
        self._references: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._limit = limit

    def __len__(self) -> int:
        return len(self._references)

    async def put(self, key: str, reference: dict[str, Any]) -> bool:
        new = key not in self._references
        self._references[key] = dict(reference)
        self._references.move_to_end(key)
        while len(self._references) > self._limit:
            self._references.popitem(last=False)
        return new

    async def get(self, key: str) -> dict[str, Any] | None:
        found = self._references.get(key)
        return None if found is None else dict(found)

    async def delete(self, key: str) -> bool:
        return self._references.pop(key, None) is not None


class Installations:
    """Installs and removals, as Teams reports them: both an ``installationUpdate`` and a
    ``conversationUpdate`` arrive for one install, so hello is said only for a new reference."""

    def __init__(self, store: ConversationReferences, outbox: Outbox, said: Messages) -> None:
        self.store, self.outbox, self.said = store, outbox, said

    async def added(self, context: TurnContext, activity: Mapping[str, Any]) -> None:
        reference = TurnContext.get_conversation_reference(context.activity)
        reference.activity_id = None  # hello starts a message of its own
        key = convert.reference_key(activity)
        if not await self.store.put(key, stored(reference, activity)):
            return
        scope = convert.scope(activity)
        log.info(messages.TEAMS_INSTALLED, scope)
        platform = self.said.platform
        intro = platform.intro_personal if scope == "personal" else platform.intro_shared
        hello = cards.message(cards.hello(self.said.welcome, intro), self.said.welcome)

        async def say_hello() -> None:
            await self.outbox.deliver(reference, [hello])

        self.outbox.queue(reference.conversation.id, say_hello, "teams-hello")

    async def removed(self, activity: Mapping[str, Any]) -> None:
        if await self.store.delete(convert.reference_key(activity)):
            log.info(messages.TEAMS_UNINSTALLED)


def stored(reference: ConversationReference, activity: Mapping[str, Any]) -> dict[str, Any]:
    """The reference as JSON, with the tenant botbuilder's model leaves out (a proactive message
    to a new conversation needs it)."""
    found: dict[str, Any] = reference.serialize()
    tenant = activity["conversation"].get("tenantId") or (
        (activity.get("channelData") or {}).get("tenant") or {}
    ).get("id")
    if isinstance(tenant, str):
        found["conversation"]["tenantId"] = tenant
    return found
