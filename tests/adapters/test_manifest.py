"""``infoshare manifest slack``: the app manifest with this deployment's address."""

from __future__ import annotations

import pytest
import yaml

from adapters import cli


def test_the_manifest_points_every_slack_url_at_this_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["manifest", "slack", "--url", "https://infoshare.council.example/"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)

    events = "https://infoshare.council.example/slack/events"
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/infoshare" and command["url"] == events
    assert manifest["settings"]["event_subscriptions"]["request_url"] == events
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": events}
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "message.im", "app_mention", "app_home_opened"
    }  # fmt: skip
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "im:history", "app_mentions:read", "commands"} <= scopes
    assert {"channels:read", "groups:read", "usergroups:read"} <= scopes  # reminders
    assert "channels:history" not in scopes and "users:read" not in scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_socket_mode_needs_no_public_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["manifest", "slack", "--socket-mode"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "url" not in str(manifest["settings"]) and "url" not in str(manifest["features"])


def test_a_plain_http_address_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["manifest", "slack", "--url", "http://infoshare.council.example"]) == 2
    assert "https://" in capsys.readouterr().err
