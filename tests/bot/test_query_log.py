"""The anonymised query log: redacted before it is written, by the hour, pseudonymous, best
effort; and the once-per-conversation word that names and identifiers aren't needed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.exports import query_lines, utc_timestamp
from bot.knowledge import Knowledge
from bot.models import QueryRecord
from bot.pseudonym import Pseudonymiser
from bot.queries import WITHHELD, redact_again, withhold
from bot.redaction import RULES
from bot.storage import StorageError
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog, MemoryQueryLog
from bot.storage.open import open_query_log
from bot.storage.sqlite import SqliteDecisionLog
from bot.storage.sqlite_queries import SqliteQueryLog
from bot.types import QueryLog
from tests.conftest import FIXED_TIME, Chat

NAME, DOB = "Jayden Okonkwo", "03/04/2011"
IDENTIFYING = f"the police want everything on {NAME} dob {DOB}"
CLEAN = "the police want everything we hold on a young person"
KEY = b"test-key-0123456789"
POLICE_SHARE = ["no", "investigation", "yes", "yes", "yes", "all"]


def sample(n: int, day: int = 1, hour: int = 9) -> QueryRecord:
    return QueryRecord(
        id=f"q{n:04d}",
        time=dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC),
        channel="test",
        user="u_abc",
        text="the police want [NAME]'s file",
        kind="question",
        topic="police",
        confidence=0.75,
        helped=True,
    )


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def log(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[QueryLog]:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        opened = await open_query_log(url)
    elif request.param == "sqlite":
        opened = await open_query_log(f"sqlite:///{tmp_path / 'q.db'}")
    else:
        opened = MemoryQueryLog()
    try:
        yield opened
    finally:
        await opened.close()


async def test_records_export_in_time_order_and_since_a_date(log: QueryLog) -> None:
    for n in (3, 1, 2):
        await log.record(sample(n, day=n))
    await log.ping()
    assert [r async for r in log.export()] == [sample(1, 1), sample(2, 2), sample(3, 3)]
    since = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert [r.id async for r in log.export(since)] == ["q0002", "q0003"]


async def test_purge_deletes_only_what_is_older_and_says_how_many(log: QueryLog) -> None:
    for n in range(1, 6):
        await log.record(sample(n, day=n))
    assert await log.purge(dt.datetime(2026, 11, 3, tzinfo=dt.UTC)) == 2
    assert [r.id async for r in log.export()] == ["q0003", "q0004", "q0005"]
    assert await log.purge(dt.datetime(2026, 11, 3, tzinfo=dt.UTC)) == 0


async def test_nulls_and_false_survive_the_round_trip(log: QueryLog) -> None:
    record = sample(1).model_copy(update={"kind": "command", "topic": None,
                                          "confidence": None, "helped": False})  # fmt: skip
    await log.record(record)
    assert [r async for r in log.export()] == [record]


async def test_both_text_exports_write_a_time_in_utc_ending_in_z() -> None:
    summer = dt.timezone(dt.timedelta(hours=1))  # as a driver might hand a time back
    record = sample(1).model_copy(update={"time": dt.datetime(2026, 6, 1, 10, tzinfo=summer)})

    async def records() -> AsyncIterator[QueryRecord]:
        yield record

    [line] = [text async for text in query_lines(records(), "jsonl")]
    rows = list(
        csv.DictReader(io.StringIO("".join([t async for t in query_lines(records(), "csv")])))
    )
    assert json.loads(line)["time"] == rows[0]["time"] == "2026-06-01T09:00:00Z"
    precise = dt.datetime(2026, 11, 24, 10, 30, 5, 120000, tzinfo=dt.UTC)
    assert utc_timestamp(precise) == "2026-11-24T10:30:05.120000Z"


async def test_amend_rewrites_texts_by_id_and_says_which_were_stored(log: QueryLog) -> None:
    for n in range(1, 4):
        await log.record(sample(n, day=n))
    assert await log.amend({"q0002": "[WITHHELD]", "gone": "x"}) == {"q0002"}
    texts = [r.text async for r in log.export()]
    assert texts == [sample(1).text, "[WITHHELD]", sample(3).text]
    assert await log.amend({}) == set()


async def test_the_rules_version_is_kept_until_replaced(log: QueryLog) -> None:
    assert await log.redacted_with() is None
    await log.mark_redacted_with("old")
    await log.mark_redacted_with(RULES)
    assert await log.redacted_with() == RULES


async def test_redact_again_rewrites_only_what_older_rules_let_through(log: QueryLog) -> None:
    stored = {
        "q0001": f"the police want everything on {NAME}",  # as rules without names stored it
        "q0002": "police want [NAME]'s file, he's at [ADDRESS], Whitby [POSTCODE]",
        "q0003": "[WITHHELD]",
    }
    for n, text in enumerate(stored.values(), 1):
        await log.record(sample(n, hour=n).model_copy(update={"text": text}))
    assert await redact_again(log, batch=1) == (3, 1)
    texts = [r.text async for r in log.export()]
    assert texts == ["the police want everything on [NAME]", *list(stored.values())[1:]]
    assert await log.redacted_with() == RULES
    assert await redact_again(log) == (3, 0)  # nothing left for these rules to change


async def test_withhold_replaces_the_text_and_keeps_the_counts(log: QueryLog) -> None:
    for n in range(1, 3):
        await log.record(sample(n, day=n))
    assert await withhold(log, ["q0001", "q9999"]) == {"q0001"}
    first, second = [r async for r in log.export()]
    assert first == sample(1).model_copy(update={"text": WITHHELD})
    assert second == sample(2, day=2)
    assert await redact_again(log) == (2, 0)  # "[WITHHELD]" is a placeholder like the others


async def test_sqlite_keeps_the_rules_version_across_a_restart(tmp_path: Path) -> None:
    log = SqliteQueryLog(tmp_path / "q.db")
    await log.mark_redacted_with(RULES)
    await log.close()
    reopened = SqliteQueryLog(tmp_path / "q.db")
    assert await reopened.redacted_with() == RULES
    await reopened.close()


async def test_sqlite_export_reads_in_batches(tmp_path: Path) -> None:
    log = SqliteQueryLog(tmp_path / "q.db", batch=2)
    for n in range(5):
        await log.record(sample(n, hour=n))
    assert [r.id async for r in log.export()] == [f"q{n:04d}" for n in range(5)]
    await log.close()


# The engine ------------------------------------------------------------------------------------


class FailingQueryLog(MemoryQueryLog):
    async def record(self, query: QueryRecord) -> None:
        raise StorageError(f"disk full while writing {query.text}")


MakeEngine = Callable[[QueryLog | None], Engine]


@pytest.fixture
def decisions() -> MemoryDecisionLog:
    return MemoryDecisionLog()


@pytest.fixture
def make(knowledge: Knowledge, decisions: MemoryDecisionLog) -> MakeEngine:
    def build(queries: QueryLog | None) -> Engine:
        return Engine(knowledge, MemoryConversationStore(), decisions, Pseudonymiser(KEY),
                      clock=lambda: FIXED_TIME, queries=queries)  # fmt: skip

    return build


async def test_raw_text_never_reaches_the_database_file_or_the_logs(
    tmp_path: Path, knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "infoshare.db"
    decisions, queries = SqliteDecisionLog(path), SqliteQueryLog(path)
    engine = Engine(knowledge, MemoryConversationStore(), decisions, Pseudonymiser(KEY),
                    queries=queries)  # fmt: skip
    chat = Chat(engine)
    await chat.say(IDENTIFYING)
    await chat.say(f"{NAME} is at risk")
    for choice in POLICE_SHARE:
        await chat.press(choice)
    [record, *_] = [r async for r in queries.export()]
    assert NAME not in record.text and DOB not in record.text and "[NAME]" in record.text
    await queries.close()
    await decisions.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("infoshare.db*"))
    assert b"everything on" in stored  # the redacted text is there...
    for secret in (NAME, "Jayden", "Okonkwo", DOB, "2011"):
        assert secret.encode() not in stored  # ...the identifiers are not
        assert secret not in caplog.text


async def test_a_record_is_by_the_hour_pseudonymous_with_the_route(
    make: MakeEngine, decisions: MemoryDecisionLog
) -> None:
    queries = MemoryQueryLog()
    await Chat(make(queries), user="U123").say(CLEAN)
    [record] = queries.records
    assert record.time == FIXED_TIME.replace(minute=0)  # 10:30 -> 10:00
    assert record.user == Pseudonymiser(KEY)("test", "U123") and "U123" not in record.user
    assert (record.channel, record.kind, record.topic, record.helped) == (
        "test", "question", "police", True)  # fmt: skip
    assert record.confidence is not None and 0 < record.confidence <= 1
    assert record.text == CLEAN


async def test_typed_answers_and_commands_carry_the_conversations_topic(
    make: MakeEngine,
) -> None:
    queries = MemoryQueryLog()
    chat = Chat(make(queries))
    await chat.say(CLEAN)
    await chat.press("no")  # a button: not logged
    await chat.say("why?")
    await chat.say("safeguarding")  # a typed answer to "what for?"
    kinds = [(r.kind, r.topic, r.confidence) for r in queries.records]
    assert kinds[1:] == [("command", "police", None), ("answer", "police", None)]
    assert len(queries.records) == 3


async def test_off_topic_messages_are_recorded_as_not_helped(make: MakeEngine) -> None:
    queries = MemoryQueryLog()
    await Chat(make(queries)).say("how do I book annual leave")
    [record] = queries.records
    assert (record.topic, record.helped) == ("unknown", False)


async def test_a_failed_query_log_write_leaves_the_turn_and_the_decision_alone(
    make: MakeEngine, decisions: MemoryDecisionLog, caplog: pytest.LogCaptureFixture
) -> None:
    plain, failing = Chat(make(None), "a"), Chat(make(FailingQueryLog()), "b")
    for chat in (plain, failing):
        first = await chat.say(CLEAN)
        for choice in POLICE_SHARE[:-1]:
            await chat.press(choice)
        last = await chat.say("all of it")
        assert first.error is None and last.error is None
    assert [r.outcome for r in decisions.records] == ["share", "share"]
    assert "query not logged: StorageError" in caplog.text
    assert "disk full" not in caplog.text and "police want" not in caplog.text


async def test_identifiers_get_the_gentle_word_once_per_conversation(
    make: MakeEngine, knowledge: Knowledge
) -> None:
    word = knowledge.messages.no_identifiers_needed
    engine = make(None)
    chat = Chat(engine)
    first = await chat.say(IDENTIFYING)
    assert first.text.startswith(word) and first.topic == "police"
    assert "Request from the police." in first.text
    again = await chat.say(f"{NAME} might be missing")
    await chat.say("start over")
    after_restart = await chat.say(IDENTIFYING)
    assert word not in again.text and word not in after_restart.text
    other = await Chat(engine, "another").say(f"call 07700 900123 about {NAME}")
    assert other.text.startswith(word)


async def test_clean_messages_and_ages_get_no_word(make: MakeEngine, knowledge: Knowledge) -> None:
    chat = Chat(make(None))
    for said in (CLEAN, "the police want everything we hold on a 15 year old"):
        reply = await chat.say(said)
        assert knowledge.messages.no_identifiers_needed not in reply.text


# What counts as "could not help" -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "?"])
async def test_an_empty_message_is_not_logged_and_gets_what_can_be_done(
    make: MakeEngine, knowledge: Knowledge, typed: str
) -> None:
    queries = MemoryQueryLog()
    chat = Chat(make(queries))
    reply = await chat.say(typed)
    assert "police" in [c.id for c in reply.choices]  # the menu
    await chat.say(CLEAN)
    reply = await chat.say(typed)  # mid-flow: the question stays, with what can be typed
    assert reply.question == "immediate-risk"
    assert knowledge.messages.help.question_intro in reply.text
    assert [(r.kind, r.topic) for r in queries.records] == [("question", "police")]


async def test_a_command_after_an_off_topic_message_is_no_gap(make: MakeEngine) -> None:
    queries = MemoryQueryLog()
    chat = Chat(make(queries))
    await chat.say("how do I book annual leave")
    for command in ("help", "talk to the IG team", "start over"):
        await chat.say(command)
    gaps = [(r.kind, r.text) for r in queries.records if not r.helped]
    assert gaps == [("question", "how do I book annual leave")]
    assert all(r.kind == "command" for r in queries.records[1:])


async def test_after_cancel_a_typed_number_picks_a_topic_and_is_no_gap(
    make: MakeEngine,
) -> None:
    queries = MemoryQueryLog()
    chat = Chat(make(queries))
    await chat.say(CLEAN)
    await chat.say("cancel")
    reply = await chat.say("1")
    assert (reply.topic, reply.question) == ("police", "immediate-risk")
    assert queries.records[-1].kind == "answer" and queries.records[-1].helped


async def test_a_number_with_nothing_numbered_on_offer_says_what_to_do_and_is_no_gap(
    make: MakeEngine, knowledge: Knowledge
) -> None:
    queries = MemoryQueryLog()
    chat = Chat(make(queries))
    await chat.say(CLEAN)
    decided = await chat.press("yes")
    reply = await chat.say("1")  # after a decision nothing is numbered
    assert reply.text == knowledge.messages.no_numbered_choices
    assert reply.outcome is None and [a.id for a in reply.actions] == [
        a.id for a in decided.actions
    ]
    await chat.say(CLEAN)
    reply = await chat.say("7")  # out of range mid-flow: the question is asked again
    assert reply.question == "immediate-risk"
    assert reply.text.startswith(knowledge.messages.unknown_choice)
    assert reply.error is None  # typed, not a refused button
    assert all(r.helped for r in queries.records)
    assert [r.kind for r in queries.records if r.text in ("1", "7")] == ["answer", "answer"]
    fresh = await Chat(make(queries), "new").say("3")  # a first message: the menu follows
    assert fresh.text.startswith(knowledge.messages.no_numbered_choices)
    assert "police" in [c.id for c in fresh.choices]
