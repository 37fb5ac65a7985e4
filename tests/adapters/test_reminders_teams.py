"""Policy reminders in Teams, end to end: the real server sending through the fake Bot Connector
to the conversations the app was installed in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.http import ENGINE
from adapters.reminders_runner import REMINDERS
from adapters.teams.reminders import ASK
from bot.reminders.service import parse_targets
from tests.adapters.conftest import ServeTeams
from tests.adapters.teams_kit import (
    AAD,
    CHANNEL,
    PERSONAL,
    TeamsServer,
    activity,
    card_of,
    shown,
)

SNIPPET = "caldicott-3"
TITLE = "Caldicott principle 3: use the minimum necessary"
GROUP = "19:group-chat-with-staff@thread.v2"
IG = "19:ig-team-advice@thread.tacv2"
OTHER_AAD = "0badc0de-2222-4333-8444-955566667777"


async def install(teams: TeamsServer, *where: tuple[str, str]) -> None:
    """Install the app in each (conversation, scope), and forget the hellos it says."""
    for conversation, scope in where:
        added = activity("installationUpdate", teams.fake, conversation, scope, action="add")
        assert (await teams.send(added)).status == 201
    await teams.settle()
    teams.fake.calls.clear()


@pytest.fixture
async def installed(teams: TeamsServer) -> TeamsServer:
    await install(teams, (PERSONAL, "personal"), (CHANNEL, "channel"), (GROUP, "groupChat"))
    return teams


def ask_action(card: dict[str, Any]) -> dict[str, Any]:
    [row] = [b for b in card["body"] if b["type"] == "ActionSet"]
    [action] = row["actions"]
    return dict(action)


async def test_everywhere_reaches_every_installed_conversation_as_a_card(
    installed: TeamsServer,
) -> None:
    results = await installed.app[REMINDERS].service.send_now(
        SNIPPET, parse_targets(["everywhere"])
    )

    assert sorted(r.destination.target for r in results) == sorted(
        f"teams:{c}" for c in (PERSONAL, CHANNEL, GROUP)
    )
    assert {r.status for r in results} == {"sent"}
    sent = installed.fake.sent()
    assert sorted(c.conversation or "" for c in sent) == sorted([PERSONAL, CHANNEL, GROUP])
    card = card_of(sent[0])
    assert card["body"][0]["text"] == TITLE
    assert "Use the minimum necessary confidential information" in shown(card)
    assert "https://" in shown(card)  # the policy page, as a link
    action = ask_action(card)
    assert (action["type"], action["title"]) == ("Action.Submit", "Ask me about this")
    assert sent[0].body["summary"] == TITLE  # what notifications show


@pytest.mark.parametrize("status", [403, 404])
async def test_a_conversation_the_app_left_is_recorded_gone_forgotten_and_the_rest_still_get_it(
    installed: TeamsServer, status: int
) -> None:
    installed.fake.gone[CHANNEL] = status
    service = installed.app[REMINDERS].service

    results = await service.send_now(SNIPPET, parse_targets(["everywhere"]))

    outcome = {r.destination.target: (r.status, r.detail) for r in results}
    assert outcome[f"teams:{CHANNEL}"] == ("gone", f"HTTP {status}")
    assert outcome[f"teams:{PERSONAL}"] == outcome[f"teams:{GROUP}"] == ("sent", None)
    [gone] = [d for d in await service.history(SNIPPET) if d.status == "gone"]
    assert gone.destination == f"teams:teams:{CHANNEL}" and gone.detail == f"HTTP {status}"
    again = await service.send_now(SNIPPET, parse_targets(["everywhere"]))
    assert len(again) == 2  # its reference was forgotten: not tried again


async def test_a_throttled_reminder_is_sent_after_retry_after(installed: TeamsServer) -> None:
    installed.fake.refuse(429, retry_after="1")

    [result] = await installed.app[REMINDERS].service.send_now(
        SNIPPET, parse_targets([f"teams:{PERSONAL}"])
    )

    assert result.status == "sent"
    throttled, delivered = installed.fake.calls
    assert (throttled.status, delivered.status) == (429, 201)
    assert delivered.at - throttled.at >= 1.0


async def test_reminders_to_one_conversation_are_paced(installed: TeamsServer) -> None:
    service = installed.app[REMINDERS].service
    for _ in range(3):
        await service.send_now(SNIPPET, parse_targets([f"teams:{CHANNEL}", f"teams:{GROUP}"]))

    times = [c.at for c in installed.fake.sent(CHANNEL)]
    assert len(times) == 3
    assert all(b - a >= 0.45 for a, b in zip(times, times[1:], strict=False))


async def test_a_conversation_never_installed_is_gone_without_a_call(teams: TeamsServer) -> None:
    [result] = await teams.app[REMINDERS].service.send_now(
        SNIPPET, parse_targets(["teams:a:1never-installed"])
    )
    assert (result.status, result.detail) == ("gone", "not-installed")
    assert teams.fake.calls == []


async def test_the_ig_channel_is_reached_through_its_teams_installation(
    installed: TeamsServer,
) -> None:
    [result] = await installed.app[REMINDERS].service.send_now(
        SNIPPET, parse_targets([f"teams:{IG}"])
    )

    assert result.status == "sent"
    [sent] = installed.fake.sent(IG)
    assert card_of(sent)["body"][0]["text"] == TITLE


async def test_ask_me_about_this_starts_the_subject_in_the_thread_under_the_reminder(
    installed: TeamsServer,
) -> None:
    await installed.app[REMINDERS].service.send_now(SNIPPET, parse_targets([f"teams:{CHANNEL}"]))
    [reminder] = installed.fake.sent(CHANNEL)
    data = ask_action(card_of(reminder))["data"]

    pressed = activity(
        "message", installed.fake, CHANNEL, "channel", value=data, replyToId="1700000000001"
    )
    assert (await installed.send(pressed)).status == 201
    await installed.settle()

    [answer] = installed.fake.sent(f"{CHANNEL};messageid=1700000000001")
    assert "Use the minimum necessary confidential information" in shown(card_of(answer))
    assert isinstance(data, dict) and data[ASK] == SNIPPET
    assert len(installed.fake.sent()) == 2  # the reminder card itself is left as it was


# Managing reminders from chat --------------------------------------------------------------


@pytest.fixture
async def ig(serve_teams: ServeTeams) -> AsyncIterator[TeamsServer]:
    async with serve_teams(ig_teams_users=AAD.upper()) as teams:  # ids compared ignoring case
        await install(teams, (PERSONAL, "personal"), (CHANNEL, "channel"))
        yield teams


async def answer_to(teams: TeamsServer, text: str, **fields: Any) -> dict[str, Any]:
    """The card the bot answers ``text`` with, in the personal chat (the last it sends there:
    a reminder sent everywhere reaches the chat too, before the answer)."""
    assert (await teams.say(text, **fields)).status == 201
    await teams.settle()
    return card_of(teams.fake.sent(PERSONAL)[-1])


async def test_an_ig_member_sends_a_reminder_everywhere_from_teams(ig: TeamsServer) -> None:
    answer = shown(await answer_to(ig, "reminder send caldicott-3 to everywhere"))

    assert "2 of 2 delivered" in answer
    [reminder] = ig.fake.sent(CHANNEL)
    assert card_of(reminder)["body"][0]["text"] == TITLE
    history = shown(await answer_to(ig, "reminder history caldicott-3"))
    assert f"teams:teams:{CHANNEL}: sent" in history


async def test_a_preview_in_teams_carries_the_reminders_own_card(ig: TeamsServer) -> None:
    answer = await answer_to(ig, "reminder preview caldicott-3")

    [preview] = [b for b in answer["body"] if b["type"] == "Container"]
    await ig.app[REMINDERS].service.send_now(SNIPPET, parse_targets([f"teams:{CHANNEL}"]))
    [sent] = ig.fake.sent(CHANNEL)
    assert preview["items"] == card_of(sent)["body"]


async def test_someone_outside_the_ig_team_is_refused_in_teams_and_logged_by_pseudonym(
    ig: TeamsServer, caplog: pytest.LogCaptureFixture
) -> None:
    someone = {"id": "29:someone-else", "name": "Someone", "aadObjectId": OTHER_AAD}
    with caplog.at_level(logging.WARNING):
        answer = shown(await answer_to(ig, "reminder send caldicott-3 to everywhere",
                                       **{"from": someone}))  # fmt: skip

    assert "Sorry" in answer and "Information Governance team" in answer
    assert ig.fake.sent(CHANNEL) == []
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert ig.app[ENGINE].pseudonymise("teams", OTHER_AAD) in logged
    assert OTHER_AAD not in logged and "everywhere" not in logged


async def test_in_teams_nobody_configured_means_nobody_may(teams: TeamsServer) -> None:
    await install(teams, (PERSONAL, "personal"), (CHANNEL, "channel"))
    answer = shown(await answer_to(teams, "reminder send caldicott-3 to everywhere"))
    assert "Sorry" in answer
    assert teams.fake.sent(CHANNEL) == []
