"""Staff using the assistant in Teams, end to end: the real server and botbuilder over HTTP, a
fake Bot Connector, a real SQLite decision log."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest

from adapters.http import SETTINGS
from bot.knowledge import Knowledge
from bot.pseudonym import Pseudonymiser
from tests.adapters.conftest import ServeTeams
from tests.adapters.teams_kit import (
    AAD,
    BOT,
    BOT_NAME,
    CHANNEL,
    COURT_ORDER_PATH,
    PERSONAL,
    POLICE,
    TeamsServer,
    activity,
    buttons,
    card_of,
    shown,
)

TEST_KEY = b"test-key-0123456789"  # the open_engine fixture's pseudonym key


async def test_a_personal_chat_ends_in_a_logged_decision_with_its_reference_on_the_card(
    teams: TeamsServer, knowledge: Knowledge
) -> None:
    assert (await teams.say(POLICE)).status == 201
    [question] = await teams.fake.wait_for(1)
    assert question.conversation == PERSONAL
    assert set(buttons(card_of(question))) >= {"yes", "no", "why", "talk-to-ig"}
    assert card_of(question)["version"] == "1.5"
    assert question.body["summary"]  # what notifications show instead of the card

    summary = await teams.walk(question, COURT_ORDER_PATH)

    [decision] = await teams.decisions()
    assert (decision.channel, decision.topic, decision.outcome) == ("teams", "police",
                                                                   "share-minimum")  # fmt: skip
    assert [a for _, a in decision.answers] == COURT_ORDER_PATH
    # the core got the Entra object id (the same person in every chat), and pseudonymised it
    assert decision.user == Pseudonymiser(TEST_KEY)("teams", AAD) != AAD
    path = teams.app[SETTINGS].database_path
    assert path is not None
    with sqlite3.connect(path) as db:  # really on disk
        assert db.execute("select count(*) from decisions").fetchone() == (1,)
    card = card_of(summary)
    facts = [f for b in card["body"] for i in b.get("items", []) for f in i.get("facts", [])]
    assert {"title": "Decision reference", "value": decision.id} in facts
    assert knowledge.outcomes["share-minimum"].title in shown(card)
    assert any(b.get("fontType") == "Monospace" for b in _blocks(card))  # the case note
    assert decision.id in summary.body["summary"]  # and in the plain-text fallback
    assert set(buttons(card)) == {"back", "start-over", "talk-to-ig"}


async def test_a_pressed_card_is_answered_in_place_and_shows_the_answer(
    teams: TeamsServer,
) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)

    answer = await teams.press(question, "no")

    assert answer.status == 200
    invoke = answer.json()
    assert invoke["statusCode"] == 200
    assert invoke["type"] == "application/vnd.microsoft.card.adaptive"
    updated = invoke["value"]
    assert buttons(updated) == {}  # can't be pressed again
    assert "✓ **No**" in shown(updated)
    assert "immediate risk" in shown(updated)  # still shows what was asked
    [_, following] = await teams.fake.wait_for(2)
    assert {"safeguarding", "court-order"} <= set(buttons(card_of(following)))


async def test_a_card_answers_once_however_often_it_is_pressed(teams: TeamsServer) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)

    first, second = await asyncio.gather(teams.press(question, "no"), teams.press(question, "no"))
    later = await teams.press(question, "yes")  # a colleague, on a card already answered
    await teams.settle()

    assert first.json() == second.json() == later.json()
    assert len(teams.fake.sent()) == 2  # the question, then the next one: nothing twice
    assert await teams.decisions() == []  # "yes" would have decided act-now


async def test_a_stale_button_is_cleared_without_claiming_the_answer(teams: TeamsServer) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)
    await teams.say("no")  # typed instead of pressed: the conversation moves on
    await teams.fake.wait_for(2)

    answer = await teams.press(question, "yes")  # the old question's button

    updated = answer.json()["value"]
    assert buttons(updated) == {} and "✓" not in shown(updated)
    await teams.settle()
    assert await teams.decisions() == []


async def test_typed_answers_reach_a_decision(teams: TeamsServer) -> None:
    for said in (POLICE, "no", "court order", "yes"):
        assert (await teams.say(said)).status == 201
    await teams.settle()

    [decision] = await teams.decisions()
    assert decision.outcome == "share-minimum"
    assert decision.id in shown(card_of(teams.fake.sent()[-1]))


async def test_a_channel_mention_is_answered_in_its_thread_without_the_mention(
    teams: TeamsServer,
) -> None:
    mention = {"type": "mention", "text": f"<at>{BOT_NAME}</at>",
               "mentioned": {"id": BOT, "name": BOT_NAME}}  # fmt: skip
    post = activity("message", teams.fake, CHANNEL, "channel",
                    text=f"<at>{BOT_NAME}</at> {POLICE}", entities=[mention])  # fmt: skip
    assert (await teams.send(post)).status == 201
    [question] = await teams.fake.wait_for(1)

    thread = f"{CHANNEL};messageid={post['id']}"
    assert question.conversation == thread  # a reply in the new post's thread
    assert "immediate risk" in shown(card_of(question))  # routed on the words, not the name

    await teams.say("no", thread, entities=[mention])
    [_, following] = await teams.fake.wait_for(2)
    assert following.conversation == thread  # the same conversation carries on
    assert {"safeguarding", "court-order"} <= set(buttons(card_of(following)))


async def test_logs_never_hold_what_staff_typed(
    serve_teams: ServeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with serve_teams() as teams:
        teams.fake.refuse(500, times=10)
        await teams.say("the police want everything about Zebedee Quirk")
        await teams.settle()

    assert not [r for r in caplog.records if "Zebedee" in r.getMessage()]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.")]
    assert "teams send failed: HTTP 500" in ours


def _blocks(card: dict[str, object]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for block in card["body"]:  # type: ignore[attr-defined]
        found += [block, *block.get("items", [])]
    return found
