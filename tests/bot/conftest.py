"""Real PostgreSQL and Redis for the shared-storage tests.

Each test gets its own PostgreSQL schema (created, then dropped) and its own Redis key prefix
(its keys deleted after), so runs on the same servers can go on in parallel. The servers come
from INFOSHARE_TEST_POSTGRES_URL and INFOSHARE_TEST_REDIS_URL; where one can't be reached, the
tests that need it are skipped, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode

import psycopg
import pytest
import redis
import redis.asyncio
from psycopg import sql

from bot.storage import redact_url, scrub
from bot.storage.redis import RedisConversationStore

POSTGRES_URL = os.environ.get(
    "INFOSHARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("INFOSHARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _why(url: str, exc: Exception) -> str:
    return scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc), url)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.skip(
            f"PostgreSQL not reachable at {redact_url(POSTGRES_URL)} "
            f"(set INFOSHARE_TEST_POSTGRES_URL): {_why(POSTGRES_URL, exc)}"
        )
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema of this test's own (also its application
    name, so a test can find its own connections)."""
    schema = f"infoshare_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    params = urlencode({"options": f"-csearch_path={schema}", "application_name": schema})
    try:
        yield f"{postgres_server}{'&' if '?' in postgres_server else '?'}{params}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="session")
def redis_server() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        pytest.skip(
            f"Redis not reachable at {redact_url(REDIS_URL)} "
            f"(set INFOSHARE_TEST_REDIS_URL): {_why(REDIS_URL, exc)}"
        )
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix() -> str:
    return f"infoshare-test-{uuid.uuid4().hex}:"


@pytest.fixture
async def redis_client(redis_server: str, redis_prefix: str) -> AsyncIterator[redis.asyncio.Redis]:
    """A plain client for looking at what the store wrote; this test's keys go afterwards."""
    client = redis.asyncio.Redis.from_url(redis_server)
    try:
        yield client
    finally:
        keys = [key async for key in client.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
async def redis_store(
    redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> AsyncIterator[RedisConversationStore]:
    store = await RedisConversationStore.open(redis_server, prefix=redis_prefix)
    try:
        yield store
    finally:
        await store.close()
