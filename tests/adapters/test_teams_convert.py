"""The Teams converters and card renderer, as pure functions on JSON fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams import cards, convert
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.models import Reply
from tests.conftest import Chat

BOT = {"id": "28:bot", "name": "InfoShare"}


def _activity(**fields: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1700000000001",
        "serviceUrl": "https://smba.trafficmanager.net/uk/",
        "channelId": "msteams",
        "from": {"id": "29:staff", "aadObjectId": "aad-staff", "name": "Sam"},
        "conversation": {"id": "a:personal", "conversationType": "personal"},
        "recipient": BOT,
        **fields,
    }


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("<at>InfoShare</at> police want info", [{"mentioned": BOT}], "police want info"),
        ("<at>Info Share Bot</at> hi", [{"mentioned": BOT, "text": "<at>Info Share Bot</at>"}],
         "hi"),
        ("<at>InfoShare</at> ask <at>Jo Bloggs</at>", [], "ask Jo Bloggs"),
        ("<p>can I share &amp; with <b>school</b>?</p>", [], "can I share & with school ?"),
        ("<at>InfoShare</at>", [{"mentioned": BOT}], "help"),
        ("", [], "help"),
    ],
)  # fmt: skip
def test_clean_text_drops_the_bots_mention_and_markup(
    text: str, entities: list[dict[str, Any]], expected: str
) -> None:
    mentions = [{"type": "mention", "text": "<at>InfoShare</at>", **e} for e in entities]
    assert convert.clean_text(_activity(text=text, entities=mentions)) == expected


def test_clean_text_is_clipped_to_what_a_turn_carries() -> None:
    assert len(convert.clean_text(_activity(text="word " * 2000))) == convert.TEXT_LIMIT


def test_a_channel_conversation_is_its_thread() -> None:
    channel = {"id": "19:general@thread.tacv2", "conversationType": "channel"}
    new_post = _activity(conversation=channel, id="111")
    assert convert.place(new_post) == "19:general@thread.tacv2;messageid=111"
    reply = _activity(conversation=channel, id="222", replyToId="111")
    assert convert.place(reply) == "19:general@thread.tacv2;messageid=111"
    threaded = {**channel, "id": "19:general@thread.tacv2;messageid=111"}
    assert convert.place(_activity(conversation=threaded, id="333")) == threaded["id"]
    assert convert.place(_activity()) == "a:personal"


def test_a_conversation_id_too_long_for_a_key_is_digested() -> None:
    long = "a:" + "x" * 300
    key = convert.conversation_key(long)
    assert len(key) <= convert.KEY_LIMIT and key == convert.conversation_key(long)
    assert convert.conversation_key("a:short") == "a:short"


def test_the_user_is_their_entra_id_or_else_their_account_id() -> None:
    assert convert.user_id(_activity()) == "aad-staff"
    assert convert.user_id(_activity(**{"from": {"id": "29:guest"}})) == "29:guest"
    turn = convert.from_message(_activity(text="hello"))
    assert turn is not None and (turn.channel, turn.user) == ("teams", "aad-staff")
    assert convert.from_message(_activity(**{"from": {"id": "28:x", "role": "bot"}})) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"action": {"type": "Action.Execute", "verb": "no",
                     "data": {"card": "c1", "label": "No"}}}, convert.Press("no", "c1", "No")),
        ({"action": {"type": "Action.Execute", "verb": "why"}}, convert.Press("why", None, "why")),
        ({"action": {"type": "Action.Submit", "data": {"choice": "no"}}}, None),
        ({"action": {"type": "Action.Execute", "verb": ""}}, None),
        ({"action": "no"}, None),
        (None, None),
    ],
)  # fmt: skip
def test_a_press_is_an_action_execute_verb(value: Any, expected: convert.Press | None) -> None:
    invoke = _activity(type="invoke", name="adaptiveCard/action", value=value)
    assert convert.from_press(invoke) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "installationUpdate", "action": "add"}, "added"),
        ({"type": "installationUpdate", "action": "add-upgrade"}, "added"),
        ({"type": "installationUpdate", "action": "remove"}, "removed"),
        ({"type": "conversationUpdate", "membersAdded": [BOT]}, "added"),
        ({"type": "conversationUpdate", "membersRemoved": [BOT]}, "removed"),
        ({"type": "conversationUpdate", "membersAdded": [{"id": "29:someone"}]}, None),
        ({"type": "conversationUpdate", "topicName": "renamed"}, None),
    ],
)
def test_installation_changes(fields: dict[str, Any], expected: str | None) -> None:
    assert convert.installation(_activity(**fields)) == expected


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (_activity(), None),
        ([], "not-an-activity"),
        ({**_activity(), "type": 5}, "not-an-activity"),
        ({**_activity(), "type": "mystery"}, "unknown-type"),
        ({**_activity(), "serviceUrl": "javascript:alert(1)"}, "bad-service-url"),
        ({**_activity(), "recipient": {}}, "no-conversation"),
        ({**_activity(), "from": None}, "no-sender"),
        ({**_activity(type="conversationUpdate"), "from": None}, None),
        ({**_activity(), "membersAdded": {"id": "x"}}, "bad-membersAdded"),
    ],
)
def test_activity_problems_are_named(body: Any, problem: str | None) -> None:
    assert convert.activity_problem(body) == problem


def test_only_messages_and_updates_with_an_id_are_deduplicated() -> None:
    assert convert.dedupe_key(_activity()) == "msteams:a:personal:1700000000001"
    assert convert.dedupe_key(_activity(type="invoke")) is None
    assert convert.dedupe_key(_activity(id=None)) is None


async def _replies(engine: Engine) -> list[Reply]:
    chat = Chat(engine)
    said = [await chat.say("hello"), await chat.say("police want info")]
    said += [await chat.press(choice) for choice in ("why", "no", "court-order", "yes")]
    return said


async def test_every_reply_is_a_1_5_card_whose_buttons_carry_the_cores_ids(
    engine: Engine, knowledge: Knowledge
) -> None:
    for reply in await _replies(engine):
        card = cards.reply_card(reply, knowledge.messages, "card-1")
        assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
        assert card["fallbackText"]
        found = [a for b in card["body"] if b["type"] == "ActionSet" for a in b["actions"]]
        assert all(len(b["actions"]) <= cards.ACTIONS_PER_SET
                   for b in card["body"] if b["type"] == "ActionSet")  # fmt: skip
        ids = [c.id for c in [*reply.choices, *reply.actions]]
        assert [a["verb"] for a in found] == ids
        assert all(a["type"] == "Action.Execute" and a["data"]["card"] == "card-1" for a in found)


async def test_the_summary_card_lays_out_the_decision(engine: Engine, knowledge: Knowledge) -> None:
    summary = (await _replies(engine))[-1]
    assert summary.summary is not None and summary.decision_id
    card = cards.reply_card(summary, knowledge.messages, "card-2")
    text = str(card)
    for part in (summary.summary.title, summary.summary.headline, *summary.summary.record):
        assert part in text
    assert knowledge.messages.labels.record in text
    assert all(link.url in text for link in summary.summary.links)
    assert summary.decision_id in cards.fallback(summary)
    assert summary.decision_id in card["fallbackText"]


def test_markdown_becomes_textblocks_with_teams_list_breaks() -> None:
    found = cards.blocks("# Heading\n\nIntro line\n- one\n- two\nafter")
    assert [b["text"] for b in found] == ["**Heading**", "Intro line", "- one\r- two", "after"]


def test_an_answered_card_keeps_its_words_and_loses_its_buttons() -> None:
    reply = Reply(conversation="c", text="Question?", choices=[{"id": "yes", "label": "Yes"}])
    original = cards.reply_card(reply, None, "c1")  # type: ignore[arg-type]
    answered = cards.answered(original, "Yes")
    assert "ActionSet" not in str(answered) and "Question?" in str(answered)
    assert answered["body"][-1]["text"] == "✓ **Yes**"
    assert "✓" not in str(cards.answered(original, None))
    assert "ActionSet" in str(original)  # the original is left as it was
