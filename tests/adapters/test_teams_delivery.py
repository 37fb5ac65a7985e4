"""Installs, resends, the IG hand-off, and surviving Bot Connector's refusals, end to end."""

from __future__ import annotations

import json

import pytest

from adapters.teams.routes import TEAMS
from bot.knowledge import Knowledge
from tests.adapters.conftest import ServeTeams
from tests.adapters.teams_kit import (
    BOT,
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

IG = "19:ig-team-advice@thread.tacv2"
SECRET_WORDS = "Zebedee Quirk at 12 Acacia Avenue"


async def _references(teams: TeamsServer, conversation: str) -> dict[str, object] | None:
    store = teams.app[TEAMS].teams.installations.store
    return await store.get(f"teams:{conversation}")


@pytest.mark.parametrize(
    ("conversation", "kind", "intro"),
    [(PERSONAL, "personal", "type **help**"), (CHANNEL, "channel", "@mention me")],
)
async def test_install_says_hello_once_and_keeps_the_reference_until_uninstall(
    teams: TeamsServer, knowledge: Knowledge, conversation: str, kind: str, intro: str
) -> None:
    installed = activity("installationUpdate", teams.fake, conversation, kind, action="add")
    joined = activity("conversationUpdate", teams.fake, conversation, kind,
                      membersAdded=[{"id": BOT}])  # fmt: skip
    assert (await teams.send(installed)).status == 201
    assert (await teams.send(joined)).status == 201  # Teams sends both for one install
    await teams.settle()

    [hello] = teams.fake.sent()
    assert hello.conversation == conversation  # a new post in a team, not a thread reply
    assert knowledge.messages.welcome in shown(card_of(hello)) and intro in shown(card_of(hello))
    reference = await _references(teams, conversation)
    assert reference is not None
    assert reference["serviceUrl"] == teams.fake.service_url
    assert reference["conversation"]["id"] == conversation  # type: ignore[index]
    assert reference["bot"]["id"] == BOT  # type: ignore[index]

    removed = activity("installationUpdate", teams.fake, conversation, kind, action="remove")
    assert (await teams.send(removed)).status == 201
    assert await _references(teams, conversation) is None


async def test_the_bot_leaving_a_chat_forgets_it_and_other_members_are_ignored(
    teams: TeamsServer,
) -> None:
    await teams.send(activity("installationUpdate", teams.fake, action="add"))
    someone = activity("conversationUpdate", teams.fake, membersAdded=[{"id": "29:colleague"}])
    assert (await teams.send(someone)).status == 201
    left = activity("conversationUpdate", teams.fake, membersRemoved=[{"id": BOT}])
    assert (await teams.send(left)).status == 201
    await teams.settle()
    assert len(teams.fake.sent()) == 1  # the hello only
    assert await _references(teams, PERSONAL) is None


async def test_an_activity_teams_resends_is_handled_once(teams: TeamsServer) -> None:
    message = activity("message", teams.fake, text=POLICE)
    assert (await teams.send(message)).status == 201
    assert (await teams.send(message)).status == 201  # same id: acknowledged, not handled
    await teams.settle()
    assert len(teams.fake.sent()) == 1


async def test_a_throttled_reply_is_sent_after_retry_after(teams: TeamsServer) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)
    teams.fake.refuse(429, retry_after="1")

    await teams.walk(question, COURT_ORDER_PATH[:1])

    throttled, delivered = teams.fake.calls[-2:]
    assert (throttled.status, delivered.status) == (429, 201)
    assert delivered.at - throttled.at >= 1.0  # waited as told
    assert throttled.body == delivered.body


@pytest.mark.parametrize(
    ("status", "retry_after", "attempts"),
    [(500, None, 1), (503, None, 1), (429, "0", 4)],  # a 429 is retried, three times at most
)
async def test_a_decision_is_kept_when_its_reply_cant_be_sent(
    teams: TeamsServer, status: int, retry_after: str | None, attempts: int
) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)
    await teams.walk(question, COURT_ORDER_PATH[:-1])
    teams.fake.refuse(status, retry_after, times=10)

    answer = await teams.press(teams.fake.sent()[-1], COURT_ORDER_PATH[-1])
    await teams.settle()

    assert answer.status == 200  # the press itself was answered
    [decision] = await teams.decisions()  # recorded before the reply was attempted
    assert decision.outcome == "share-minimum"
    tried = teams.fake.calls[-attempts - 1 :]
    assert [c.status for c in tried] == [201] + [status] * attempts
    assert len(teams.fake.sent()) == 3  # the questions; the summary never got through


async def test_talk_to_the_ig_team_hands_off_ids_only_and_tells_the_user(
    serve_teams: ServeTeams, knowledge: Knowledge
) -> None:
    async with serve_teams(teams_ig_conversation=IG) as teams:
        await teams.say(f"the police want everything on {SECRET_WORDS}")
        [question] = await teams.fake.wait_for(1)
        await teams.walk(question, ["no", "talk-to-ig"])

    [handoff] = teams.fake.sent(IG)
    card = card_of(handoff)
    assert "IG advice requested" in shown(card)
    assert knowledge.topics["police"].label in shown(card)
    assert "<at>Sam Staff</at>" in shown(card)
    [entity] = card["msteams"]["entities"]
    assert entity["mentioned"] == {"id": "29:1staff-account-0123456789", "name": "Sam Staff"}
    assert "Zebedee" not in json.dumps(handoff.body)  # nothing typed goes to the IG team
    told = teams.fake.sent(PERSONAL)[-1]
    assert "passed this to the IG team" in shown(card_of(told))
    assert {"safeguarding", "court-order"} <= set(buttons(card_of(told)))  # still asked


async def test_without_an_ig_conversation_talk_to_ig_gives_the_contact_only(
    teams: TeamsServer, knowledge: Knowledge
) -> None:
    await teams.say(POLICE)
    [question] = await teams.fake.wait_for(1)
    told = await teams.walk(question, ["talk-to-ig"])
    assert knowledge.organisation.ig_team.name in shown(card_of(told))
    assert "passed this" not in shown(card_of(told))
    assert {c.conversation for c in teams.fake.sent()} == {PERSONAL}
