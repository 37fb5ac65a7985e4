"""The decision log: durable, recorded before the summary is shown, ids only, pseudonymous."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.models import DecisionRecord
from bot.pseudonym import Pseudonymiser, load_or_create_key
from bot.storage.memory import MemoryDecisionLog
from bot.storage.sqlite import SqliteDecisionLog, StorageError
from bot.types import DecisionLog
from tests.conftest import FIXED_TIME, Chat

SECRET_TEXT = "Jayden Smith dob 03/04/2011 of 12 Acacia Avenue, the police want everything"


def sample(n: int, day: int = 1) -> DecisionRecord:
    return DecisionRecord(
        id=f"D-TEST-{n:04d}",
        time=dt.datetime(2026, 11, day, 9, n % 60, tzinfo=dt.UTC),
        channel="test",
        user="u_abc",
        topic="police",
        answers=[("immediate-risk", "no"), ("police-purpose", "unclear")],
        outcome="not-yet",
        knowledge_version="abc123def456",
    )


async def test_sqlite_log_uses_wal_and_full_sync(tmp_path: Path) -> None:
    log = SqliteDecisionLog(tmp_path / "d.db")
    await log.record(sample(1))
    await log.close()
    db = sqlite3.connect(tmp_path / "d.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    log = SqliteDecisionLog(tmp_path / "d.db")
    assert log._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    await log.close()


async def test_a_new_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    log = SqliteDecisionLog(tmp_path / "d.db")
    await log.record(sample(1))
    for file in tmp_path.glob("d.db*"):  # the database and its -wal and -shm files
        assert file.stat().st_mode & 0o777 == 0o600, file.name
    await log.close()


async def test_records_survive_reopening_and_export_in_time_order(tmp_path: Path) -> None:
    log = SqliteDecisionLog(tmp_path / "d.db")
    for n in (3, 1, 2):
        await log.record(sample(n, day=n))
    await log.close()
    log = SqliteDecisionLog(tmp_path / "d.db")
    assert [r.id async for r in log.export()] == ["D-TEST-0001", "D-TEST-0002", "D-TEST-0003"]
    since = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert [r.id async for r in log.export(since)] == ["D-TEST-0002", "D-TEST-0003"]
    [first, *_] = [r async for r in log.export()]
    assert first == sample(1, day=1)
    await log.close()


async def test_a_log_written_before_revisions_were_linked_is_upgraded_in_place(
    tmp_path: Path,
) -> None:
    # The decisions table as the first release wrote it: no revises column.
    old = sqlite3.connect(tmp_path / "d.db")
    old.execute(
        "CREATE TABLE decisions (id TEXT PRIMARY KEY, time TEXT NOT NULL, channel TEXT NOT "
        "NULL, user TEXT NOT NULL, topic TEXT NOT NULL, answers TEXT NOT NULL, outcome TEXT "
        "NOT NULL, knowledge_version TEXT NOT NULL)"
    )
    first = sample(1)
    old.execute(
        "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (first.id, first.time.isoformat(), "test", "u_abc", "police",
         '[["immediate-risk", "no"], ["police-purpose", "unclear"]]', "not-yet", "abc123def456"),
    )  # fmt: skip
    old.commit()
    old.close()
    log = SqliteDecisionLog(tmp_path / "d.db")
    second = sample(2).model_copy(update={"revises": first.id})
    await log.record(second)
    assert [r async for r in log.export()] == [first, second]
    await log.close()
    assert sqlite3.connect(tmp_path / "d.db").execute("PRAGMA user_version").fetchone() == (2,)


async def test_export_pages_through_a_large_log(tmp_path: Path) -> None:
    log = SqliteDecisionLog(tmp_path / "d.db")
    for n in range(2500):
        await log.record(sample(n).model_copy(update={"id": f"D-{n:06d}"}))
    ids = [r.id async for r in log.export()]
    assert len(ids) == len(set(ids)) == 2500
    await log.close()


def test_an_unusable_database_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="can't open the decision log at"):
        SqliteDecisionLog(tmp_path / "no-such-folder" / "d.db")


async def test_a_full_conversation_stores_ids_only_never_free_text(
    make_engine: Callable[[DecisionLog], Engine], tmp_path: Path
) -> None:
    log = SqliteDecisionLog(tmp_path / "d.db")
    chat = Chat(make_engine(log), user="U0SLACKUSER")
    await chat.say(SECRET_TEXT)
    for choice in ["no", "investigation", "yes", "yes", "yes", "all"]:
        reply = await chat.press(choice)
    assert reply.outcome == "share"
    [record] = [r async for r in log.export()]
    assert record.id == reply.decision_id
    assert record.time == FIXED_TIME
    assert (record.channel, record.topic, record.outcome) == ("test", "police", "share")
    assert record.user.startswith("u_") and "U0SLACKUSER" not in record.user
    assert len(record.answers) == 6
    await log.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("d.db*"))
    for fragment in (b"Jayden", b"Acacia", b"03/04/2011", b"U0SLACKUSER"):
        assert fragment not in stored


class BrokenLog(MemoryDecisionLog):
    def __init__(self) -> None:
        super().__init__()
        self.broken = True

    async def record(self, decision: DecisionRecord) -> None:
        if self.broken:
            raise StorageError("disk I/O error")
        await super().record(decision)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]:
        async for record in super().export(since):
            yield record


async def test_no_summary_is_shown_until_the_decision_is_recorded_and_nothing_is_lost(
    make_engine: Callable[[DecisionLog], Engine],
) -> None:
    log = BrokenLog()
    chat = Chat(make_engine(log))
    await chat.say("police want info")
    reply = await chat.press("yes")
    assert reply.error == "record-failed"
    assert reply.outcome is None and reply.summary is None and reply.decision_id is None
    assert reply.question == "immediate-risk"  # still waiting on the same answer
    log.broken = False
    reply = await chat.press("yes")
    assert reply.outcome == "act-now"
    assert [r.id for r in log.records] == [reply.decision_id]


def test_pseudonyms_are_stable_per_key_and_unlinkable_across_keys() -> None:
    one, other = Pseudonymiser(b"k" * 32), Pseudonymiser(b"j" * 32)
    assert one("slack", "U1") == one("slack", "U1")
    assert one("slack", "U1") != one("slack", "U2")
    assert one("slack", "U1") != one("teams", "U1")
    assert one("slack", "U1") != other("slack", "U1")
    with pytest.raises(ValueError):
        Pseudonymiser(b"short")


def test_a_generated_key_is_kept_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "infoshare.pseudonym-key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(path) == key
