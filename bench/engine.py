"""Speed of the dialogue core: turns per second, p50/p99 of a full turn, and start-up time.

A "full turn" is Engine.handle with the whole knowledge base loaded, the in-process
conversation store and the real SQLite decision log (WAL, synchronous=FULL) in a temporary
folder. The conversations are the ones in knowledge/tests, replayed many times.
Aims: p99 under 5 ms; `infoshare chat --json` answers its first line in under 1 s.

    python bench/engine.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.models import Turn  # noqa: E402
from bot.pseudonym import Pseudonymiser  # noqa: E402
from bot.storage.memory import MemoryConversationStore  # noqa: E402
from bot.storage.sqlite import SqliteDecisionLog  # noqa: E402
from bot.testing import load_tests  # noqa: E402


async def turns(rounds: int, folder: Path) -> tuple[list[float], list[float]]:
    knowledge = load_knowledge(ROOT / "knowledge")
    decisions = SqliteDecisionLog(folder / "bench.db")
    engine = Engine(knowledge, MemoryConversationStore(), decisions, Pseudonymiser(b"k" * 32))
    scripts = [test for _, test in load_tests(ROOT / "knowledge" / "tests")]
    plain: list[float] = []
    deciding: list[float] = []
    for round_ in range(rounds):
        for n, test in enumerate(scripts):
            conversation = f"c{round_}-{n}"
            steps = [("text", test.say)] if test.say else []
            steps += [("choice", c) for c in test.choose]
            for kind, value in steps:
                turn = Turn(channel="bench", conversation=conversation, user="u", **{kind: value})
                start = time.perf_counter()
                reply = await engine.handle(turn)
                elapsed = (time.perf_counter() - start) * 1000
                (deciding if reply.decision_id else plain).append(elapsed)
    await decisions.close()
    return plain, deciding


def startup(folder: Path, runs: int = 5) -> list[float]:
    line = json.dumps({"conversation": "1", "user": "u", "text": "the police want everything"})
    env = {**os.environ, "INFOSHARE_DATABASE_URL": f"sqlite:///{folder / 'startup.db'}"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        assert proc.stdin and proc.stdout
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        proc.stdout.readline()
        times.append((time.perf_counter() - start) * 1000)
        proc.stdin.close()
        proc.wait()
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, deciding = asyncio.run(turns(args.rounds, folder))
        everything = plain + deciding
        total_s = sum(everything) / 1000
        print(f"turns: {len(everything)} ({len(deciding)} of them record a decision)")
        print(f"throughput: {len(everything) / total_s:,.0f} turns/s (one conversation at a time)")
        for name, values in (
            ("all turns", everything),
            ("question turns", plain),
            ("decision turns", deciding),
        ):
            if values:
                print(
                    f"{name}: p50 {percentile(values, 50):.2f} ms, "
                    f"p99 {percentile(values, 99):.2f} ms (aim: p99 < 5 ms)"
                )
        runs = startup(folder)
        print(
            f"start-up of `infoshare chat --json` to first reply: median "
            f"{statistics.median(runs):.0f} ms, worst {max(runs):.0f} ms (aim: < 1000 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
