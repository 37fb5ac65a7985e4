"""Opening storage from URLs: the embedded setup without the drivers, clear errors otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import StorageError, redact_url, scrub
from bot.storage.memory import MemoryConversationStore
from bot.storage.open import (
    open_conversation_store,
    open_decision_log,
)
from bot.storage.sqlite import SqliteDecisionLog
from bot.storage.sqlite import StorageError as SqliteStorageError
from tests.conftest import ROOT


async def test_a_sqlite_url_opens_the_sqlite_log(tmp_path: Path) -> None:
    log = await open_decision_log(f"sqlite:///{tmp_path / 'd.db'}")
    assert isinstance(log, SqliteDecisionLog) and log.path == tmp_path / "d.db"
    await log.ping()
    await log.close()


async def test_no_redis_url_keeps_conversations_in_the_process() -> None:
    for url in (None, ""):
        store = await open_conversation_store(url)
        assert isinstance(store, MemoryConversationStore)
        await store.ping()
        await store.close()


@pytest.mark.parametrize(
    "url", ["mysql://app:hunter2-pw@db/infoshare", "sqlite:///", "infoshare.db", ""]
)
async def test_an_unsupported_database_url_names_the_forms_accepted(url: str) -> None:
    with pytest.raises(StorageError, match="use sqlite:///PATH or postgresql://") as caught:
        await open_decision_log(url)
    assert "hunter2-pw" not in str(caught.value)


async def test_an_unsupported_redis_url_names_the_forms_accepted() -> None:
    with pytest.raises(StorageError, match="use redis://") as caught:
        await open_conversation_store("memcached://:hunter2-pw@cache:11211")
    assert "hunter2-pw" not in str(caught.value)


def test_the_embedded_setup_never_loads_the_postgresql_or_redis_drivers(tmp_path: Path) -> None:
    script = f"""
import asyncio, sys
from bot.storage.open import open_conversation_store, open_decision_log, open_references
async def main():
    log = await open_decision_log("sqlite:///{tmp_path / "d.db"}")
    references = await open_references("sqlite:///{tmp_path / "d.db"}")
    store = await open_conversation_store(None)
    await log.close()
    await references.close()
asyncio.run(main())
print(sorted(m for m in sys.modules if m.split(".")[0] in ("psycopg", "psycopg_pool", "redis")))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:pw-1@db:5432/infoshare", "postgresql://app:***@db:5432/infoshare"),
        (
            "postgresql://app@db/infoshare?password=pw-1",
            "postgresql://app@db/infoshare?password=***",
        ),
        ("redis://:pw-1@cache:6379/0", "redis://:***@cache:6379/0"),
        ("rediss://default:pw-1@cache", "rediss://default:***@cache"),
        ("postgresql://db/infoshare", "postgresql://db/infoshare"),
    ],
)
def test_passwords_are_hidden_in_urls_and_driver_messages(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    assert scrub("auth failed for pw-1", url) == (
        "auth failed for ***" if "pw-1" in url else "auth failed for pw-1"
    )


def test_storage_error_is_still_importable_from_the_sqlite_module() -> None:
    assert SqliteStorageError is StorageError
