"""The IG team's conversation tests (knowledge/tests) pass, and between them walk every path."""

from __future__ import annotations

import pytest

from bot.flows import FlowMap
from bot.knowledge import Knowledge
from bot.testing import ConversationTest, load_tests, run_test
from tests.conftest import KNOWLEDGE

TESTS = load_tests(KNOWLEDGE / "tests")


@pytest.mark.parametrize(("label", "test"), TESTS, ids=[t.name for _, t in TESTS])
async def test_conversation(knowledge: Knowledge, label: str, test: ConversationTest) -> None:
    failure = await run_test(knowledge, label, test)
    assert failure is None, str(failure)


def test_every_choice_and_every_result_is_walked_by_some_test(knowledge: Knowledge) -> None:
    chosen: set[tuple[str, str, str]] = set()
    reached: set[tuple[str, str]] = set()
    for _, test in TESTS:
        if test.topic in knowledge.flows and not test.steps:
            flow = FlowMap(knowledge.flows[test.topic])
            answers: list[tuple[str, str]] = []
            at = flow.flow.start
            for choice in test.choose:
                chosen.add((test.topic, at, choice))
                answers.append((at, choice))
                at = flow.step(at, choice, answers[:-1])
            reached.add((test.topic, at))
    missing_choices = [
        (topic, q.id, c.id)
        for topic, flow in knowledge.flows.items()
        for q in flow.questions
        for c in q.choices
        if (topic, q.id, c.id) not in chosen
    ]
    missing_results = [
        (topic, r.id)
        for topic, flow in knowledge.flows.items()
        for r in flow.results
        if (topic, r.id) not in reached
    ]
    assert missing_choices == []
    assert missing_results == []
