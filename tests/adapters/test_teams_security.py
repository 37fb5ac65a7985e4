"""Requests Bot Connector didn't sign get a 401 and touch nothing; an activity we can't read gets
a 4xx. botbuilder's own validation runs on every token (signature, issuer, audience, expiry,
service URL), against keys served by the local metadata endpoint. Never a 500."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

import aiohttp
import pytest

from tests.adapters.conftest import ServeTeams
from tests.adapters.teams_kit import POLICE, TeamsServer, activity
from tests.fakes.bot_connector import ISSUER, FakeBotConnector, forged_key

MARKER = "Zebedee-Quirk-refused"
Token = Callable[[FakeBotConnector], str | None]
TOKENS: dict[str, Token] = {
    "wrong audience": lambda f: f.issue(audience="11111111-2222-4333-8444-555555555555"),
    "wrong issuer": lambda f: f.issue(issuer="https://sts.example.org/"),
    "expired": lambda f: f.issue(lifetime=-600),  # beyond botbuilder's five minutes' grace
    "bad signature": lambda f: f.issue(key=forged_key()),
    "unknown key": lambda f: f.issue(kid="not-published"),
    "another service url": lambda f: f.issue(service_url="https://smba.example.org/"),
    "not a jwt": lambda f: "not.a.jwt",
    "none": lambda f: None,
}


async def _to_last_question(teams: TeamsServer) -> int:
    """A conversation one answer from a decision; how many activities were sent."""
    for said in (POLICE, "no", "court order"):
        assert (await teams.say(said)).status == 201
    await teams.settle()
    return len(teams.fake.sent())


@pytest.mark.parametrize("name", list(TOKENS))
async def test_a_request_without_a_valid_token_is_refused_and_changes_nothing(
    teams: TeamsServer, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    sent = await _to_last_question(teams)
    caplog.set_level(logging.DEBUG)

    decisive = activity("message", teams.fake, text=f"yes {MARKER}")
    answer = await teams.post(json.dumps(decisive), TOKENS[name](teams.fake))
    await teams.settle()

    assert answer.status == 401
    assert answer.json() == {"error": "unauthorized"}
    assert await teams.decisions() == []
    assert len(teams.fake.sent()) == sent
    assert not [r for r in caplog.records if MARKER in r.getMessage()]


async def test_the_same_request_with_a_valid_token_decides(teams: TeamsServer) -> None:
    sent = await _to_last_question(teams)

    assert (await teams.say("yes")).status == 201
    await teams.settle()

    assert [d.outcome for d in await teams.decisions()] == ["share-minimum"]
    assert len(teams.fake.sent()) == sent + 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("", "application/json", 400),
        ("[1, 2, 3]", "application/json", 400),
        ('{"text": "no type"}', "application/json", 400),
        (POLICE, "text/plain", 415),
    ],
)
async def test_a_body_that_is_not_an_activity_gets_a_4xx(
    teams: TeamsServer, body: str, content_type: str, status: int
) -> None:
    answer = await teams.post(body, teams.fake.issue(), content_type)
    await teams.settle()
    assert answer.status == status
    assert teams.fake.calls == []


@pytest.mark.parametrize(
    "change",
    [
        {"type": "mystery"},
        {"serviceUrl": "ftp://files.example.org/"},
        {"conversation": None},
        {"from": {"name": "no id"}},
        {"text": ["not", "text"]},
        {"entities": "mention"},
        {"timestamp": "last tuesday"},
        {"type": "invoke", "name": "task/fetch", "value": {}},
        {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": "yes"}},
        {"type": "invoke", "name": "adaptiveCard/action",
         "value": {"action": {"type": "Action.Submit", "data": {"choice": "yes"}}}},
    ],
)  # fmt: skip
async def test_an_activity_we_cant_handle_gets_a_4xx_and_touches_nothing(
    teams: TeamsServer, change: dict[str, object]
) -> None:
    sent = await _to_last_question(teams)
    broken = {**activity("message", teams.fake, text="yes"), **change}

    answer = await teams.send(broken)
    await teams.settle()

    assert 400 <= answer.status < 500, answer
    assert await teams.decisions() == []
    assert len(teams.fake.sent()) == sent


async def test_a_slow_key_fetch_stalls_no_one_else(teams: TeamsServer) -> None:
    teams.fake.hold_keys = asyncio.Event()  # Microsoft's key endpoint, not answering yet
    waiting = asyncio.create_task(teams.say(POLICE))
    async with asyncio.timeout(10):  # fail, don't hang, if the keys never get asked for
        while teams.fake.key_fetches == 0:
            await asyncio.sleep(0.005)

    async with aiohttp.ClientSession() as http, http.get(teams.url + "/healthz") as health:
        assert health.status == 200  # the event loop is free while the keys are fetched
    assert not waiting.done()

    teams.fake.hold_keys.set()
    assert (await waiting).status == 201


async def test_unreachable_signing_keys_are_a_503_not_a_500(serve_teams: ServeTeams) -> None:
    async with serve_teams(teams_openid_metadata="http://127.0.0.1:9/keys") as teams:
        answer = await teams.say(POLICE)
        await teams.settle()
    assert answer.status == 503
    assert teams.fake.calls == []


async def test_emulator_mode_serves_anonymous_requests_and_says_so(
    serve_teams: ServeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    anonymous = {"teams_app_id": None, "teams_app_password": None, "teams_tenant_id": None}
    async with serve_teams(teams_emulator=True, **anonymous) as teams:
        emulated = activity("message", teams.fake, text=POLICE, channelId="emulator")
        answer = await teams.send(emulated, token=None)
        [reply] = await teams.fake.wait_for(1)

    assert answer.status == 201
    assert reply.token is None  # no credentials to send either
    [warning] = [r for r in caplog.records if "WITHOUT AUTHENTICATION" in r.getMessage()]
    assert warning.levelno == logging.WARNING


async def test_with_credentials_an_emulator_style_anonymous_request_is_refused(
    teams: TeamsServer,
) -> None:
    emulated = activity("message", teams.fake, text=POLICE, channelId="emulator")
    assert (await teams.send(emulated, token=None)).status == 401
    unsigned = activity("message", teams.fake, text=POLICE)
    token = teams.fake.issue(issuer=ISSUER, lifetime=3600)
    header, payload, _ = token.split(".")
    assert (await teams.post(json.dumps(unsigned), f"{header}.{payload}.")).status == 401
    await teams.settle()
    assert teams.fake.calls == []
