"""Who is in the IG team on Slack: the user ids configured, and the members of the user groups
configured (read with usergroups.users.list, kept a few minutes). Nobody configured, nobody in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages

log = logging.getLogger(__name__)
GROUPS_TTL = 300.0  # seconds a user group's member list is trusted


class SlackIgTeam:
    def __init__(
        self,
        client: AsyncWebClient,
        users: Iterable[str],
        groups: Iterable[str],
        ttl: float = GROUPS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.users, self.groups = frozenset(users), tuple(groups)
        self._ttl, self._clock = ttl, clock
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def has(self, user: str) -> bool:
        """Whether ``user`` (a Slack user id) is in the IG team. A group that can't be read
        counts as having nobody (logged): refusing is the safe mistake."""
        if user in self.users:
            return True
        for group in self.groups:
            if user in await self._group(group):
                return True
        return False

    async def _group(self, group: str) -> frozenset[str]:
        kept = self._members.get(group)
        if kept is not None and self._clock() - kept[0] < self._ttl:
            return kept[1]
        try:
            response = await self.client.usergroups_users_list(usergroup=group)
        except SlackApiError as exc:
            data = exc.response.data
            error = data.get("error") if isinstance(data, dict) else None
            log.warning(messages.IG_GROUP_UNREADABLE, error or f"HTTP {exc.response.status_code}")
            return frozenset()
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning(messages.IG_GROUP_UNREADABLE, type(exc).__name__)
            return frozenset()
        members = frozenset(u for u in response.get("users") or [] if isinstance(u, str))
        self._members[group] = (self._clock(), members)
        return members
