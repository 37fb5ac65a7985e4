"""The deliveries already taken (``SeenKeys``): in the process, and in Redis for every instance."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from bot import messages
from bot.storage.memory import MemoryConversationStore, MemorySeenKeys
from bot.storage.open import open_conversation_store
from bot.storage.redis import RedisConversationStore, RedisSeenKeys, connect
from bot.types import RETRY_WINDOW, SeenKeys
from tests.conftest import closed_port

EVENT = "slack:event:Ev0123ABCD"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# In the process -----------------------------------------------------------------------------


async def test_memory_a_key_is_new_once() -> None:
    seen = MemorySeenKeys()
    assert await seen.first_time(EVENT)
    assert not await seen.first_time(EVENT)
    assert await seen.first_time("teams:msteams:a:1:1700000000001")


async def test_memory_a_claim_ends_after_its_ttl() -> None:
    clock = Clock()
    seen = MemorySeenKeys(ttl=dt.timedelta(seconds=60), clock=clock)
    assert await seen.first_time(EVENT)
    clock.now += 59.9
    assert not await seen.first_time(EVENT)  # a second claim doesn't renew the first
    clock.now += 0.1
    assert await seen.first_time(EVENT)


async def test_memory_the_oldest_claims_are_forgotten_past_the_limit() -> None:
    seen = MemorySeenKeys(limit=2)
    for key in ("a", "b", "c"):
        assert await seen.first_time(key)
    assert await seen.first_time("a")  # forgotten: the fourth claim pushes out "b"
    assert not await seen.first_time("c")


async def test_the_memory_store_keeps_one_set_of_keys_for_every_adapter() -> None:
    store = MemoryConversationStore()
    assert store.seen_keys() is store.seen_keys()
    assert await store.seen_keys().first_time(EVENT)
    assert not await store.seen_keys().first_time(EVENT)


def test_the_window_covers_the_platforms_retries() -> None:
    # Slack's last retry comes about five minutes after the first delivery.
    assert dt.timedelta(minutes=10) <= RETRY_WINDOW <= dt.timedelta(hours=1)


# In Redis -------------------------------------------------------------------------------------


@pytest.fixture
async def redis_seen(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> AsyncIterator[RedisSeenKeys]:
    client = connect(redis_server)
    try:
        yield RedisSeenKeys(client, f"{redis_prefix}seen:")
    finally:
        await client.aclose()


async def test_redis_a_key_is_new_once_and_kept_only_as_a_digest(
    redis_seen: RedisSeenKeys, redis_client: redis.asyncio.Redis, redis_prefix: str
) -> None:
    assert await redis_seen.first_time(EVENT)
    assert not await redis_seen.first_time(EVENT)
    [name] = [key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")]
    assert name.startswith(f"{redis_prefix}seen:".encode())
    assert b"Ev0123ABCD" not in name and b"slack" not in name
    held = await redis_client.get(name)
    assert isinstance(held, bytes) and b"Ev0123ABCD" not in held
    window = RETRY_WINDOW.total_seconds()
    assert window - 5 <= await redis_client.ttl(name) <= window


async def test_redis_a_claim_ends_after_its_ttl(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> None:
    client = connect(redis_server)
    try:
        seen = RedisSeenKeys(client, redis_prefix, ttl=dt.timedelta(milliseconds=200))
        assert await seen.first_time(EVENT)
        assert not await seen.first_time(EVENT)
        await asyncio.sleep(0.3)
        assert await seen.first_time(EVENT)
    finally:
        await client.aclose()


async def test_redis_of_many_instances_claiming_at_once_exactly_one_is_first(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> None:
    clients = [connect(redis_server) for _ in range(4)]
    try:
        instances = [RedisSeenKeys(client, redis_prefix) for client in clients]
        claims = [seen.first_time(EVENT) for seen in instances for _ in range(5)]
        assert sorted(await asyncio.gather(*claims)) == [False] * 19 + [True]
    finally:
        for client in clients:
            await client.aclose()


async def test_the_redis_store_keeps_the_keys_on_its_own_client_under_its_seen_prefix(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> None:
    store = await RedisConversationStore.open(
        redis_server, prefix=f"{redis_prefix}conversation:", seen_prefix=f"{redis_prefix}seen:"
    )
    try:
        seen: SeenKeys = store.seen_keys()
        assert store.seen_keys() is seen
        assert await seen.first_time(EVENT)
        assert not await seen.first_time(EVENT)
    finally:
        await store.close()
    names = [key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")]
    assert len(names) == 1 and names[0].startswith(f"{redis_prefix}seen:".encode())


async def test_with_a_redis_url_deliveries_are_remembered_in_redis_and_without_in_the_process(
    redis_server: str,
) -> None:
    store = await open_conversation_store(redis_server)  # what running_engine opens
    try:
        assert isinstance(store.seen_keys(), RedisSeenKeys)
    finally:
        await store.close()
    assert isinstance((await open_conversation_store(None)).seen_keys(), MemorySeenKeys)


async def test_redis_down_every_delivery_is_taken_as_new_and_the_error_type_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = connect(f"redis://:redis-s3cret-pw@127.0.0.1:{closed_port()}/0")
    try:
        seen = RedisSeenKeys(client)
        with caplog.at_level(logging.WARNING, logger="bot.storage.redis"):
            assert await seen.first_time(EVENT)
            assert await seen.first_time(EVENT)  # nothing was claimed: a duplicate, not a loss
    finally:
        await client.aclose()
    said = [r.getMessage() for r in caplog.records if r.name == "bot.storage.redis"]
    assert said == [messages.SEEN_CHECK_FAILED % "ConnectionError"] * 2
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Ev0123" not in logged and "s3cret" not in logged


async def test_redis_that_doesnt_answer_costs_a_delivery_no_more_than_the_claim_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # takes the command, never answers

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = connect(f"redis://127.0.0.1:{port}/0")
    try:
        seen = RedisSeenKeys(client, timeout=0.2)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="bot.storage.redis"):
            assert await seen.first_time(EVENT)
        assert time.monotonic() - started < 1.0
    finally:
        await client.aclose()
        server.close()
        for writer in held:
            writer.close()
        await server.wait_closed()
    said = [r.getMessage() for r in caplog.records if r.name == "bot.storage.redis"]
    assert said == [messages.SEEN_CHECK_FAILED % "TimeoutError"]
