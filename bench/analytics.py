"""Speed of the analytics dashboard's counts as the log grows.

Loads 1,000,000 synthetic query log records, 200,000 decisions and 250,000 flow progress rows
(a year of them, over the real knowledge's topics, questions and outcomes) into a temporary
SQLite file, then times each of the dashboard's counts: the median of 5 runs, unfiltered and
with each filter. Aim: every count under 500 ms on SQLite.

    python bench/analytics.py [--queries N] [--decisions N] [--flows N] [--postgres URL]

``--postgres URL`` loads the same rows into a fresh schema there and times the same counts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analytics import ABANDONED_AFTER, GAPS_SHOWN, Filters, count  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.storage.sqlite import SqliteDecisionLog  # noqa: E402
from bot.storage.sqlite_analytics import SqliteAnalytics  # noqa: E402
from bot.storage.sqlite_queries import SqliteQueryLog  # noqa: E402
from bot.types import AnalyticsStore  # noqa: E402

AIM_MS = 500.0
RUNS = 5
NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
CHANNELS = (("slack", 50), ("teams", 35), ("cli", 10), ("web", 5))
KINDS = ("question", "answer", "command")
GAP_PHRASES = 3000  # distinct unhelped questions, asked with a long tail
Rows = dict[str, list[tuple[Any, ...]]]  # table -> its rows


def rows(queries: int, decisions: int, flows: int, seed: int = 7) -> Rows:
    """Synthetic rows for the three tables, shaped like a year of use."""
    rng = random.Random(seed)
    knowledge = load_knowledge(ROOT / "knowledge")
    topics = [t for t in knowledge.flows]
    questions = {t: [q.id for q in knowledge.flows[t].questions] for t in topics}
    outcomes = {t: sorted({r.outcome for r in knowledge.flows[t].results}) for t in topics}
    routed = [*topics, "unknown", "help", "security", "principles"]
    channels = [c for c, w in CHANNELS for _ in range(w)]
    hours = 365 * 24
    start = NOW - dt.timedelta(hours=hours)
    hour_text = [(start + dt.timedelta(hours=h)).isoformat() for h in range(hours)]
    gaps = [
        f"can i share [name]'s {w} with the {v} {i}"
        for i, (w, v) in enumerate(
            (
                rng.choice(["lunch order", "parking", "payslip", "rota", "laptop"]),
                rng.choice(["gym", "union", "caterer", "landlord"]),
            )
            for _ in range(GAP_PHRASES)
        )
    ]
    gap_weights = list(itertools.accumulate(1 / (i + 1) for i in range(GAP_PHRASES)))

    query_rows = []
    for n in range(queries):
        kind = rng.choices(KINDS, cum_weights=(50, 90, 100))[0]
        topic: str | None
        if kind == "question":
            topic = "unknown" if rng.random() < 0.08 else rng.choice(routed[:-3] + ["help"])
            text = (
                rng.choices(gaps, cum_weights=gap_weights)[0]
                if topic == "unknown"
                else "the police want [NAME]'s file"
            )
            confidence: float | None = round(rng.random(), 3)
        else:
            topic, text, confidence = rng.choice(topics), "yes", None
        query_rows.append((f"q{n:08d}", hour_text[rng.randrange(hours)], rng.choice(channels),
                           f"u{rng.randrange(3000):05d}", text, kind, topic, confidence,
                           int(topic != "unknown")))  # fmt: skip
    decision_rows = []
    for n in range(decisions):
        topic = rng.choice(topics)
        moment = start + dt.timedelta(seconds=rng.randrange(hours * 3600))
        revises = f"D-{n - 1:08d}" if n and n % 20 == 0 else None  # one in 20 made after Back
        decision_rows.append((f"D-{n:08d}", moment.isoformat(), rng.choice(channels),
                              f"u{rng.randrange(3000):05d}", topic, "[]",
                              rng.choice(outcomes[topic]), "v1", revises))  # fmt: skip
    flow_rows = []
    asked = [t for t in topics if questions[t]]
    for _ in range(flows):
        topic = rng.choice(asked)
        begun = rng.randrange(hours)
        decided = rng.random() < 0.8
        flow_rows.append((uuid.uuid4().hex, hour_text[begun], rng.choice(channels), topic,
                          rng.choice(questions[topic]),
                          rng.choice(outcomes[topic]) if decided else None,
                          hour_text[min(begun + rng.randrange(2), hours - 1)]))  # fmt: skip
    return {"queries": query_rows, "decisions": decision_rows, "flows": flow_rows}


async def load_sqlite(path: Path, data: Rows) -> None:
    # The stores create their tables; then one bulk transaction, not one per row.
    for store in (SqliteQueryLog(path), SqliteDecisionLog(path)):
        await store.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    with db:
        for table, table_rows in data.items():
            marks = ", ".join("?" * len(table_rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
    db.close()


async def load_postgres(url: str, data: Rows) -> None:
    from bot.storage.postgres import PostgresDecisionLog
    from bot.storage.postgres_queries import PostgresQueryLog

    for opener in (PostgresQueryLog.open, PostgresDecisionLog.open):
        await (await opener(url)).close()
    import psycopg

    def parsed(table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        times = {"queries": (1,), "decisions": (1,), "flows": (1, 6)}[table]
        out = list(row)
        for i in times:
            out[i] = dt.datetime.fromisoformat(out[i])
        if table == "queries":
            out[8] = bool(out[8])
        if table == "decisions":
            out[5] = "[]"
        return tuple(out)

    async with await psycopg.AsyncConnection.connect(url) as conn:
        for table, table_rows in data.items():
            async with conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
                for row in table_rows:
                    await copy.write_row(parsed(table, row))
        await conn.commit()


async def timings(store: AnalyticsStore) -> list[tuple[str, str, float]]:
    """(count, filter, median ms) for every count under every filter."""
    filters = {
        "no filter": Filters(),
        "last 90 days": Filters(start=(NOW - dt.timedelta(days=90)).date(), end=NOW.date()),
        "channel=teams": Filters(channel="teams"),
        "topic=police": Filters(topic="police"),
    }
    before = NOW - ABANDONED_AFTER
    counts: dict[str, Callable[[Filters], Awaitable[Any]]] = {
        "questions by week": store.questions,
        "decisions by week": store.decisions,
        "topics asked": store.topics,
        "outcomes per topic": store.outcomes,
        "knowledge gaps": lambda f: store.gaps(f, GAPS_SHOWN),
        "abandoned at": lambda f: store.abandoned(f, before),
    }
    found = []
    for name, run in counts.items():
        for label, chosen in filters.items():
            await run(chosen)  # warm
            times = []
            for _ in range(RUNS):
                begin = time.perf_counter()
                await run(chosen)
                times.append((time.perf_counter() - begin) * 1000)
            found.append((name, label, statistics.median(times)))
    for label, chosen in filters.items():  # the whole page: all six, one after another
        times = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            await count(store, chosen, NOW)
            times.append((time.perf_counter() - begin) * 1000)
        found.append(("whole dashboard", label, statistics.median(times)))
    return found


def report(where: str, found: list[tuple[str, str, float]]) -> None:
    print(f"\n{where}: median of {RUNS} runs, aim under {AIM_MS:.0f} ms each")
    labels = list(dict.fromkeys(label for _, label, _ in found))
    print(f"  {'count':22}" + "".join(f"{label:>16}" for label in labels))
    for name in dict.fromkeys(n for n, _, _ in found):
        ms = [t for n, _, t in found if n == name]
        print(f"  {name:22}" + "".join(f"{t:13.1f} ms" for t in ms))
    worst = max(t for n, _, t in found if n != "whole dashboard")
    print(f"  slowest count: {worst:.1f} ms ({'meets' if worst < AIM_MS else 'MISSES'} the aim)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1_000_000)
    parser.add_argument("--decisions", type=int, default=200_000)
    parser.add_argument("--flows", type=int, default=250_000)
    parser.add_argument("--postgres", help="also time PostgreSQL at this URL (a fresh schema)")
    args = parser.parse_args()
    begin = time.perf_counter()
    data = rows(args.queries, args.decisions, args.flows)
    print(f"generated {args.queries:,} queries, {args.decisions:,} decisions, "
          f"{args.flows:,} flows in {time.perf_counter() - begin:.1f} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        begin = time.perf_counter()
        await load_sqlite(path, data)
        loaded = time.perf_counter() - begin
        begin = time.perf_counter()
        store = SqliteAnalytics(path)  # builds its indexes on first open
        built = time.perf_counter() - begin
        size = path.stat().st_size / 2**20
        print(f"SQLite: loaded in {loaded:.1f} s, indexes built in {built:.1f} s, {size:.0f} MiB")
        try:
            report("SQLite", await timings(store))
        finally:
            await store.close()
    if args.postgres:
        await postgres(args.postgres, data)


async def postgres(server: str, data: Rows) -> None:
    import psycopg

    from bot.storage.postgres_analytics import PostgresAnalytics

    schema = f"infoshare_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    try:
        begin = time.perf_counter()
        await load_postgres(url, data)
        store = await PostgresAnalytics.open(url)  # builds its indexes
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute("VACUUM ANALYZE")  # as autovacuum would, for index-only scans
        print(f"\nPostgreSQL: loaded and indexed in {time.perf_counter() - begin:.1f} s")
        try:
            report("PostgreSQL", await timings(store))
        finally:
            await store.close()
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    asyncio.run(main())
