"""Routing accuracy on the labelled phrasings in tests/routing/heldout.yaml, and across the
examples the router learns from (knowledge/examples.yaml).

The held-out set is split in two by position: the "dev" half (even rows) may be looked at when
improving the topic terms; the "test" half (odd rows) never is, and its accuracy is the figure we
report. The examples are scored by 5-fold cross-validation: the router learns from four fifths
and is scored on the fifth it has not seen (the weighted terms were never tuned on them either).

    python bench/routing.py            # accuracy per half and per topic
    python bench/routing.py --errors   # also list the dev half's misrouted messages
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.knowledge import Knowledge, load_knowledge  # noqa: E402
from bot.pseudonym import Pseudonymiser  # noqa: E402
from bot.routing import Router  # noqa: E402
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog  # noqa: E402

LABELLED = ROOT / "tests" / "routing" / "heldout.yaml"


def load_halves() -> dict[str, list[tuple[str, str]]]:
    rows = [(row["text"], row["topic"]) for row in yaml.safe_load(LABELLED.read_text())]
    return {"dev": rows[0::2], "test": rows[1::2]}


def accuracy(
    engine: Engine, rows: list[tuple[str, str]]
) -> tuple[float, list[tuple[str, str, str]]]:
    wrong = []
    for text, topic in rows:
        got = engine.router.route(text).topic
        if got != topic:
            wrong.append((topic, got, text))
    return 1 - len(wrong) / len(rows), wrong


def cross_validated(knowledge: Knowledge, folds: int = 5) -> float:
    rows = [(topic, said) for topic, examples in knowledge.examples.items() for said in examples]
    vocabulary = [k for s in knowledge.snippets.values() for k in (*s.keywords, s.title)]
    right = 0
    for fold in range(folds):
        learn: dict[str, list[str]] = {topic: [] for topic in knowledge.examples}
        for i, (topic, said) in enumerate(rows):
            if i % folds != fold:
                learn[topic].append(said)
        router = Router(knowledge.topics.values(), knowledge.phrases.greetings, vocabulary, learn)
        right += sum(
            router.route(said).topic == topic
            for i, (topic, said) in enumerate(rows)
            if i % folds == fold
        )
    return right / len(rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list the dev half's errors")
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "knowledge")
    engine = Engine(
        knowledge, MemoryConversationStore(), MemoryDecisionLog(), Pseudonymiser(b"b" * 32)
    )
    for half, rows in load_halves().items():
        score, wrong = accuracy(engine, rows)
        print(f"{half}: {score:.1%} of {len(rows)} phrasings routed to the labelled topic")
        totals = Counter(topic for _, topic in rows)
        misses = Counter(topic for topic, _, _ in wrong)
        per_topic = ", ".join(f"{t} {1 - misses[t] / n:.0%}" for t, n in sorted(totals.items()))
        print(f"  by topic: {per_topic}")
        if args.errors and half == "dev":
            for topic, got, text in wrong:
                print(f"  expected {topic:<12} got {got:<12} {text}")
    examples = sum(len(e) for e in knowledge.examples.values())
    print(
        f"examples, 5-fold cross-validated: {cross_validated(knowledge):.1%} of {examples} "
        "routed to their topic by a router that had not learned them"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
