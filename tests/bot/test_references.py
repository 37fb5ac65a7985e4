"""Conversation references in the database, on SQLite and on PostgreSQL alike: kept across a
restart, shared by instances, and told apart as new or known exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.storage import StorageError
from bot.storage.open import open_decision_log, open_references
from bot.storage.postgres import PostgresReferences
from bot.storage.sqlite import SqliteReferences
from bot.types import ConversationReferences
from tests.bot.test_decision_log import sample

UNREACHABLE = "postgresql://infoshare:pg-s3cret-pw@127.0.0.1:1/test"
SERVICE_URL = "https://smba.trafficmanager.net/uk/"


def reference(conversation: str, service_url: str = SERVICE_URL) -> dict[str, Any]:
    """What the Teams adapter keeps for an install."""
    return {
        "channelId": "msteams",
        "serviceUrl": service_url,
        "bot": {"id": "28:app-id"},
        "user": {"id": "29:staff", "aadObjectId": "c0ffee00-1111-4222-8333-944455556666"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "t1"},
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same tests on each database; PostgreSQL's skip, saying why, where it is absent."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'infoshare.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def references(database_url: str) -> AsyncIterator[ConversationReferences]:
    store = await open_references(database_url)
    try:
        yield store
    finally:
        await store.close()


async def test_a_reference_is_new_once_then_replaced(references: ConversationReferences) -> None:
    assert await references.get("teams:a:1") is None
    assert await references.put("teams:a:1", reference("a:1")) is True
    assert await references.get("teams:a:1") == reference("a:1")

    moved = reference("a:1", "https://smba.trafficmanager.net/emea/")
    assert await references.put("teams:a:1", moved) is False  # known: replaced, not new
    assert await references.get("teams:a:1") == moved


async def test_delete_says_whether_the_reference_was_known(
    references: ConversationReferences,
) -> None:
    await references.put("teams:a:1", reference("a:1"))
    await references.put("teams:a:2", reference("a:2"))
    assert await references.delete("teams:a:1") is True
    assert await references.delete("teams:a:1") is False
    assert await references.delete("teams:never") is False
    assert await references.get("teams:a:1") is None
    assert await references.get("teams:a:2") == reference("a:2")
    assert await references.put("teams:a:1", reference("a:1")) is True  # installed again


async def test_all_lists_every_reference_in_key_order_a_page_at_a_time(
    references: ConversationReferences,
) -> None:
    assert [key async for key, _ in references.all()] == []
    assert isinstance(references, SqliteReferences | PostgresReferences)
    references.batch = 2  # pages end inside the list and exactly at its end
    for n in (3, 1, 4, 2):
        await references.put(f"teams:a:{n}", reference(f"a:{n}"))
    listed = [item async for item in references.all()]
    assert listed == [(f"teams:a:{n}", reference(f"a:{n}")) for n in (1, 2, 3, 4)]
    await references.put("teams:a:5", reference("a:5"))
    assert [key async for key, _ in references.all()][-1] == "teams:a:5"


async def test_references_survive_a_restart(database_url: str) -> None:
    store = await open_references(database_url)
    await store.put("teams:a:1", reference("a:1"))
    await store.put("teams:a:2", reference("a:2"))
    await store.close()

    store = await open_references(database_url)  # a new process on the same database
    assert await store.get("teams:a:1") == reference("a:1")
    assert await store.put("teams:a:1", reference("a:1")) is False  # still known: no new hello
    assert await store.delete("teams:a:2") is True
    assert [key async for key, _ in store.all()] == ["teams:a:1"]
    await store.close()


async def test_of_two_instances_told_of_one_install_exactly_one_finds_it_new(
    database_url: str,
) -> None:
    first, second = await open_references(database_url), await open_references(database_url)
    keys = [f"teams:a:{n}" for n in range(10)]
    said_new = await asyncio.gather(
        *(store.put(key, reference(key)) for key in keys for store in (first, second))
    )
    assert said_new.count(True) == len(keys)
    assert [key async for key, _ in second.all()] == sorted(keys)
    await first.close()
    await second.close()


async def test_the_references_share_the_sqlite_file_with_the_decision_log(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'infoshare.db'}"
    log, references = await open_decision_log(url), await open_references(url)
    await log.record(sample(1))
    await references.put("teams:a:1", reference("a:1"))
    await log.close()
    await references.close()

    with sqlite3.connect(tmp_path / "infoshare.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT count(*) FROM decisions").fetchone() == (1,)
        [(key, stored, updated)] = db.execute("SELECT * FROM conversation_references")
    assert key == "teams:a:1" and '"serviceUrl"' in stored and updated.endswith("+00:00")
    store = SqliteReferences(tmp_path / "infoshare.db")
    assert store._db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    await store.close()


def test_an_unusable_sqlite_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="can't open the conversation references at"):
        SqliteReferences(tmp_path / "no-such-folder" / "infoshare.db")


async def test_on_postgresql_the_reference_is_jsonb_with_the_time_it_was_kept(
    postgres_url: str,
) -> None:
    store = await open_references(postgres_url)
    await store.put("teams:a:1", reference("a:1"))
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'conversation_references'"
        ).fetchall()
        assert dict(columns) == {
            "key": "text", "reference": "jsonb", "updated": "timestamp with time zone"
        }  # fmt: skip
        [[service_url]] = conn.execute(
            "SELECT reference->>'serviceUrl' FROM conversation_references"
        ).fetchall()
        assert service_url == SERVICE_URL
        conn.execute("ALTER TABLE conversation_references RENAME TO away")
    with pytest.raises(StorageError, match="can't write to the conversation references at"):
        await store.put("teams:a:2", reference("a:2"))
    await store.close()


async def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StorageError) as caught:
        await open_references(UNREACHABLE)
    message = str(caught.value)
    assert message.startswith(
        "INFOSHARE_DATABASE_URL: cannot connect to PostgreSQL at postgresql://"
    )
    assert "pg-s3cret-pw" not in message


async def test_an_unsupported_database_url_names_the_forms_accepted() -> None:
    with pytest.raises(StorageError, match="use sqlite:///PATH or postgresql://") as caught:
        await open_references("mysql://app:hunter2-pw@db/infoshare")
    assert "hunter2-pw" not in str(caught.value)
