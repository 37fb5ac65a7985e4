"""Speed of redacting the query log again, as the server does after an upgrade of the rules.

Loads N records (default 20,000) into a temporary SQLite file, their texts the redacted staff
messages of tests/redaction/tuning7.yaml with, in one record in ten, an identifier left in as
older rules might have ("[NAME] lives at 22 Holme Rise"), and times ``redact_again`` over them.

    python bench/redact_again.py [--records N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.models import QueryRecord  # noqa: E402
from bot.queries import redact_again  # noqa: E402
from bot.redaction import redact  # noqa: E402
from bot.storage.sqlite_queries import SqliteQueryLog  # noqa: E402

LEFT_IN = " (lives at 22 Holme Rise)"


async def run(records: int) -> None:
    rows = yaml.safe_load((ROOT / "tests" / "redaction" / "tuning7.yaml").read_text("utf-8"))
    texts = [redact(str(row["text"])).text for row in rows]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder:
        log = SqliteQueryLog(Path(folder) / "queries.db")
        for i in range(records):
            text = texts[i % len(texts)] + (LEFT_IN if i % 10 == 0 else "")
            await log.record(QueryRecord(
                id=f"{i:08d}", time=start + dt.timedelta(hours=i % 8760), channel="slack",
                user="u_bench", text=text, kind="question", topic="police", confidence=0.5,
                helped=True,
            ))  # fmt: skip
        began = time.perf_counter()
        read, rewritten = await redact_again(log)
        took = time.perf_counter() - began
        await log.close()
    print(f"redact again: {read:,} records read, {rewritten:,} rewritten in {took:.1f} s: "
          f"{took / read * 1000:.2f} ms a record, {took / read * 1e6 / 60:.0f} minutes for "
          "a million")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    asyncio.run(run(parser.parse_args().records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
