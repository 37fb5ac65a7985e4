"""Typed answers and commands, without the engine."""

from __future__ import annotations

import pytest

from bot.answers import answer, command
from bot.knowledge import Knowledge
from bot.models import Choice

YES_NO = [Choice(id="yes", label="Yes"), Choice(id="no", label="No")]
SCOPE = [
    Choice(id="all", label="Yes, all of it"),
    Choice(id="some", label="Only some of it"),
    Choice(id="none", label="None of it"),
]
RISK = [*YES_NO, Choice(id="unsure", label="Not sure")]


@pytest.mark.parametrize(
    ("typed", "choices", "meant"),
    [
        ("yes", YES_NO, "yes"),
        ("YES!!", YES_NO, "yes"),
        ("yeah they have", YES_NO, "yes"),
        ("nope", YES_NO, "no"),
        ("no, not yet", YES_NO, "no"),
        ("2", YES_NO, "no"),
        ("not sure", RISK, "unsure"),
        ("no idea", RISK, "unsure"),
        ("dunno", RISK, "unsure"),
        ("some of it", SCOPE, "some"),
        ("all of it", SCOPE, "all"),
        ("nothing", SCOPE, "none"),
        ("only some of it", SCOPE, "some"),
        ("3", SCOPE, "none"),
        ("sure", YES_NO, "yes"),
        ("4", YES_NO, None),
        ("banana", YES_NO, None),
        ("not sure", YES_NO, None),  # not an option here: don't guess yes or no
    ],
)
def test_typed_answers(knowledge: Knowledge, typed: str, choices: list[Choice], meant: str) -> None:
    assert answer(typed, choices, knowledge.phrases, {}) == meant


def test_a_long_message_is_not_an_answer(knowledge: Knowledge) -> None:
    typed = "yes but actually the police are now asking about a different child and her brother"
    assert answer(typed, YES_NO, knowledge.phrases, {}) is None


def test_choice_specific_words_count(knowledge: Knowledge) -> None:
    choices = [Choice(id="relative", label="A relative"), Choice(id="media", label="The media")]
    says = {"relative": ["grandma", "aunt"], "media": ["journalist"]}
    assert answer("her grandma", choices, knowledge.phrases, says) is None
    assert answer("grandma", choices, knowledge.phrases, says) == "relative"
    assert answer("journalist", choices, knowledge.phrases, says) == "media"
    assert answer("a journalist", choices, knowledge.phrases, says) == "media"  # articles skipped


def test_a_court_order_typed_with_its_article_is_the_court_order_choice(
    knowledge: Knowledge,
) -> None:
    purpose = knowledge.flows["police"].questions[1]
    choices = [Choice(id=c.id, label=c.label) for c in purpose.choices]
    says = {c.id: c.says for c in purpose.choices}
    for typed in ("a court order", "the warrant", "court order"):
        assert answer(typed, choices, knowledge.phrases, says) == "court-order", typed


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("start over", "start-over"),
        ("Start again please", "start-over"),
        ("back", "back"),
        ("go back", "back"),
        ("cancel", "cancel"),
        ("never mind", "cancel"),
        ("help", "help"),
        ("what can you do?", "help"),
        ("why?", "why"),
        ("Why does that matter", "why"),
        ("talk to the IG team", "talk-to-ig"),
        ("can I speak to someone please", "talk-to-ig"),
        ("I want to talk to IG", "talk-to-ig"),
        ("why is the police asking", None),
        ("the IG team said to ask about ISAs", None),
    ],
)
def test_commands(knowledge: Knowledge, typed: str, name: str | None) -> None:
    assert command(typed, knowledge.phrases) == name
