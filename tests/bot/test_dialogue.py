"""Talking to the engine as staff do: typed answers, commands mid-flow, new questions, bad input."""

from __future__ import annotations

import pytest

from bot.knowledge import Knowledge
from bot.storage.memory import MemoryDecisionLog
from tests.conftest import Chat


async def test_the_issue_example_runs_to_a_recorded_decision(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    reply = await chat.say("the police want everything we hold on a 15 year old")
    assert (reply.topic, reply.question) == ("police", "immediate-risk")
    assert reply.text.startswith("Request from the police.")
    assert [c.id for c in reply.choices] == ["yes", "no"]
    for choice in ["no", "safeguarding", "yes"]:
        reply = await chat.press(choice)
    assert reply.question == "scope"
    reply = await chat.press("some")
    assert reply.outcome == "share-minimum"
    assert reply.decision_id and reply.decision_id.startswith("D-")
    assert f"Decision reference **{reply.decision_id}** recorded." in reply.text
    [record] = decisions.records
    assert record.id == reply.decision_id
    assert record.answers == [
        ("immediate-risk", "no"),
        ("police-purpose", "safeguarding"),
        ("identity-verified", "yes"),
        ("scope", "some"),
    ]


@pytest.mark.parametrize(
    ("typed", "question_after"),
    [
        ("yes", None),
        ("Yep!", None),
        ("y", None),
        ("no", "police-purpose"),
        ("nope", "police-purpose"),
        ("Nah, nothing like that", "police-purpose"),
        ("2", "police-purpose"),
    ],
)
async def test_typed_yes_and_no(chat: Chat, typed: str, question_after: str | None) -> None:
    await chat.say("cops asking about a kid")
    reply = await chat.say(typed)
    assert reply.question == question_after
    if question_after is None:
        assert reply.outcome == "act-now"


async def test_not_sure_and_some_of_it(chat: Chat) -> None:
    await chat.say("police officer wants info on a young person for a crime")
    for typed in ["no", "a criminal investigation", "yes", "yes"]:
        await chat.say(typed)
    reply = await chat.say("not sure")
    assert reply.outcome == "refer-ig"
    await chat.say("back")
    await chat.say("yes")
    reply = await chat.say("some of it")
    assert reply.outcome == "share-minimum"


async def test_no_idea_means_unsure_not_no(chat: Chat) -> None:
    await chat.say("police investigation request")
    for typed in ["no", "investigation", "yes", "yes"]:
        await chat.say(typed)
    assert (await chat.say("no idea")).outcome == "refer-ig"


async def test_back_returns_to_the_previous_question_and_forgets_its_answer(chat: Chat) -> None:
    await chat.say("the police want a copy of the file")
    await chat.press("no")
    reply = await chat.say("go back")
    assert reply.question == "immediate-risk"
    reply = await chat.press("yes")
    assert reply.outcome == "act-now"


async def test_back_with_nothing_to_undo_says_so(chat: Chat) -> None:
    reply = await chat.say("the police want a copy of the file")
    reply = await chat.say("back")
    assert reply.question == "immediate-risk"
    assert "nothing to go back to" in reply.text


async def test_start_over_and_cancel_forget_the_conversation(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    await chat.say("police want info")
    await chat.press("no")
    reply = await chat.say("start over")
    assert reply.question is None and reply.topic is None
    assert "police" in [c.id for c in reply.choices]  # the menu
    await chat.say("police want info")
    reply = await chat.say("cancel")
    assert reply.question is None and reply.topic is None
    assert reply.text.startswith("Cancelled. Nothing was recorded.")
    assert "police" in [c.id for c in reply.choices]  # the menu, so a number picks a topic
    reply = await chat.say("yes")  # nothing is waiting for an answer now
    assert reply.outcome is None
    assert decisions.records == []


async def test_why_explains_the_question_with_its_rule_and_asks_again(chat: Chat) -> None:
    await chat.say("police want info")
    reply = await chat.say("why?")
    assert reply.question == "immediate-risk"
    assert "Golden rule 1" in reply.text or "golden rule 1" in reply.text.lower()
    assert reply.text.rstrip().endswith("missing child at risk)?")  # then the question again
    assert [c.id for c in reply.choices] == ["yes", "no"]


async def test_help_mid_flow_lists_the_commands_and_asks_the_question_again(
    chat: Chat, knowledge: Knowledge
) -> None:
    words = knowledge.messages.help
    await chat.say("police want info")
    first = await chat.say("help")
    assert first.question == "immediate-risk" and [c.id for c in first.choices] == ["yes", "no"]
    for line in (words.why, words.start_over, words.cancel, words.talk_to_ig):
        assert f"- {line}" in first.text
    assert words.back not in first.text  # nothing to go back to yet
    await chat.press("no")
    reply = await chat.say("help")
    assert reply.question == "police-purpose"
    assert f"- {words.back}" in reply.text
    assert reply.text.endswith("What do the police need the information for?")
    # The hint travels once, as ``help``, which every platform shows beside the question.
    assert reply.help and reply.help not in reply.text
    assert (await chat.press("safeguarding")).question == "identity-verified"  # carries on


async def test_help_after_a_decision_keeps_it_so_back_still_works(
    chat: Chat, knowledge: Knowledge, decisions: MemoryDecisionLog
) -> None:
    words = knowledge.messages.help
    await chat.say("police want info")
    decided = await chat.press("yes")
    reply = await chat.say("help")
    assert decided.decision_id and decided.decision_id in reply.text
    for line in (words.why_decision, words.back_decision, words.start_over, words.cancel):
        assert f"- {line}" in reply.text
    assert [a.id for a in reply.actions] == [a.id for a in decided.actions]
    reply = await chat.say("back")
    assert reply.question == "immediate-risk"
    assert f"**{decided.decision_id}** stays recorded" in reply.text
    await chat.press("yes")
    assert decisions.records[-1].revises == decided.decision_id


async def test_help_at_the_menu_shows_the_menu_and_how_to_reach_the_ig_team(
    chat: Chat, knowledge: Knowledge
) -> None:
    for reply in [await chat.say("help"), await chat.press("help")]:
        assert "police" in [c.id for c in reply.choices]
        assert knowledge.messages.help.menu_intro in reply.text
        assert reply.text.endswith(knowledge.messages.menu)


async def test_talk_to_the_ig_team_gives_contacts_and_a_handoff(chat: Chat) -> None:
    await chat.say("police want info")
    await chat.press("no")
    reply = await chat.say("can I talk to the IG team please")
    assert "Information Governance Team" in reply.text
    assert reply.handoff is not None
    assert reply.handoff.topic == "police"
    assert reply.handoff.answers == [("immediate-risk", "no")]
    assert reply.question == "police-purpose"  # the conversation carries on
    # What was just done isn't offered again; the rest still is.
    assert [a.id for a in reply.actions] == ["why", "back", "start-over"]
    reply = await chat.say("why")
    assert [a.id for a in reply.actions] == ["back", "start-over", "talk-to-ig"]


async def test_a_new_question_mid_flow_starts_that_topic(chat: Chat) -> None:
    await chat.say("police want info on a teenager")
    reply = await chat.say("actually I've just emailed a CP plan to the wrong parent")
    assert reply.topic == "breach"
    assert reply.question == "breach-type"


async def test_more_about_the_same_topic_mid_flow_keeps_the_answers_so_far(chat: Chat) -> None:
    await chat.say("police want info on a teenager")
    await chat.press("no")
    reply = await chat.say("the officer on the phone is being quite pushy")
    assert (reply.topic, reply.question) == ("police", "police-purpose")
    assert reply.text.startswith("Sorry, I didn't catch that.")
    reply = await chat.press("safeguarding")
    assert reply.question == "identity-verified"


async def test_gibberish_mid_flow_asks_the_question_again(chat: Chat) -> None:
    await chat.say("police want info on a teenager")
    reply = await chat.say("asdfgh qwerty")
    assert reply.question == "immediate-risk"
    assert reply.text.startswith("Sorry, I didn't catch that.")
    assert reply.error is None


async def test_an_unknown_choice_is_an_error_and_the_question_stays(chat: Chat) -> None:
    await chat.say("police want info on a teenager")
    reply = await chat.press("maybe-later")
    assert reply.error == "unknown-choice"
    assert reply.question == "immediate-risk"
    reply = await chat.press("no")
    assert reply.question == "police-purpose"


async def test_a_choice_from_another_question_is_refused(chat: Chat) -> None:
    await chat.say("police want info on a teenager")
    reply = await chat.press("investigation")  # belongs to the next question
    assert reply.error == "unknown-choice"


async def test_greetings_and_help_get_the_menu(chat: Chat) -> None:
    for said in ["hi", "Hello there!", "help", "what can you do?"]:
        reply = await chat.say(said)
        ids = [c.id for c in reply.choices]
        assert "police" in ids and "unknown" not in ids, said
        assert reply.outcome is None


async def test_a_menu_choice_starts_its_topic(chat: Chat) -> None:
    await chat.say("hello")
    reply = await chat.press("breach")
    assert (reply.topic, reply.question) == ("breach", "breach-type")


async def test_outside_the_job_gets_the_unknown_reply(chat: Chat) -> None:
    reply = await chat.say("how do I book annual leave?")
    assert reply.topic == "unknown"
    assert "Information Governance Team" in reply.text
    assert "police" in [c.id for c in reply.choices]


async def test_urgent_goes_straight_to_a_recorded_act_now(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    reply = await chat.say("a child has just told me she is scared to go home tonight")
    assert reply.topic == "urgent"
    assert reply.outcome == "act-now"
    assert decisions.records[-1].topic == "urgent"


async def test_security_questions_get_the_best_snippet_and_related_ones(chat: Chat) -> None:
    reply = await chat.say("is it ok to send reports from my personal gmail?")
    assert reply.topic == "security"
    assert reply.outcome is None
    assert reply.choices, "related snippets are offered"
    related = reply.choices[0]
    reply = await chat.press(related.id)
    assert related.label in reply.text


async def test_principles_questions_get_the_caldicott_snippet(chat: Chat) -> None:
    reply = await chat.say("what are the caldicott principles?")
    assert reply.topic == "principles"
    assert "Caldicott" in reply.text.split("\n")[0]


async def test_interleaved_conversations_keep_their_own_place(chat: Chat) -> None:
    other = Chat(chat.engine, conversation="c2", user="U999")
    await chat.say("police want info")
    await other.say("a care leaver wants their file")
    reply = await chat.press("no")
    assert reply.question == "police-purpose"
    reply = await other.press("self")
    assert reply.question == "care-experienced"


async def test_back_after_a_decision_lets_you_change_the_last_answer(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    await chat.say("police want info")
    reply = await chat.press("yes")
    assert reply.outcome == "act-now"
    reply = await chat.say("back")
    assert reply.question == "immediate-risk"
    reply = await chat.press("no")
    assert reply.question == "police-purpose"
    assert len(decisions.records) == 1  # the first decision stays on the log


async def test_a_decision_made_after_going_back_is_recorded_as_replacing_the_first(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    await chat.say("police want info")
    first = await chat.press("yes")
    assert first.outcome == "act-now" and first.summary is not None
    assert first.summary.recorded == f"Decision reference **{first.decision_id}** recorded."
    reply = await chat.say("back")
    assert f"**{first.decision_id}** stays recorded" in reply.text
    assert reply.question == "immediate-risk"
    second = await chat.press("yes")
    assert second.decision_id != first.decision_id and second.summary is not None
    assert [r.revises for r in decisions.records] == [None, first.decision_id]
    assert f"It replaces **{first.decision_id}**" in second.summary.recorded
    assert f"Replaces decision: {first.decision_id}" in second.summary.case_note

    await chat.say("back")  # a revision can itself be revised: the chain stays linked
    await chat.press("yes")
    assert decisions.records[-1].revises == second.decision_id


async def test_starting_over_after_going_back_makes_an_unlinked_decision(
    chat: Chat, decisions: MemoryDecisionLog
) -> None:
    await chat.say("police want info")
    await chat.press("yes")
    await chat.say("back")
    await chat.say("start over")
    await chat.say("police want info")
    reply = await chat.press("yes")
    assert reply.summary is not None and "replaces" not in reply.summary.recorded
    assert [r.revises for r in decisions.records] == [None, None]


async def test_from_the_menu_a_policy_snippet_opens_by_its_id(chat: Chat) -> None:
    # How a reminder's "Ask me about this" opens the snippet it came from: its title typed
    # ("Check recipients before you send") would be read as a police request.
    await chat.press("start-over")
    reply = await chat.press("check-recipients")
    assert reply.error is None
    assert reply.text.startswith("**Check recipients before you send**")

    await chat.say("the police want everything we hold on a 15 year old")
    reply = await chat.press("check-recipients")  # mid-flow, only what is on offer
    assert reply.error == "unknown-choice" and reply.question == "immediate-risk"


def test_a_copied_state_shares_nothing_a_turn_could_change() -> None:
    # The engine changes a copy and keeps the original to restore when a decision can't be
    # recorded: every mutable field must be copied, including any added later.
    from bot.models import ConversationState

    state = ConversationState(topic="police", answers=[("q", "a")], offered=["x"], flow="f")
    copy = state.copied()
    assert copy == state
    for name in type(state).model_fields:
        value = getattr(state, name)
        if not isinstance(value, str | int | float | bool | tuple | type(None)):
            assert getattr(copy, name) is not value, name


@pytest.mark.parametrize("command", ["start over", "cancel"])
async def test_after_a_decision_nobody_is_told_nothing_was_recorded(
    chat: Chat, command: str
) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    for choice in ["no", "safeguarding", "yes", "some"]:
        decided = await chat.press(choice)
    assert decided.decision_id
    reply = await chat.say(command)
    assert "Nothing was recorded" not in reply.text
    assert decided.decision_id in reply.text and "stays recorded" in reply.text
    again = await chat.say(command)  # and with no decision in hand, it is said again
    assert "Nothing was recorded" in again.text


# A decision stays named until a new topic closes it -----------------------------------------

DECIDE = ["no", "safeguarding", "yes", "some"]  # police: share the minimum necessary


@pytest.mark.parametrize(
    "between",
    [
        ["help"],
        ["back"],
        ["back", "back"],
        ["back", "help"],
        ["why"],
        ["talk to the IG team"],
        ["thanks"],  # a greeting shows the menu: it is no new topic
        ["how do I book annual leave?"],  # nor is a question outside the job
        ["help", "help"],
    ],
)
@pytest.mark.parametrize("command", ["start over", "cancel"])
async def test_start_over_or_cancel_after_anything_names_the_decision_that_stays(
    chat: Chat, between: list[str], command: str
) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    for choice in DECIDE:
        decided = await chat.press(choice)
    assert decided.decision_id
    for said in between:
        await chat.say(said)
    reply = await chat.say(command)
    assert "Nothing was recorded" not in reply.text
    assert f"**{decided.decision_id}** stays recorded" in reply.text
    assert "police" in [c.id for c in reply.choices]


async def test_going_back_then_answering_again_still_names_the_first_decision(
    chat: Chat,
) -> None:
    await chat.say("police want info")
    decided = await chat.press("yes")
    await chat.say("back")
    await chat.press("no")  # a different path: no decision yet
    reply = await chat.say("cancel")
    assert f"**{decided.decision_id}** stays recorded" in reply.text


async def test_a_new_topic_closes_the_decision_before_it(chat: Chat) -> None:
    await chat.say("police want info")
    await chat.press("yes")
    await chat.say("a care leaver wants their file")
    reply = await chat.say("start over")
    assert reply.text.startswith("Starting over. Nothing was recorded.")


async def test_why_after_a_decision_gives_its_reasons_and_keeps_it(
    chat: Chat, knowledge: Knowledge
) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    for choice in DECIDE:
        decided = await chat.press(choice)
    reply = await chat.say("why?")
    assert decided.summary and decided.decision_id
    assert decided.decision_id in reply.text
    assert decided.summary.basis in reply.text
    assert "- Purpose of the request: Safeguarding a child" in reply.text
    assert all(rule.title in reply.text for rule in decided.summary.rules)
    assert knowledge.messages.why_nothing not in reply.text
    assert reply.links and reply.outcome is None  # no second decision
    assert (await chat.say("back")).question == "scope"


async def test_why_after_an_urgent_decision_with_no_questions(chat: Chat) -> None:
    decided = await chat.say("a child has just told me she is scared to go home tonight")
    assert decided.outcome == "act-now" and decided.summary
    reply = await chat.say("why")
    assert decided.summary.basis in reply.text


# Typed answers in staff's own words ----------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "criminal investigation",
        "its for a criminal investigation",
        "they are investigating a crime",
        "it's for a burglary investigation",
        "Investigation.",
        "A criminal investigation",
    ],
)
async def test_natural_answers_to_what_the_police_want_it_for(chat: Chat, typed: str) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    await chat.say("no")
    reply = await chat.say(typed)
    assert reply.question == "identity-verified", reply.text
    await chat.say("yes")
    assert (await chat.say("yes")).question == "prejudice"  # the investigation path


async def test_an_answer_that_fits_two_choices_is_asked_again_saying_so(
    chat: Chat, knowledge: Knowledge
) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    await chat.say("no")
    reply = await chat.say("a criminal investigation or maybe safeguarding")
    assert reply.question == "police-purpose"
    assert reply.text == knowledge.messages.ambiguous.format(
        question="What do the police need the information for?"
    )
    reply = await chat.say("it's not a criminal investigation")  # named only to rule it out
    assert reply.question == "police-purpose"
    assert reply.text.startswith("Sorry, I didn't catch that.")


async def test_a_new_question_naming_an_answers_word_still_starts_its_topic(chat: Chat) -> None:
    await chat.say("another council wants our file on a child who moved to them")
    await chat.say("no")
    reply = await chat.say("yes")
    assert reply.question == "professional-purpose"
    reply = await chat.say("the police also want her school records")
    assert (reply.topic, reply.question) == ("police", "immediate-risk")
    await chat.say("no")
    # "support" is a word of an answer here, but this is plainly a breach.
    reply = await chat.say("I have just emailed the support plan to the wrong family by mistake")
    assert reply.topic == "breach"


async def test_definitely_not_is_never_read_as_yes(chat: Chat) -> None:
    await chat.say("the police want everything we hold on a 15 year old")
    reply = await chat.say("definitely not")
    assert reply.question == "immediate-risk" and reply.outcome is None


@pytest.mark.parametrize(
    ("typed", "question_after"),
    [
        ("mum has agreed to it", "scope"),  # "mum" leans to the family topic: still an answer
        ("we haven't asked them yet", None),  # a decision: ask for agreement first
    ],
)
async def test_a_short_answer_leaning_to_another_topic_is_still_an_answer(
    chat: Chat, typed: str, question_after: str | None
) -> None:
    await chat.say("the health visitor wants to know what support the family had from early help")
    for choice in ["no", "yes", "continuing-support"]:
        await chat.press(choice)
    reply = await chat.say(typed)
    assert (reply.topic, reply.question) == ("professional", question_after)
