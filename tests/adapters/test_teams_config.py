"""Start-up with Teams: half a configuration stops it naming what is missing; no configuration
means no ``/api/messages`` (and the log says why)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError

from adapters import cli
from adapters.http import EngineOpener, create_app
from bot.settings import Settings
from tests.adapters.teams_kit import teams_settings
from tests.adapters.test_http import running
from tests.fakes.bot_connector import APP_ID, PASSWORD, TENANT, FakeBotConnector

ENV = ("INFOSHARE_TEAMS_APP_ID", "INFOSHARE_TEAMS_APP_PASSWORD", "INFOSHARE_TEAMS_TENANT_ID",
       "INFOSHARE_TEAMS_APP_TYPE", "INFOSHARE_TEAMS_EMULATOR")  # fmt: skip


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"teams_app_id": APP_ID}, "INFOSHARE_TEAMS_APP_PASSWORD"),
        ({"teams_app_password": PASSWORD}, "INFOSHARE_TEAMS_APP_ID"),
        ({"teams_app_id": APP_ID, "teams_app_password": PASSWORD}, "INFOSHARE_TEAMS_TENANT_ID"),
        ({"teams_tenant_id": TENANT}, "INFOSHARE_TEAMS_APP_ID"),
        ({"teams_app_id": APP_ID, "teams_app_password": PASSWORD, "teams_tenant_id": TENANT,
          "teams_emulator": True}, "INFOSHARE_TEAMS_EMULATOR"),
        ({"teams_openid_metadata": "http://keys.example.org/"}, "https://"),
    ],
)  # fmt: skip
def test_half_a_teams_configuration_is_refused_naming_what_is_missing(
    given: dict[str, Any], missing: str
) -> None:
    with pytest.raises(ValidationError, match=missing):
        Settings(**{"teams_app_id": None, "teams_app_password": None, "teams_tenant_id": None,
                    "teams_emulator": False, **given})  # fmt: skip


def test_a_multi_tenant_bot_needs_no_tenant_and_gets_tokens_from_botframework() -> None:
    settings = Settings(teams_app_id=APP_ID, teams_app_password=PASSWORD,
                        teams_tenant_id=None, teams_app_type="MultiTenant")  # fmt: skip
    assert settings.teams_enabled
    assert "/botframework.com/oauth2/v2.0/token" in settings.teams_token_endpoint
    single = Settings(teams_app_id=APP_ID, teams_app_password=PASSWORD, teams_tenant_id=TENANT)
    assert f"/{TENANT}/oauth2/v2.0/token" in single.teams_token_endpoint


def test_infoshare_serve_stops_on_half_a_configuration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INFOSHARE_TEAMS_APP_ID", APP_ID)

    assert cli.main(["serve", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "INFOSHARE_TEAMS_APP_PASSWORD" in error and APP_ID not in error


async def test_messages_are_not_served_without_teams_and_the_log_says_why(
    tmp_path: Path,
    fake_connector: FakeBotConnector,
    open_engine: EngineOpener,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    off = teams_settings(tmp_path, fake_connector, teams_app_id=None, teams_app_password=None,
                         teams_tenant_id=None)  # fmt: skip
    async with running(create_app(off, open_engine=open_engine)) as url:
        async with aiohttp.ClientSession() as http, http.post(url + "/api/messages") as r:
            assert r.status == 404
    assert any("Teams is not configured" in r.getMessage() for r in caplog.records)
