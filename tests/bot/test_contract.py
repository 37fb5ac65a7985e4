"""The public contract of shared/design/flows.md: ids of questions, choices and outcomes, and
the paths between them. Conversation tests (knowledge/tests) walk every path; this checks the
shape, so a renamed id fails here even if a test was renamed with it."""

from __future__ import annotations

import pytest

from bot.knowledge import Knowledge

YES_NO = ["yes", "no"]
CONTRACT: dict[str, dict[str, list[str]]] = {
    "police": {
        "immediate-risk": YES_NO,
        "police-purpose": ["safeguarding", "investigation", "court-order", "unclear"],
        "identity-verified": YES_NO,
        "written-request": YES_NO,
        "prejudice": ["yes", "no", "unsure"],
        "scope": ["all", "some", "none"],
    },
    "professional": {
        "immediate-risk": YES_NO,
        "identity-verified": YES_NO,
        "professional-purpose": ["safeguarding", "continuing-support", "other"],
        "consent": ["yes", "refused", "not-asked"],
        "scope": ["all", "some", "none"],
    },
    "family": {
        "immediate-risk": YES_NO,
        "requester": ["parental-responsibility", "relative", "representative", "media"],
        "subject-consent": YES_NO,
    },
    "own-records": {"requester-is-subject": ["self", "on-behalf"], "care-experienced": YES_NO},
    "statistics": {
        "identity-verified": YES_NO,
        "data-level": ["aggregate", "individual"],
        "small-numbers": YES_NO,
        "statutory-basis": ["yes", "no", "unsure"],
    },
    "routine": {"agreement-exists": ["yes", "no", "unsure"], "within-agreement": YES_NO},
    "breach": {"breach-type": ["wrong-recipient", "lost-or-stolen", "seen-or-accessed", "other"]},
    "urgent": {},
}
FIRST = {
    "police": "immediate-risk",
    "professional": "immediate-risk",
    "family": "immediate-risk",
    "own-records": "requester-is-subject",
    "statistics": "identity-verified",
    "routine": "agreement-exists",
    "breach": "breach-type",
}


@pytest.mark.parametrize("topic", sorted(CONTRACT))
def test_each_flow_asks_the_contracted_questions_with_their_choices(
    knowledge: Knowledge, topic: str
) -> None:
    flow = knowledge.flows[topic]
    asked = {q.id: [c.id for c in q.choices] for q in flow.questions}
    assert {q: sorted(c) for q, c in asked.items()} == {
        q: sorted(c) for q, c in CONTRACT[topic].items()
    }


@pytest.mark.parametrize("topic", sorted(FIRST))
def test_each_flow_starts_where_the_contract_says(knowledge: Knowledge, topic: str) -> None:
    assert knowledge.flows[topic].start == FIRST[topic]


def test_urgent_goes_straight_to_act_now(knowledge: Knowledge) -> None:
    flow = knowledge.flows["urgent"]
    start = next(r for r in flow.results if r.id == flow.start)
    assert start.outcome == "act-now"


@pytest.mark.parametrize("topic", ["police", "professional", "family"])
def test_immediate_risk_yes_always_ends_in_act_now(knowledge: Knowledge, topic: str) -> None:
    flow = knowledge.flows[topic]
    yes = next(c for c in flow.questions[0].choices if c.id == "yes")
    result = next(r for r in flow.results if r.id == yes.go)
    assert result.outcome == "act-now"
