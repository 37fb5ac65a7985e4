"""The Redis conversation store: state shared by every instance, expiring when left idle."""

from __future__ import annotations

import asyncio
import re

import pytest
import redis.asyncio

from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.models import ConversationState
from bot.pseudonym import Pseudonymiser
from bot.storage import StorageError
from bot.storage.memory import MemoryDecisionLog
from bot.storage.open import open_conversation_store
from bot.storage.redis import IDLE_EXPIRY, RedisConversationStore, connect
from tests.bot.test_decision_log import SECRET_TEXT
from tests.conftest import FIXED_TIME, Chat

UNREACHABLE = "redis://:redis-s3cret-pw@127.0.0.1:1/0"


def in_question() -> ConversationState:
    return ConversationState(
        topic="police",
        question="police-purpose",
        answers=[("immediate-risk", "no")],
        mode="question",
        offered=["investigation", "safeguarding", "unclear"],
    )


async def test_state_round_trips_as_json_under_the_prefix(
    redis_store: RedisConversationStore, redis_client: redis.asyncio.Redis, redis_prefix: str
) -> None:
    assert await redis_store.get("slack:C1") is None
    await redis_store.put("slack:C1", in_question())
    assert await redis_store.get("slack:C1") == in_question()
    raw = await redis_client.get(f"{redis_prefix}slack:C1")
    assert raw is not None and ConversationState.model_validate_json(raw) == in_question()


async def test_put_sets_and_renews_the_idle_expiry(
    redis_store: RedisConversationStore, redis_client: redis.asyncio.Redis, redis_prefix: str
) -> None:
    key = f"{redis_prefix}cli:c1"
    await redis_store.put("cli:c1", in_question())
    full = int(IDLE_EXPIRY.total_seconds())
    assert full - 5 <= await redis_client.ttl(key) <= full
    await redis_client.expire(
        key, 60
    )  # as if the conversation had sat idle for a day less a minute
    await redis_store.put("cli:c1", in_question())
    assert await redis_client.ttl(key) > 60


async def test_an_idle_conversation_expires(
    redis_store: RedisConversationStore, redis_client: redis.asyncio.Redis, redis_prefix: str
) -> None:
    await redis_store.put("cli:c1", in_question())
    await redis_client.pexpire(f"{redis_prefix}cli:c1", 1)  # as if a day had passed
    await asyncio.sleep(0.05)
    assert await redis_store.get("cli:c1") is None


async def test_delete_forgets_the_conversation(redis_store: RedisConversationStore) -> None:
    await redis_store.put("cli:c1", in_question())
    await redis_store.delete("cli:c1")
    await redis_store.delete("cli:never-there")
    assert await redis_store.get("cli:c1") is None


async def test_two_engines_sharing_the_store_continue_one_conversation(
    knowledge: Knowledge, redis_store: RedisConversationStore
) -> None:
    decisions = MemoryDecisionLog()

    def instance() -> Engine:
        pseudonymise = Pseudonymiser(b"test-key-0123456789")
        return Engine(knowledge, redis_store, decisions, pseudonymise, clock=lambda: FIXED_TIME)

    on_a, on_b = Chat(instance()), Chat(instance())
    first = await on_a.say("the police want everything we hold on a 15 year old")
    assert (first.topic, first.question) == ("police", "immediate-risk")
    second = await on_b.press("no")  # the load balancer sent the next turn elsewhere
    assert second.topic == "police" and second.question not in (None, "immediate-risk")
    state = await redis_store.get("test:c1")
    assert state is not None and state.answers == [("immediate-risk", "no")]


async def test_the_stored_state_holds_ids_never_free_text(
    engine: Engine,
    redis_store: RedisConversationStore,
    redis_client: redis.asyncio.Redis,
    redis_prefix: str,
) -> None:
    engine.store = redis_store
    await Chat(engine, user="U0SLACKUSER").say(SECRET_TEXT)
    raw = await redis_client.get(f"{redis_prefix}test:c1")
    assert raw is not None
    for fragment in (b"Jayden", b"Acacia", b"03/04/2011", b"U0SLACKUSER"):
        assert fragment not in raw


async def test_unreachable_redis_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StorageError) as caught:
        await RedisConversationStore.open(UNREACHABLE)
    message = str(caught.value)
    assert message.startswith("can't open the conversation store at redis://:***@127.0.0.1:1/0")
    assert "redis-s3cret-pw" not in message
    with pytest.raises(StorageError) as caught:
        await open_conversation_store(UNREACHABLE)
    message = str(caught.value)
    assert message.startswith("INFOSHARE_REDIS_URL: cannot connect to Redis at redis://:***@")
    assert "redis-s3cret-pw" not in message and "\n" not in message


async def test_a_server_gone_after_start_up_is_a_storage_error(redis_prefix: str) -> None:
    store = RedisConversationStore(connect(UNREACHABLE), UNREACHABLE, prefix=redis_prefix)
    for action in (store.get("k"), store.put("k", in_question()), store.delete("k")):
        with pytest.raises(StorageError, match=re.escape("store at redis://:***@")) as caught:
            await action
        assert "redis-s3cret-pw" not in str(caught.value)
    with pytest.raises(StorageError, match="can't reach the conversation store"):
        await store.ping()
    await store.close()


async def test_a_dropped_connection_is_reconnected_without_an_error(
    redis_store: RedisConversationStore, redis_client: redis.asyncio.Redis
) -> None:
    await redis_store.put("cli:c1", in_question())
    own_connection = await redis_store._client.client_id()
    await redis_client.client_kill_filter(_id=str(own_connection))  # as a failover would
    assert await redis_store.get("cli:c1") == in_question()


async def test_open_conversation_store_opens_redis_urls(
    redis_server: str, redis_client: redis.asyncio.Redis
) -> None:
    store = await open_conversation_store(redis_server)
    assert isinstance(store, RedisConversationStore)
    await store.ping()
    await store.close()
