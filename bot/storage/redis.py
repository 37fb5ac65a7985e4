"""Conversation state in Redis, for councils that run several server instances.

A multi-instance deployment needs both shared stores: this one, so a conversation's next turn
can land on any instance, and the PostgreSQL decision log (``bot.storage.postgres``), so every
instance records to one place. The engine's per-conversation lock is per process: two turns of
one conversation handled by two instances at the same moment are not serialised, and the later
``put`` wins. Sticky routing by conversation, where the load balancer offers it, closes that gap.

Each state is one JSON string (``ConversationState``: ids only, never a word anyone typed) under
``prefix + key``, with an idle expiry renewed on every ``put``, so abandoned conversations
disappear on their own.

The same client keeps the platform deliveries already taken (``RedisSeenKeys``), so a retry that
Slack or Teams sends to another instance is acknowledged there rather than handled again, and
the adapters' shelf (``RedisShelf``): the Teams cards with buttons, and which were answered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from bot import messages
from bot.models import ConversationState
from bot.storage import StorageError, redact_url, scrub
from bot.types import RETRY_WINDOW

log = logging.getLogger(__name__)
PREFIX = "infoshare:conversation:"
SEEN_PREFIX = "infoshare:seen:"
SHELF_PREFIX = "infoshare:shelf:"
IDLE_EXPIRY = dt.timedelta(hours=24)
TIMEOUT = 5.0  # seconds to connect, and to wait for an answer
RETRIES = 2  # a dropped connection (a failover, a restart) is tried again this often, briefly
# Seconds a claim may take before the delivery is handled anyway: Slack wants its ack within
# three, and the claim comes before it.
CLAIM_TIMEOUT = 1.0


class RedisConversationStore:
    """Build it with ``await RedisConversationStore.open(url)``, which fails at once with a
    clear ``StorageError`` if Redis can't be reached."""

    def __init__(
        self,
        client: Redis,
        url: str,
        prefix: str = PREFIX,
        idle: dt.timedelta = IDLE_EXPIRY,
        seen_prefix: str = SEEN_PREFIX,
        shelf_prefix: str = SHELF_PREFIX,
    ) -> None:
        if idle.total_seconds() < 1:
            raise ValueError("the idle expiry must be at least a second")
        self._client = client
        self._url = url
        self.prefix = prefix
        self.idle = idle
        self._seen = RedisSeenKeys(client, seen_prefix)
        self._shelf = RedisShelf(client, shelf_prefix)

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        prefix: str = PREFIX,
        idle: dt.timedelta = IDLE_EXPIRY,
        seen_prefix: str = SEEN_PREFIX,
        shelf_prefix: str = SHELF_PREFIX,
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
        return cls(client, url, prefix, idle, seen_prefix, shelf_prefix)

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

    def seen_keys(self) -> RedisSeenKeys:
        """The deliveries taken by any instance, on this store's client."""
        return self._seen

    def shelf(self) -> RedisShelf:
        """What the adapters keep for every instance, on this store's client."""
        return self._shelf

    async def close(self) -> None:
        await self._client.aclose()

    @staticmethod
    def _explain(url: str, action: str, exc: Exception) -> str:
        reason = scrub(str(exc).strip(), url) or type(exc).__name__
        return f"{action} the conversation store at {redact_url(url)}: {reason}"


class RedisSeenKeys:
    """Keys claimed by any instance (``bot.types.SeenKeys``): ``SET prefix+digest token NX PX
    ttl``, where the digest is of the key, so not even a platform's ids are kept in Redis (the
    key of a press on a reminder's button holds the presser's Slack user id), and the token is
    new for each claim.

    The client retries a command whose connection dropped; if the first try was applied but its
    answer lost, the retry finds the key taken. The token tells that apart from a real
    duplicate: the key then holds this claim's own token. (``SET ... NX GET`` would do it in one
    round trip, but needs Redis 7, which managed services don't all offer.)"""

    def __init__(
        self,
        client: Redis,
        prefix: str = SEEN_PREFIX,
        ttl: dt.timedelta = RETRY_WINDOW,
        timeout: float = CLAIM_TIMEOUT,
    ) -> None:
        self._client = client
        self.prefix = prefix
        self._ttl_ms = _ms(ttl)
        self._timeout = timeout

    async def first_time(self, key: str) -> bool:
        try:
            async with asyncio.timeout(self._timeout):
                return await _claim(self._client, self.prefix + _digest(key), self._ttl_ms)
        except (RedisError, OSError) as exc:  # TimeoutError is an OSError
            log.warning(messages.SEEN_CHECK_FAILED, type(exc).__name__)
            return True


class RedisShelf:
    """Values and claims for every instance (``bot.types.Shelf``), under ``prefix`` and a digest
    of the key, as ``RedisSeenKeys`` keeps its claims."""

    def __init__(self, client: Redis, prefix: str = SHELF_PREFIX, timeout: float = CLAIM_TIMEOUT):
        self._client = client
        self.prefix = prefix
        self._timeout = timeout

    async def put(self, key: str, value: str, ttl: dt.timedelta) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.set(self._name("value", key), value, px=_ms(ttl))
        except (RedisError, OSError) as exc:
            log.warning(messages.SHELF_FAILED, "put", type(exc).__name__)

    async def get(self, key: str) -> str | None:
        try:
            async with asyncio.timeout(self._timeout):
                held = await self._client.get(self._name("value", key))
        except (RedisError, OSError) as exc:
            log.warning(messages.SHELF_FAILED, "get", type(exc).__name__)
            return None
        return held.decode("utf-8") if isinstance(held, bytes) else held

    async def claim(self, key: str, ttl: dt.timedelta) -> bool:
        try:
            async with asyncio.timeout(self._timeout):
                return await _claim(self._client, self._name("claim", key), _ms(ttl))
        except (RedisError, OSError) as exc:
            log.warning(messages.SHELF_FAILED, "claim", type(exc).__name__)
            return True

    async def release(self, key: str) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.delete(self._name("claim", key))
        except (RedisError, OSError) as exc:
            log.warning(messages.SHELF_FAILED, "release", type(exc).__name__)

    def _name(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:{_digest(key)}"


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _ms(ttl: dt.timedelta) -> int:
    if ttl < dt.timedelta(milliseconds=1):
        raise ValueError("a claim or value must last at least a millisecond")
    return int(ttl / dt.timedelta(milliseconds=1))


async def _claim(client: Redis, name: str, ttl_ms: int) -> bool:
    """``SET name token NX PX ttl_ms``, and whether the key now holds this claim's own token (so
    a retried SET whose first try was applied is still this claim's)."""
    token = secrets.token_hex(8)
    if await client.set(name, token, nx=True, px=ttl_ms):
        return True
    held = await client.get(name)
    if isinstance(held, bytes):
        held = held.decode("ascii", "replace")
    return bool(held == token)


def connect(url: str) -> Redis:
    """A client for ``url``; it connects on first use. Every command here is idempotent (GET,
    SET, DEL) or, the claim's ``SET NX``, checked for its own token, so retrying one after a
    dropped connection is safe."""
    return Redis.from_url(
        url,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), RETRIES),
    )
