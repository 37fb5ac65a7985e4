"""The dashboard's data: flow progress recorded by real conversations, the counts each store
makes (SQLite and PostgreSQL alike) under every filter, and the dashboard built from them."""

from __future__ import annotations

import datetime as dt
import logging
import random
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.analytics import (
    ABANDONED_AFTER,
    LATEST,
    Counts,
    FilterError,
    Filters,
    build_dashboard,
    count,
    parse_filters,
    read_filters,
)
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.models import DecisionRecord, FlowProgress, QueryRecord
from bot.pseudonym import Pseudonymiser
from bot.storage import StorageError
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog, MemoryQueryLog
from bot.storage.open import open_analytics, open_decision_log, open_query_log
from bot.storage.sqlite_queries import SqliteQueryLog
from bot.suppression import Hidden
from bot.types import AnalyticsStore, QueryLog
from tests.conftest import Chat

NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
POLICE_SHARE = ["no", "investigation", "yes", "yes", "yes", "all"]


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


# Seeded data ----------------------------------------------------------------------------------


Seeded = tuple[list[QueryRecord], list[DecisionRecord], list[FlowProgress]]


def seed(n: int = 400, rng_seed: int = 3) -> Seeded:
    """A few weeks of records with every kind of value the counts distinguish."""
    rng = random.Random(rng_seed)
    start = NOW - dt.timedelta(days=40)
    texts = ["How do I book leave", "how do i book LEAVE", "Where is the canteen", "wifi code"]

    def when() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.randrange(40 * 86400))

    def channel() -> str:
        return rng.choice(["slack", "teams"])

    queries = []
    for i in range(n):
        kind = rng.choice(["question", "question", "answer", "command"])
        topic: str | None = rng.choice(["police", "family", "unknown", "help"])
        if kind != "question":
            topic = rng.choice(["police", None])
        text = rng.choice(texts) if topic == "unknown" else "the police want [NAME]'s file"
        record = {"id": f"q{i:05d}", "time": when().replace(minute=0, second=0),
                  "channel": channel(), "user": "u_x", "text": text, "kind": kind,
                  "topic": topic, "confidence": 0.5 if kind == "question" else None,
                  "helped": topic != "unknown"}  # fmt: skip
        queries.append(QueryRecord.model_validate(record))
    decisions = [
        DecisionRecord(id=f"D-{i:05d}", time=when(), channel=channel(), user="u_x",
                       topic=rng.choice(["police", "family"]), answers=[("q", "c")],
                       outcome=rng.choice(["share", "do-not-share"]), knowledge_version="v")
        for i in range(n // 4)
    ]  # fmt: skip
    flows = []
    for i in range(n // 4):
        begun = when().replace(minute=0, second=0)
        moved = min(begun + dt.timedelta(hours=rng.randrange(3)), NOW)
        flows.append(FlowProgress(id=f"f{i:05d}", started=begun, channel=channel(),
                                  topic=rng.choice(["police", "family"]),
                                  question=rng.choice(["risk", "purpose"]),
                                  outcome=rng.choice([None, "share"]), updated=moved))  # fmt: skip
    return queries, decisions, flows


SEEDED = seed()


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AnalyticsStore]:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'a.db'}"
    queries, decisions, flows = SEEDED
    query_log, decision_log = await open_query_log(url), await open_decision_log(url)
    for record in queries:
        await query_log.record(record)
    for decision in decisions:
        await decision_log.record(decision)
    await query_log.progress(flows)
    await query_log.close()
    await decision_log.close()
    opened = await open_analytics(url)
    try:
        yield opened
    finally:
        await opened.close()


FILTERS = [
    Filters(),
    Filters(start=(NOW - dt.timedelta(days=20)).date(), end=(NOW - dt.timedelta(days=6)).date()),
    Filters(channel="teams"),
    Filters(topic="police"),
    Filters(start=(NOW - dt.timedelta(days=30)).date(), channel="slack", topic="family"),
]


Grouped = dict[str, list[tuple[object, int]]]


def expected(filters: Filters) -> Grouped:
    """Each count worked out in Python, record by record, from the seeded lists."""
    queries, decisions, flows = SEEDED

    def kept(time: dt.datetime, channel: str, topic: str | None) -> bool:
        return (
            (filters.since is None or time >= filters.since)
            and (filters.until is None or time < filters.until)
            and filters.channel in (None, channel)
            and filters.topic in (None, topic)
        )

    asked = [q for q in queries if q.kind == "question" and kept(q.time, q.channel, q.topic)]
    decided = [d for d in decisions if kept(d.time, d.channel, d.topic)]
    spellings: dict[str, list[str]] = {}
    for q in asked:
        if not q.helped:
            spellings.setdefault(q.text.lower(), []).append(q.text)
    gaps = [(min(found), len(found)) for found in spellings.values()]
    before = NOW - ABANDONED_AFTER
    left = [f for f in flows if f.outcome is None and f.updated < before
            and kept(f.started, f.channel, f.topic)]  # fmt: skip
    return {
        "questions": sorted(Counter((q.time.date(), q.channel) for q in asked).items()),
        "decisions": sorted(Counter((d.time.date(), d.channel) for d in decided).items()),
        "topics": sorted(Counter(q.topic or "none" for q in asked).items()),
        "outcomes": sorted(Counter((d.topic, d.outcome) for d in decided).items()),
        "gaps": sorted(gaps, key=lambda g: (-g[1], g[0])),
        "abandoned": sorted(Counter((f.topic, f.question) for f in left).items()),
    }


def grouped(counts: Counts) -> Grouped:
    """A store's counts in the same shape as ``expected``: (key, n) pairs, sorted (gaps kept
    in the store's order, which is part of what is tested)."""

    def pairs(rows: list[tuple[object, object, int]]) -> list[tuple[object, int]]:
        return sorted(((a, b), n) for a, b, n in rows)

    return {
        "questions": pairs(list(counts.questions)),
        "decisions": pairs(list(counts.decisions)),
        "topics": sorted(counts.topics),
        "outcomes": pairs(list(counts.outcomes)),
        "gaps": list(counts.gaps),
        "abandoned": pairs(list(counts.abandoned)),
    }


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "dates", "channel", "topic", "mixed"])
async def test_every_count_matches_the_records_under_each_filter(
    store: AnalyticsStore, filters: Filters
) -> None:
    want = expected(filters)
    assert grouped(await count(store, filters, NOW)) == want
    if filters == Filters():  # the seed is rich enough for the comparison to mean something
        assert len(want["questions"]) > 20
        assert want["gaps"] and want["abandoned"] and want["outcomes"]


async def test_gaps_merge_spellings_differing_only_in_case(store: AnalyticsStore) -> None:
    gaps = dict(await store.gaps(Filters(), 10))
    assert "how do i book LEAVE" not in gaps and "How do I book leave" in gaps
    both = sum(1 for q in SEEDED[0] if q.kind == "question" and "book" in q.text)
    assert gaps["How do I book leave"] == both


async def test_postgres_counts_equal_sqlites_on_the_same_records(
    tmp_path: Path, postgres_url: str
) -> None:
    found = []
    for url in (f"sqlite:///{tmp_path / 'same.db'}", postgres_url):
        queries, decisions, flows = seed(n=240, rng_seed=11)
        query_log, decision_log = await open_query_log(url), await open_decision_log(url)
        for record in queries:
            await query_log.record(record)
        for decision in decisions:
            await decision_log.record(decision)
        await query_log.progress(flows)
        await query_log.close()
        await decision_log.close()
        store = await open_analytics(url)
        found.append([grouped(await count(store, f, NOW)) for f in FILTERS])
        await store.close()
    assert found[0] == found[1]


# Flow progress from real conversations ---------------------------------------------------------


def engine_on(knowledge: Knowledge, queries: QueryLog, clock: Clock | None = None) -> Engine:
    return Engine(knowledge, MemoryConversationStore(), MemoryDecisionLog(),
                  Pseudonymiser(b"test-key-0123456789"), clock=clock or Clock(NOW),
                  queries=queries)  # fmt: skip


@pytest.fixture
async def recorded(tmp_path: Path, knowledge: Knowledge) -> AsyncIterator[tuple[Engine, Clock]]:
    clock = Clock(NOW)
    queries = SqliteQueryLog(tmp_path / "infoshare.db")
    engine = engine_on(knowledge, queries, clock)
    yield engine, clock
    await queries.close()


async def test_abandonment_is_counted_at_the_last_question_asked(
    recorded: tuple[Engine, Clock], tmp_path: Path
) -> None:
    engine, clock = recorded
    stopped = Chat(engine, "stops-after-one-answer")
    first = await stopped.say("the police want everything we hold on a 15 year old")
    second = await stopped.press("no")
    finished = Chat(engine, "finishes")
    await finished.say("the police want everything we hold on a 15 year old")
    for choice in POLICE_SHARE:
        last = await finished.press(choice)
    assert last.outcome is not None
    cancelled = Chat(engine, "cancels")
    await cancelled.say("the police want everything we hold on a 15 year old")
    await cancelled.say("cancel")
    await engine.flush()  # what the server does on its way down, and every second or so
    store = await open_analytics(f"sqlite:///{tmp_path / 'infoshare.db'}")
    try:
        recent = await store.abandoned(Filters(), NOW - ABANDONED_AFTER)
        later = await store.abandoned(Filters(), NOW + ABANDONED_AFTER)
    finally:
        await store.close()
    assert recent == []  # an hour ago is not abandoned yet
    assert first.question and second.question and first.question != second.question
    assert sorted(later) == sorted([("police", second.question, 1), ("police", first.question, 1)])


async def test_progress_rows_hold_no_user_or_conversation_and_keep_their_start(
    recorded: tuple[Engine, Clock], tmp_path: Path
) -> None:
    engine, clock = recorded
    chat = Chat(engine, "conversation-key-123", user="U-STAFF-9")
    await chat.say("the police want everything we hold on a 15 year old")
    clock.now += dt.timedelta(hours=3)
    await chat.press("no")
    await engine.flush()
    db = sqlite3.connect(tmp_path / "infoshare.db")
    [row] = db.execute("SELECT * FROM flows").fetchall()
    db.close()
    assert not any("U-STAFF-9" in str(v) or "conversation-key-123" in str(v) for v in row)
    _, started, channel, topic, _, outcome, updated = row
    assert (started, updated) == (NOW.isoformat(), (NOW + dt.timedelta(hours=3)).isoformat())
    assert (channel, topic, outcome) == ("test", "police", None)


async def test_a_new_topic_starts_a_new_flow_and_back_after_a_decision_reopens_it(
    knowledge: Knowledge,
) -> None:
    queries = MemoryQueryLog()
    engine = engine_on(knowledge, queries)
    chat = Chat(engine)
    await chat.say("the police want everything we hold on a 15 year old")
    for choice in POLICE_SHARE:
        await chat.press(choice)
    await engine.flush()
    [decided] = queries.flows.values()
    assert decided.outcome is not None and decided.question
    await chat.say("back")
    await engine.flush()
    [reopened] = queries.flows.values()
    assert reopened.outcome is None and reopened.id == decided.id
    await chat.say("a grandmother wants the child protection plan")
    await engine.flush()
    assert len(queries.flows) == 2


async def test_a_failing_progress_write_never_touches_the_turn(
    knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    class Failing(MemoryQueryLog):
        async def progress(self, flows: Sequence[FlowProgress]) -> None:
            raise StorageError("disk full")

    caplog.set_level(logging.ERROR)
    engine = engine_on(knowledge, Failing())
    reply = await Chat(engine).say("the police want everything we hold on a 15 year old")
    assert reply.error is None and reply.question
    await engine.flush()
    assert "flow progress not logged: StorageError" in caplog.text


@pytest.mark.parametrize("where", ["memory", "sqlite", "postgres"])
async def test_purge_removes_flows_past_retention_and_progress_keeps_the_start(
    where: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    log: QueryLog = MemoryQueryLog()
    if where != "memory":
        url = request.getfixturevalue("postgres_url") if where == "postgres" else (
            f"sqlite:///{tmp_path / 'q.db'}")  # fmt: skip
        log = await open_query_log(url)
    for days in (1, 30, 40):
        moment = NOW - dt.timedelta(days=days)
        flow = FlowProgress(id=f"f{days}", started=moment, channel="cli", topic="police",
                            question="risk", outcome=None, updated=moment)  # fmt: skip
        await log.progress([flow])
    later = flow.model_copy(update={"started": NOW, "channel": "web", "question": "purpose",
                                    "outcome": "share", "updated": NOW})  # fmt: skip
    await log.progress([later])  # f40 moves on today: its start and channel stay as first written
    assert await log.purge(NOW - dt.timedelta(days=10)) == 1  # f30, untouched for 30 days
    if where == "memory":
        assert isinstance(log, MemoryQueryLog)
        kept = {f.id: (f.started, f.channel, f.question, f.outcome) for f in log.flows.values()}
        assert kept["f40"] == (NOW - dt.timedelta(days=40), "cli", "purpose", "share")
        assert set(kept) == {"f1", "f40"}
    else:
        store = await open_analytics(url)
        before = NOW + ABANDONED_AFTER
        assert await store.abandoned(Filters(), before) == [("police", "risk", 1)]  # f1 only
        old = Filters(end=(NOW - dt.timedelta(days=20)).date(), channel="cli")
        assert await store.abandoned(old, before) == []  # f30 purged, f40 decided
        await store.close()
    await log.close()


# The dashboard built from counts ---------------------------------------------------------------


def test_weeks_run_unbroken_from_the_filters_start_to_end_with_small_counts_hidden() -> None:
    day = dt.date(2026, 11, 4)  # a Wednesday
    counts = Counts(questions=[(day, "slack", 30), (day, "teams", 2),
                               (day + dt.timedelta(days=1), "teams", 40)])  # fmt: skip
    filters = Filters(start=dt.date(2026, 10, 20), end=dt.date(2026, 11, 20))
    table = build_dashboard(counts, filters, 5).questions
    assert table.rows == ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert table.columns == ["slack", "teams"]
    assert table.cells[2] == [30, 42]  # both days' teams in one week: 42, not hidden
    assert table.cells[0] == [0, 0]


def test_gaps_asked_fewer_times_than_the_threshold_are_not_listed() -> None:
    counts = Counts(gaps=[("wifi code", 9), ("parking", 5), ("my own name here", 1)])
    assert [g.text for g in build_dashboard(counts, Filters(), 5).gaps] == ["wifi code", "parking"]
    assert [g.text for g in build_dashboard(counts, Filters(), 10).gaps] == []


def test_topic_and_abandonment_tables_are_suppressed_and_ranked() -> None:
    counts = Counts(topics=[("police", 40), ("family", 3), ("breach", 12)],
                    abandoned=[("police", "risk", 7), ("police", "purpose", 2)])  # fmt: skip
    built = build_dashboard(counts, Filters(), 5)
    assert built.topics.rows == ["police", "breach", "family"]
    assert [row[0] for row in built.topics.cells] == [40, Hidden.OTHER, None]  # 12 goes with the 3
    assert built.abandoned.rows == ["police/risk", "police/purpose"]
    assert built.abandoned.total == 9 and built.abandoned.cells == [[Hidden.OTHER], [None]]


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"from": "2026-13-01"}, "not a date"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "after"),
        ({"channel": "<script>"}, "not a channel"),
        ({"topic": "x" * 80}, "not a topic"),
        ({"to": "9999-12-31"}, "'to' date 9999-12-31 is not between 2000-01-01 and 2100-12-31"),
        ({"from": "1999-12-31"}, "'from' date 1999-12-31 is not between"),
        ({"channel": "fax"}, "'fax' is not a channel: choose one of cli, slack, teams, web"),
        ({"topic": "nope"}, "'nope' is not a topic the assistant knows"),
    ],
)
def test_bad_filters_are_refused_in_plain_english(params: dict[str, str], problem: str) -> None:
    with pytest.raises(FilterError, match=problem):
        parse_filters(params, topics=["police", "family"])


def test_one_bad_filter_is_left_out_and_the_good_ones_kept() -> None:
    params = {"from": "2026-11-01", "to": "9999-12-31", "channel": "teams", "topic": "police"}
    filters, problems = read_filters(params, topics=["police"])
    assert filters == Filters(start=dt.date(2026, 11, 1), channel="teams", topic="police")
    assert problems == ["the 'to' date 9999-12-31 is not between 2000-01-01 and 2100-12-31"]
    filters, problems = read_filters({"from": "2026-11-10", "to": "2026-11-01", "topic": "nope",
                                      "channel": "web"}, topics=["police"])  # fmt: skip
    assert filters == Filters(channel="web")
    assert [p.split(" ")[:2] for p in problems] == [["the", "'from'"], ["'nope'", "is"]]


def test_filters_never_name_a_day_whose_next_day_cant_be_computed() -> None:
    with pytest.raises(ValidationError):
        Filters(end=dt.date(9999, 12, 31))
    assert Filters(end=LATEST).until == dt.datetime(2101, 1, 1, tzinfo=dt.UTC)


def test_weeks_stop_at_this_week_when_the_filters_run_on_into_the_future() -> None:
    filters = Filters(start=dt.date(2026, 11, 2), end=dt.date(2100, 12, 31))
    counts = Counts(questions=[(dt.date(2026, 11, 4), "slack", 30)])
    built = build_dashboard(counts, filters, 5, today=dt.date(2026, 11, 24))
    assert built.questions.rows == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert build_dashboard(Counts(), filters, 5, today=dt.date(2026, 11, 3)).questions.rows == [
        "2026-11-02"]  # fmt: skip


def test_blank_filters_are_no_filter_and_the_range_covers_whole_days() -> None:
    filters = parse_filters({"from": "2026-11-01", "to": "2026-11-01", "channel": " ", "topic": ""})
    assert filters.channel is None and filters.topic is None
    assert filters.since == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert filters.until == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    assert filters.as_query() == {"from": "2026-11-01", "to": "2026-11-01"}


async def test_progress_is_held_briefly_and_written_in_one_batch(knowledge: Knowledge) -> None:
    class Counting(MemoryQueryLog):
        batches: list[int] = []

        async def progress(self, flows: Sequence[FlowProgress]) -> None:
            self.batches.append(len(flows))
            await super().progress(flows)

    queries, ticks = Counting(), [0.0]
    engine = engine_on(knowledge, queries)
    assert engine.progress is not None
    engine.progress.clock = lambda: ticks[0]
    chats = [Chat(engine, f"c{n}") for n in range(3)]
    for chat in chats:
        await chat.say("the police want everything we hold on a 15 year old")
        await chat.press("no")
    assert queries.batches == [] and queries.flows == {}  # nothing written turn by turn

    ticks[0] += 1.5  # a second and a half later, the next turn writes everything held
    await chats[0].press("safeguarding")
    assert queries.batches == [3]
    assert {f.question for f in queries.flows.values()} >= {"police-purpose", "identity-verified"}
