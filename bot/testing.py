"""Conversation tests as data: ``knowledge/tests/*.yaml``, run against a real Engine.

Each test opens with a message, presses choices or types answers, and names the outcome it
expects. The IG team adds tests alongside their edits; ``infoshare knowledge test`` and the
test suite both run them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.models import Reply, Turn
from bot.pseudonym import Pseudonymiser
from bot.schema import OutcomeId, Strict, Text, TopicId
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog
from bot.yamlfile import KnowledgeError, Problem, read_yaml, validate

Field = Literal["topic", "question", "outcome", "error"]


class Step(Strict):
    say: Text | None = None
    choose: Text | None = None
    expect: dict[Field, str | None] = {}

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        if (self.say is None) == (self.choose is None):
            raise ValueError("each step needs exactly one of 'say' or 'choose'")
        return self


class ConversationTest(Strict):
    name: Text
    say: Text | None = None  # the opening message
    topic: TopicId | None = None  # the topic it should open
    choose: list[Text] = []  # then these choice ids, in order
    steps: list[Step] = []  # then these steps
    outcome: OutcomeId | None = None  # the outcome the conversation must end in


@dataclass(frozen=True)
class Failure:
    test: str
    file: str
    step: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.test} (step {self.step}): {self.message}"


def load_tests(folder: Path) -> list[tuple[str, ConversationTest]]:
    problems: list[Problem] = []
    tests: list[tuple[str, ConversationTest]] = []
    for path in sorted(folder.glob("*.yaml")):
        label = f"tests/{path.name}"
        try:
            doc = read_yaml(path, label)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(doc.data, list):
            problems.append(doc.problem((), "must be a list of conversations"))
            continue
        for i in range(len(doc.data)):
            result = validate(ConversationTest, doc, (i,))
            if isinstance(result, list):
                problems.extend(result)
            else:
                tests.append((label, result))
    if problems:
        raise KnowledgeError(problems)
    return tests


async def run_test(knowledge: Knowledge, label: str, test: ConversationTest) -> Failure | None:
    """Run one conversation on a fresh engine; the first thing that differs is the failure."""
    decisions = MemoryDecisionLog()
    engine = Engine(knowledge, MemoryConversationStore(), decisions, Pseudonymiser(b"t" * 32))
    steps = list(test.steps)
    if test.say is not None:
        steps.insert(0, Step(say=test.say, expect={"topic": test.topic} if test.topic else {}))
    steps[1 if test.say is not None else 0 : 0] = [Step(choose=c) for c in test.choose]
    reply: Reply | None = None
    for number, step in enumerate(steps, 1):
        turn = Turn(channel="test", conversation="c", user="tester", text=step.say,
                    choice=step.choose)  # fmt: skip
        reply = await engine.handle(turn)
        if step.choose is not None and reply.error:
            return Failure(test.name, label, number, f"choice '{step.choose}': {reply.error}")
        for field, wanted in step.expect.items():
            got = getattr(reply, field)
            if got != wanted:
                return Failure(test.name, label, number, f"{field} is {got!r}, expected {wanted!r}")
    if test.outcome is not None:
        got = reply.outcome if reply else None
        if got != test.outcome:
            return Failure(test.name, label, len(steps), f"outcome is {got!r}, expected "
                           f"{test.outcome!r}")  # fmt: skip
        if not decisions.records or decisions.records[-1].outcome != test.outcome:
            return Failure(test.name, label, len(steps), "the decision was not recorded")
    return None
