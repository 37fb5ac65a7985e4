"""The reminder scheduler inside ``infoshare serve``, and the settings that name the IG team."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from adapters.reminders_runner import REMINDERS
from bot.knowledge import Knowledge
from bot.reminders.service import parse_targets
from bot.settings import Settings
from tests.adapters.conftest import make_settings
from tests.adapters.slack_kit import Server
from tests.adapters.test_reminders_slack import Clock, channels, clocked
from tests.fakes.slack_api import FakeSlackApi


def test_the_ig_team_is_read_from_comma_separated_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOSHARE_IG_SLACK_USERS", " U0IGLEAD, W0IGMEMBER ,")
    monkeypatch.setenv("INFOSHARE_IG_SLACK_USERGROUPS", "S0IGTEAM")
    monkeypatch.setenv("INFOSHARE_IG_TEAMS_USERS", "c0ffee00-1111-4222-8333-944455556666")
    settings = Settings()
    assert settings.ig_slack_users == ("U0IGLEAD", "W0IGMEMBER")
    assert settings.ig_slack_usergroups == ("S0IGTEAM",)
    assert settings.ig_teams_users == ("c0ffee00-1111-4222-8333-944455556666",)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("INFOSHARE_IG_SLACK_USERS", "U0IGLEAD,@sam"),
        ("INFOSHARE_IG_SLACK_USERGROUPS", "U0IGLEAD"),  # a user, not a group
        ("INFOSHARE_IG_TEAMS_USERS", "sam@council.gov.uk"),
        ("INFOSHARE_REMINDERS_TICK_SECONDS", "0"),
    ],
)
def test_a_bad_ig_id_or_tick_stops_start_up_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable):
        Settings()


async def test_shutdown_lets_the_slot_being_sent_finish(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    clock = Clock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    settings = make_settings(tmp_path, fake_slack.url, reminders_tick_seconds=1)
    opener = clocked(knowledge, clock)

    async with Server.running(settings, fake_slack, opener) as slack:
        service = slack.app[REMINDERS].service
        await service.schedule("caldicott-3", "0 9 * * *", parse_targets(["C0GENERAL"]), "u_ig")
        fake_slack.refuse("chat.postMessage", "ratelimited", status=429, retry_after=1)
        clock.now = dt.datetime(2026, 11, 23, 9, 0, 5, tzinfo=dt.UTC)
        await fake_slack.wait_for("chat.postMessage")  # throttled: the retry is waiting
    # The server has stopped; the slot it was sending went out before it did.

    throttled, sent = fake_slack.to("chat.postMessage")
    assert (throttled.answer["ok"], sent.answer["ok"]) == (False, True)
    async with Server.running(settings, fake_slack, opener) as slack:
        [delivery] = await slack.app[REMINDERS].service.history("caldicott-3")
        await slack.app[REMINDERS].scheduler.tick()
    assert delivery.status == "sent"
    assert len(fake_slack.to("chat.postMessage")) == 2  # and not again after the restart
