"""Where the bot is installed: a conversation reference kept for each personal chat, group chat
and team that added it, so a reminder (or anything else the bot starts itself) can reach it
later; forgotten when the app is removed. Installing also says hello, once. The references are
kept in the database (``bot.storage``), so an install made before a restart can still be reached
after it, and removed.
"""

from __future__ import annotations

import logging
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
# What reaching a conversation needs, and no more: ids, the scope (conversationType), the
# tenant; never a name (of a person, a chat or a team), nor anything anyone wrote.
_KEPT = {
    "bot": ("id",),
    "user": ("id", "aadObjectId"),
    "conversation": ("id", "conversationType", "isGroup", "tenantId"),
}


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
    """The reference as JSON (botbuilder's own form, so ``ConversationReference().deserialize``
    reads it back), keeping only ``_KEPT``, the channel and the service URL, with the tenant
    botbuilder's model leaves out (a proactive message to a new conversation needs it)."""
    found: dict[str, Any] = reference.serialize()
    kept: dict[str, Any] = {
        "channelId": found.get("channelId"),
        "serviceUrl": found.get("serviceUrl"),
    }
    for part, fields in _KEPT.items():
        given = found.get(part) or {}
        kept[part] = {field: given[field] for field in fields if field in given}
    tenant = activity["conversation"].get("tenantId") or (
        (activity.get("channelData") or {}).get("tenant") or {}
    ).get("id")
    if isinstance(tenant, str):
        kept["conversation"]["tenantId"] = tenant
    return kept
