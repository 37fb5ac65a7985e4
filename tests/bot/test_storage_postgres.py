"""The PostgreSQL decision log: the SQLite log's behaviour, on a shared server."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import LiteralString

import psycopg
import pytest

from bot.engine import Engine
from bot.storage import StorageError
from bot.storage.open import open_decision_log
from bot.storage.postgres import PostgresDecisionLog
from bot.types import DecisionLog
from tests.bot.test_decision_log import SECRET_TEXT, sample
from tests.conftest import FIXED_TIME, Chat

UNREACHABLE = "postgresql://infoshare:pg-s3cret-pw@127.0.0.1:1/test"
POLICE_SHARE = ["no", "investigation", "yes", "yes", "yes", "all"]


@pytest.fixture
async def log(postgres_url: str) -> AsyncIterator[PostgresDecisionLog]:
    opened = await PostgresDecisionLog.open(postgres_url)
    try:
        yield opened
    finally:
        await opened.close()


def query(url: str, statement: LiteralString) -> list[tuple[object, ...]]:
    """Run ``statement`` on a connection of its own, as another program would."""
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


async def test_records_survive_reopening_and_export_in_time_order(postgres_url: str) -> None:
    log = await PostgresDecisionLog.open(postgres_url)
    for n in (3, 1, 2):
        await log.record(sample(n, day=n))
    await log.close()
    log = await PostgresDecisionLog.open(postgres_url)
    assert [r.id async for r in log.export()] == ["D-TEST-0001", "D-TEST-0002", "D-TEST-0003"]
    since = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert [r.id async for r in log.export(since)] == ["D-TEST-0002", "D-TEST-0003"]
    [first, *_] = [r async for r in log.export()]
    assert first == sample(1, day=1)
    assert first.time.tzinfo == dt.UTC
    await log.close()


async def test_a_table_from_before_revisions_were_linked_gains_the_column(
    postgres_url: str,
) -> None:
    query(
        postgres_url,
        "CREATE TABLE decisions (id TEXT PRIMARY KEY, time TIMESTAMPTZ NOT NULL, channel TEXT "
        'NOT NULL, "user" TEXT NOT NULL, topic TEXT NOT NULL, answers JSONB NOT NULL, outcome '
        "TEXT NOT NULL, knowledge_version TEXT NOT NULL)",
    )
    log = await PostgresDecisionLog.open(postgres_url)
    first, second = sample(1), sample(2).model_copy(update={"revises": "D-TEST-0001"})
    await log.record(first)
    await log.record(second)
    assert [r async for r in log.export()] == [first, second]
    await log.close()


async def test_the_table_keeps_answers_as_jsonb_and_time_as_timestamptz_indexed(
    log: PostgresDecisionLog, postgres_url: str
) -> None:
    await log.record(sample(1))
    columns = query(
        postgres_url,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'decisions'",
    )
    types = {str(name): str(kind) for name, kind in columns}
    assert types["answers"] == "jsonb"
    assert types["time"] == "timestamp with time zone"
    assert set(types) == {
        "id", "time", "channel", "user", "topic", "answers", "outcome", "knowledge_version",
        "revises",
    }  # fmt: skip
    [[index]] = query(
        postgres_url,
        "SELECT indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND indexname = 'decisions_time'",
    )
    assert '("time", id)' in str(index)
    [[answers]] = query(postgres_url, "SELECT answers FROM decisions")
    assert answers == [["immediate-risk", "no"], ["police-purpose", "unclear"]]


async def test_export_pages_in_batches_across_equal_times(postgres_url: str) -> None:
    log = await PostgresDecisionLog.open(postgres_url, batch=10)
    same_time = sample(0).time
    for n in range(25):  # batch boundaries fall inside runs of equal timestamps
        await log.record(sample(n).model_copy(update={"id": f"D-{n:04d}", "time": same_time}))
    exported = log.export()
    first = await anext(exported)
    # A decision recorded after the export began still arrives: the log is read a batch at a
    # time, never all at once.
    late = sample(1).model_copy(update={"id": "D-LATE", "time": same_time + dt.timedelta(1)})
    await log.record(late)
    rest = [r.id async for r in exported]
    assert [first.id, *rest] == [f"D-{n:04d}" for n in range(25)] + ["D-LATE"]
    await log.close()


async def test_export_ends_cleanly_on_an_exact_multiple_of_the_batch(postgres_url: str) -> None:
    log = await PostgresDecisionLog.open(postgres_url, batch=5)
    for n in range(10):
        await log.record(sample(n).model_copy(update={"id": f"D-{n:04d}"}))
    assert len([r async for r in log.export()]) == 10
    await log.close()


async def test_many_decisions_recorded_at_once_are_all_kept(postgres_url: str) -> None:
    log = await PostgresDecisionLog.open(postgres_url, pool_size=4)
    records = [sample(n).model_copy(update={"id": f"D-{n:04d}"}) for n in range(60)]
    await asyncio.gather(*(log.record(r) for r in records))
    exported = [r async for r in log.export()]
    assert sorted(r.id for r in exported) == [r.id for r in records]
    await log.close()


async def test_a_full_conversation_is_recorded_with_ids_only(
    make_engine: Callable[[DecisionLog], Engine], log: PostgresDecisionLog, postgres_url: str
) -> None:
    chat = Chat(make_engine(log), user="U0SLACKUSER")
    await chat.say(SECRET_TEXT)
    for choice in POLICE_SHARE:
        reply = await chat.press(choice)
    assert reply.outcome == "share"
    [record] = [r async for r in log.export()]
    assert record.id == reply.decision_id
    assert record.time == FIXED_TIME
    assert (record.channel, record.topic, record.outcome) == ("test", "police", "share")
    assert record.user.startswith("u_") and "U0SLACKUSER" not in record.user
    [[row]] = query(postgres_url, "SELECT d::text FROM decisions d")
    for fragment in ("Jayden", "Acacia", "03/04/2011", "U0SLACKUSER"):
        assert fragment not in str(row)


async def test_a_failed_write_is_a_storage_error_and_the_answer_can_be_retried(
    make_engine: Callable[[DecisionLog], Engine], log: PostgresDecisionLog, postgres_url: str
) -> None:
    chat = Chat(make_engine(log))
    await chat.say("police want info")
    query(postgres_url, "ALTER TABLE decisions RENAME TO decisions_away")
    with pytest.raises(StorageError, match="can't write to the decision log at"):
        await log.record(sample(1))
    with pytest.raises(StorageError, match="can't reach the decision log"):
        await log.ping()
    reply = await chat.press("yes")
    assert reply.error == "record-failed"
    assert reply.outcome is None and reply.decision_id is None
    assert reply.question == "immediate-risk"  # still waiting on the same answer
    query(postgres_url, "ALTER TABLE decisions_away RENAME TO decisions")
    reply = await chat.press("yes")
    assert reply.outcome == "act-now"
    assert [r.id async for r in log.export()] == [reply.decision_id]


async def test_connections_dropped_by_the_server_cost_no_decision(
    log: PostgresDecisionLog, postgres_url: str
) -> None:
    await log.record(sample(1))
    query(  # as a database restart or a failover would
        postgres_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = current_setting('application_name') AND pid <> pg_backend_pid()",
    )
    await log.record(sample(2))
    await log.ping()
    assert [r.id async for r in log.export()] == ["D-TEST-0001", "D-TEST-0002"]


async def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StorageError) as caught:
        await PostgresDecisionLog.open(UNREACHABLE)
    message = str(caught.value)
    assert message.startswith("can't open the decision log at postgresql://infoshare:***@")
    assert "127.0.0.1:1" in message
    assert "pg-s3cret-pw" not in message
    with pytest.raises(StorageError) as caught:
        await open_decision_log(UNREACHABLE + "?password=other-s3cret")
    assert "s3cret" not in str(caught.value)


async def test_open_decision_log_opens_postgresql_urls(postgres_url: str) -> None:
    log = await open_decision_log(postgres_url)
    assert isinstance(log, PostgresDecisionLog)
    await log.ping()
    await log.close()
