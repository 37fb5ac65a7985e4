"""Typed answers and commands, without the engine."""

from __future__ import annotations

import pytest

from bot.answers import answer, command, read
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
    assert answer("her grandma", choices, knowledge.phrases, says) == "relative"
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


Question = tuple[list[Choice], dict[str, list[str]]]


def offered(knowledge: Knowledge, topic: str, question_id: str) -> Question:
    """A real question's choices and their typed words, as the engine passes them."""
    question = {q.id: q for q in knowledge.flows[topic].questions}[question_id]
    return [Choice(id=c.id, label=c.label) for c in question.choices], {
        c.id: c.says for c in question.choices
    }


# Staff's own words for the real questions. None: ask again (no choice, or more than one fits).
@pytest.mark.parametrize(
    ("topic", "question", "typed", "meant"),
    [
        # police: what for?
        ("police", "police-purpose", "criminal investigation", "investigation"),
        ("police", "police-purpose", "its for a criminal investigation", "investigation"),
        ("police", "police-purpose", "They are investigating a crime.", "investigation"),
        ("police", "police-purpose", "it's for a burglary investigation", "investigation"),
        ("police", "police-purpose", "they've arrested him for an offence", "investigation"),
        ("police", "police-purpose", "there's a warrant", "court-order"),
        ("police", "police-purpose", "the judge made an order", "court-order"),
        ("police", "police-purpose", "they're worried about her welfare", "safeguarding"),
        ("police", "police-purpose", "honestly they didn't say", "unclear"),
        ("police", "police-purpose", "a criminal investigation, or maybe safeguarding", None),
        ("police", "police-purpose", "the court wants it for the investigation", None),
        ("police", "police-purpose", "it's not a criminal investigation", None),
        ("police", "police-purpose", "the officer is being quite pushy", None),
        # police: is all of it needed?
        ("police", "scope", "they need the whole file", "all"),
        ("police", "scope", "honestly just some of it", "some"),
        ("police", "scope", "some of it, not all", "some"),
        ("police", "scope", "only a bit of it really", "some"),
        # yes or no
        ("police", "immediate-risk", "I don't think so", "no"),
        ("police", "immediate-risk", "there's no risk", "no"),
        ("police", "immediate-risk", "definitely not", None),
        ("police", "immediate-risk", "they are not sure", None),
        ("police", "identity-verified", "yes, I rang the switchboard", "yes"),
        ("police", "identity-verified", "we haven't yet", "no"),
        # professional
        ("professional", "professional-purpose", "it's for a section 47", "safeguarding"),
        ("professional", "professional-purpose", "to carry on the support", "continuing-support"),
        ("professional", "professional-purpose", "some other reason", "other"),
        ("professional", "consent", "mum has agreed to it", "yes"),
        ("professional", "consent", "she said no", "refused"),
        ("professional", "consent", "we haven't asked them yet", "not-asked"),
        ("professional", "consent", "they haven't agreed", None),
        # family
        ("family", "requester", "it's her grandmother", "relative"),
        ("family", "requester", "a reporter from the local paper", "media"),
        ("family", "requester", "her local councillor", "representative"),
        ("family", "requester", "her dad, he has PR", "parental-responsibility"),
        ("family", "requester", "her aunt, no PR", "relative"),
        ("family", "requester", "the mum's solicitor", None),
        # own records
        ("own-records", "requester-is-subject", "it's the young person", "self"),
        ("own-records", "requester-is-subject", "her solicitor is asking", "on-behalf"),
        ("own-records", "requester-is-subject", "a care leaver's solicitor", None),
        ("own-records", "care-experienced", "he's not in care", "no"),
        ("own-records", "care-experienced", "never been looked after", "no"),
        ("own-records", "care-experienced", "she was in care as a teenager", "yes"),
        # statistics, routine, breach
        ("statistics", "data-level", "just the totals", "aggregate"),
        ("statistics", "data-level", "they want names", "individual"),
        ("routine", "agreement-exists", "I'm not sure", "unsure"),
        ("breach", "breach-type", "I emailed it to the wrong person", "wrong-recipient"),
        ("breach", "breach-type", "my laptop was stolen from the car", "lost-or-stolen"),
        ("breach", "breach-type", "someone overheard a phone call", None),  # seen? phone lost?
        ("breach", "breach-type", "a colleague overheard the call", "seen-or-accessed"),
    ],
)
def test_staff_own_words_for_real_questions(
    knowledge: Knowledge, topic: str, question: str, typed: str, meant: str | None
) -> None:
    choices, says = offered(knowledge, topic, question)
    assert answer(typed, choices, knowledge.phrases, says) == meant


def test_two_choices_fitting_is_told_apart_from_none(knowledge: Knowledge) -> None:
    choices, says = offered(knowledge, "police", "police-purpose")
    both = read("investigating a crime to safeguard a child", choices, knowledge.phrases, says)
    assert both.choice is None and both.ambiguous
    neither = read("the officer is pushy", choices, knowledge.phrases, says)
    assert neither.choice is None and not neither.ambiguous
    assert read("crime", choices, knowledge.phrases, says).loose is False  # a known phrase
    assert read("they suspect a crime", choices, knowledge.phrases, says).loose is True


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
