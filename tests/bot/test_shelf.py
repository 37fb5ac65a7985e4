"""The adapters' shelf (``Shelf``): values and claims kept for a while, in the process and in
Redis for every instance."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from bot import messages
from bot.storage.memory import MemoryConversationStore, MemoryShelf
from bot.storage.open import open_conversation_store
from bot.storage.redis import RedisShelf, connect
from bot.types import Shelf
from tests.conftest import closed_port

CARD = '{"type": "AdaptiveCard", "body": []}'
KEY = "card:19:abc@thread.tacv2;messageid=1700000000001:Zq3xv"
HOUR = dt.timedelta(hours=1)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# The same behaviour from both kinds of shelf -----------------------------------------------


@pytest.fixture(params=["memory", "redis"])
async def shelf(request: pytest.FixtureRequest, redis_prefix: str) -> AsyncIterator[Shelf]:
    if request.param == "memory":
        yield MemoryShelf()
        return
    client = connect(request.getfixturevalue("redis_server"))  # skips, saying why, without Redis
    try:
        yield RedisShelf(client, f"{redis_prefix}shelf:")
    finally:
        keys = [key async for key in client.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_a_value_put_is_read_back_and_a_missing_one_reads_as_none(shelf: Shelf) -> None:
    assert await shelf.get(KEY) is None
    await shelf.put(KEY, CARD, HOUR)
    assert await shelf.get(KEY) == CARD
    await shelf.put(KEY, "{}", HOUR)  # put again: replaced
    assert await shelf.get(KEY) == "{}"


async def test_a_key_is_claimed_once_until_released(shelf: Shelf) -> None:
    assert await shelf.claim(KEY, HOUR)
    assert not await shelf.claim(KEY, HOUR)
    await shelf.put(KEY, CARD, HOUR)  # values and claims don't share keys
    assert not await shelf.claim(KEY, HOUR)
    await shelf.release(KEY)
    assert await shelf.claim(KEY, HOUR)
    assert await shelf.get(KEY) == CARD


async def test_of_many_claims_at_once_exactly_one_is_granted(shelf: Shelf) -> None:
    claims = await asyncio.gather(*(shelf.claim(KEY, HOUR) for _ in range(20)))
    assert sorted(claims) == [False] * 19 + [True]


async def test_values_and_claims_end_after_their_ttl(shelf: Shelf) -> None:
    short = dt.timedelta(milliseconds=200)
    await shelf.put(KEY, CARD, short)
    assert await shelf.claim(KEY, short)
    await asyncio.sleep(0.3)
    assert await shelf.get(KEY) is None
    assert await shelf.claim(KEY, short)


# In the process ----------------------------------------------------------------------------


async def test_memory_the_oldest_values_and_claims_go_first_past_the_limit() -> None:
    shelf = MemoryShelf(limit=2)
    for key in ("a", "b", "c"):
        await shelf.put(key, key, HOUR)
        assert await shelf.claim(key, HOUR)
    assert [await shelf.get(k) for k in ("a", "b", "c")] == [None, "b", "c"]
    assert await shelf.claim("a", HOUR)  # forgotten, so granted again
    assert not await shelf.claim("c", HOUR)


async def test_memory_lifetimes_follow_the_clock() -> None:
    clock = Clock()
    shelf = MemoryShelf(clock=clock)
    await shelf.put(KEY, CARD, dt.timedelta(seconds=60))
    clock.now += 59.9
    assert await shelf.get(KEY) == CARD
    clock.now += 0.1
    assert await shelf.get(KEY) is None


async def test_the_memory_store_keeps_one_shelf_and_redis_urls_get_a_redis_one(
    redis_server: str,
) -> None:
    memory = MemoryConversationStore()
    assert memory.shelf() is memory.shelf()
    assert isinstance((await open_conversation_store(None)).shelf(), MemoryShelf)
    store = await open_conversation_store(redis_server)  # what running_engine opens
    try:
        assert isinstance(store.shelf(), RedisShelf)
        assert store.shelf() is store.shelf()
    finally:
        await store.close()


# In Redis ----------------------------------------------------------------------------------


async def test_redis_keys_are_digests_under_the_prefix_and_end_on_time(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> None:
    client = connect(redis_server)
    try:
        shelf = RedisShelf(client, f"{redis_prefix}shelf:")
        await shelf.put(KEY, CARD, HOUR)
        await shelf.claim(KEY, HOUR)
    finally:
        await client.aclose()
    names = [key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")]
    assert len(names) == 2
    for name in names:
        assert name.startswith(f"{redis_prefix}shelf:".encode())
        assert b"thread" not in name and b"Zq3xv" not in name  # no platform id in the key
        assert 3590 <= await redis_client.ttl(name) <= 3600


async def test_redis_down_values_read_as_missing_claims_are_granted_and_the_error_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = connect(f"redis://:redis-s3cret-pw@127.0.0.1:{closed_port()}/0")
    try:
        shelf = RedisShelf(client)
        with caplog.at_level(logging.WARNING, logger="bot.storage.redis"):
            await shelf.put(KEY, CARD, HOUR)
            assert await shelf.get(KEY) is None
            assert await shelf.claim(KEY, HOUR)  # better a rare second press than a lost one
            await shelf.release(KEY)
    finally:
        await client.aclose()
    said = [r.getMessage() for r in caplog.records if r.name == "bot.storage.redis"]
    assert said == [
        messages.SHELF_FAILED % (action, "ConnectionError")
        for action in ("put", "get", "claim", "release")
    ]
    assert "s3cret" not in " ".join(said) and "thread" not in " ".join(said)
