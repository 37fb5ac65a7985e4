"""Cost of the reminder scheduler's bookkeeping, on SQLite and (if reachable) PostgreSQL: an
idle tick over S schedules none of which is due, and a tick where all S are due, each to D
destinations through an in-memory sender (so the figure is claims, history writes and the
schedule cursor, not a platform's speed; bench/reminders.py measures sending).

    python bench/reminder_scheduler.py [--schedules S] [--destinations D]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge import load_knowledge  # noqa: E402
from bot.reminders.catalogue import Catalogue  # noqa: E402
from bot.reminders.delivery import Deliverer  # noqa: E402
from bot.reminders.models import DeliveryResult, Destination, Reminder  # noqa: E402
from bot.reminders.scheduler import Scheduler  # noqa: E402
from bot.reminders.service import Reminders, parse_targets  # noqa: E402
from bot.storage import StorageError  # noqa: E402
from bot.storage.reminders import open_reminder_store  # noqa: E402

POSTGRES = os.environ.get(
    "INFOSHARE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
START = dt.datetime(2026, 11, 30, 8, 59, tzinfo=dt.UTC)


class Counting:
    platform = "slack"

    def __init__(self, destinations: int) -> None:
        self.known = [f"C0BENCH{i:04d}" for i in range(destinations)]
        self.sent = 0

    async def everywhere(self) -> AsyncIterator[Destination]:
        for target in self.known:
            yield Destination(platform="slack", target=target)

    async def send(self, reminder: Reminder, destination: Destination) -> DeliveryResult:
        self.sent += 1
        return DeliveryResult(destination=destination, status="sent")


async def measure(url: str, schedules: int, destinations: int) -> str:
    now = START
    store = await open_reminder_store(url)
    try:
        knowledge = load_knowledge(ROOT / "knowledge")
        sender = Counting(destinations)
        catalogue = Catalogue(knowledge, store)
        deliverer = Deliverer(store, [sender], lambda: now)
        service = Reminders(store, catalogue, deliverer, lambda: now)
        scheduler = Scheduler(store, catalogue, deliverer, lambda: now, grace=dt.timedelta(hours=1))
        ids = sorted(knowledge.snippets)
        for i in range(schedules):
            await service.schedule(
                ids[i % len(ids)], "every day 9:00", parse_targets(["everywhere"]), "u_bench"
            )
        began = time.perf_counter()
        await scheduler.tick(now)
        idle = time.perf_counter() - began
        now = START + dt.timedelta(minutes=1)
        began = time.perf_counter()
        await scheduler.tick(now)
        busy = time.perf_counter() - began
        assert sender.sent == schedules * destinations
        per_delivery = busy / sender.sent * 1000
        return (
            f"idle tick over {schedules} schedules {idle * 1000:.0f} ms; all due, "
            f"{sender.sent} deliveries in {busy:.2f} s ({per_delivery:.2f} ms each, "
            f"{busy / schedules * 1000:.1f} ms a slot)"
        )
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--destinations", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'bench.db'}"
        print("SQLite:    ", await measure(sqlite, args.schedules, args.destinations))
    try:
        import psycopg

        schema = f"bench_reminders_{os.getpid()}"
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
            print("PostgreSQL:", await measure(url, args.schedules, args.destinations))
        finally:
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    except (psycopg.Error, StorageError) as exc:
        print(f"PostgreSQL: skipped ({type(exc).__name__})")


if __name__ == "__main__":
    asyncio.run(main())
