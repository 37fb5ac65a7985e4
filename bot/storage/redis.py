"""Conversation state in Redis, for councils that run several server instances.

A multi-instance deployment needs both shared stores: this one, so a conversation's next turn
can land on any instance, and the PostgreSQL decision log (``bot.storage.postgres``), so every
instance records to one place. The engine's per-conversation lock is per process: two turns of
one conversation handled by two instances at the same moment are not serialised, and the later
``put`` wins. Sticky routing by conversation, where the load balancer offers it, closes that gap.

Each state is one JSON string (``ConversationState``: ids only, never a word anyone typed) under
``prefix + key``, with an idle expiry renewed on every ``put``, so abandoned conversations
disappear on their own.
"""

from __future__ import annotations

import datetime as dt

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from bot.models import ConversationState
from bot.storage import StorageError, redact_url, scrub

PREFIX = "infoshare:conversation:"
IDLE_EXPIRY = dt.timedelta(hours=24)
TIMEOUT = 5.0  # seconds to connect, and to wait for an answer
RETRIES = 2  # a dropped connection (a failover, a restart) is tried again this often, briefly


class RedisConversationStore:
    """Build it with ``await RedisConversationStore.open(url)``, which fails at once with a
    clear ``StorageError`` if Redis can't be reached."""

    def __init__(
        self, client: Redis, url: str, prefix: str = PREFIX, idle: dt.timedelta = IDLE_EXPIRY
    ) -> None:
        if idle.total_seconds() < 1:
            raise ValueError("the idle expiry must be at least a second")
        self._client = client
        self._url = url
        self.prefix = prefix
        self.idle = idle

    @classmethod
    async def open(
        cls, url: str, *, prefix: str = PREFIX, idle: dt.timedelta = IDLE_EXPIRY
    ) -> RedisConversationStore:
        """Connect to ``url`` (redis://, rediss:// or unix://) and check it answers."""
        try:
            client = connect(url)
        except (ValueError, RedisError) as exc:
            raise StorageError(cls._explain(url, "can't open", exc)) from None
        try:
            await client.ping()
        except (RedisError, OSError) as exc:
            await client.aclose()
            raise StorageError(cls._explain(url, "can't open", exc)) from None
        return cls(client, url, prefix, idle)

    async def get(self, key: str) -> ConversationState | None:
        try:
            raw = await self._client.get(self.prefix + key)
        except (RedisError, OSError) as exc:
            raise StorageError(self._explain(self._url, "can't read", exc)) from None
        return None if raw is None else ConversationState.model_validate_json(raw)

    async def put(self, key: str, state: ConversationState) -> None:
        try:
            await self._client.set(self.prefix + key, state.model_dump_json(), ex=self.idle)
        except (RedisError, OSError) as exc:
            raise StorageError(self._explain(self._url, "can't write to", exc)) from None

    async def delete(self, key: str) -> None:
        try:
            await self._client.delete(self.prefix + key)
        except (RedisError, OSError) as exc:
            raise StorageError(self._explain(self._url, "can't write to", exc)) from None

    async def ping(self) -> None:
        """Raise StorageError if Redis can't be reached."""
        try:
            await self._client.ping()
        except (RedisError, OSError) as exc:
            raise StorageError(self._explain(self._url, "can't reach", exc)) from None

    async def close(self) -> None:
        await self._client.aclose()

    @staticmethod
    def _explain(url: str, action: str, exc: Exception) -> str:
        reason = scrub(str(exc).strip(), url) or type(exc).__name__
        return f"{action} the conversation store at {redact_url(url)}: {reason}"


def connect(url: str) -> Redis:
    """A client for ``url``; it connects on first use. Every command here is idempotent (GET,
    SET, DEL), so retrying one after a dropped connection is safe."""
    return Redis.from_url(
        url,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), RETRIES),
    )
