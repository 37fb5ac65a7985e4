"""The shared server: liveness, readiness, lifecycle, and start-up refusing half a Slack setup."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from pydantic import ValidationError

from adapters import cli
from adapters.http import BACKGROUND, ENGINE, EngineOpener, create_app
from bot.knowledge import load_knowledge
from bot.settings import Settings
from bot.yamlfile import KnowledgeError
from tests.adapters.conftest import make_settings
from tests.adapters.slack_kit import SECRET, TOKEN

SECRET_ENV = "INFOSHARE_SLACK_SIGNING_SECRET"
TOKEN_ENV = "INFOSHARE_SLACK_BOT_TOKEN"


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


def _plain(tmp_path: Path) -> Settings:
    """No Slack at all."""
    return make_settings(tmp_path, "http://127.0.0.1:9/api/", slack_signing_secret=None,
                         slack_bot_token=None)  # fmt: skip


async def test_healthz_and_readyz_answer_on_the_real_knowledge(tmp_path: Path) -> None:
    async with running(create_app(_plain(tmp_path))) as url:  # the real running_engine
        assert await _get(url + "/healthz") == (200, "ok")
        status, body = await _get(url + "/readyz")
    assert status == 200 and '"status": "ready"' in body


async def test_readyz_is_503_with_a_reason_and_no_secrets_when_the_log_is_down(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = make_settings(tmp_path, "http://127.0.0.1:9/api/")
    app = create_app(settings, platforms=[], open_engine=open_engine)
    async with running(app) as url:
        await app[ENGINE].decisions.close()  # the database goes away
        status, body = await _get(url + "/readyz")
        assert await _get(url + "/healthz") == (200, "ok")  # alive, just not ready
    assert status == 503
    assert "decision-log" in body
    for secret in (SECRET, TOKEN, "test-pseudonym-key", str(tmp_path)):
        assert secret not in body


async def test_slack_routes_exist_only_when_slack_is_configured(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    async with running(create_app(_plain(tmp_path), open_engine=open_engine)) as url:
        async with aiohttp.ClientSession() as http, http.post(url + "/slack/events") as r:
            assert r.status == 404


async def test_shutdown_lets_work_in_flight_finish_before_the_engine_closes(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    app = create_app(_plain(tmp_path), platforms=[], open_engine=open_engine)
    seen: list[str] = []

    async def slow_turn() -> None:
        await asyncio.sleep(0.05)
        await app[ENGINE].decisions.ping()  # would fail if the log were already closed
        seen.append("finished")

    async with running(app):
        app[BACKGROUND].spawn(slow_turn(), "test")
    assert seen == ["finished"]


@pytest.mark.parametrize(("given", "missing"), [(TOKEN_ENV, SECRET_ENV), (SECRET_ENV, TOKEN_ENV)])
def test_half_a_slack_configuration_is_refused_naming_what_is_missing(
    given: str, missing: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (SECRET_ENV, TOKEN_ENV, "INFOSHARE_SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(given, TOKEN if given == TOKEN_ENV else SECRET)

    assert cli.main(["serve", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert missing in error
    assert TOKEN not in error and SECRET not in error

    with pytest.raises(ValidationError, match=missing):
        if given == TOKEN_ENV:
            Settings(slack_bot_token=TOKEN, slack_signing_secret=None)
        else:
            Settings(slack_signing_secret=SECRET, slack_bot_token=None)


async def test_the_privacy_notice_and_terms_the_app_stores_link_to_are_served(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    app = create_app(_plain(tmp_path), platforms=[], open_engine=open_engine)
    async with running(app) as url:
        privacy = await _get(url + "/privacy")
        terms = await _get(url + "/terms")
    assert privacy[0] == terms[0] == 200
    assert "<h1>InfoShare Assistant: privacy notice</h1>" in privacy[1]
    assert "London Borough of Merton" in privacy[1] and "{organisation}" not in privacy[1]
    assert "Your words are never stored as you typed them." in privacy[1]
    assert "[NAME]" in privacy[1]  # the query log is explained, placeholders and all
    assert "Information Governance Team" in terms[1] and "<li>" in terms[1]


def test_a_page_with_an_unknown_placeholder_names_its_file_and_line(knowledge_copy: Path) -> None:
    page = knowledge_copy / "pages" / "terms.md"
    page.write_text(page.read_text() + "\nAsk {ig_taem}.\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    line = len(page.read_text().splitlines())
    assert f"pages/terms.md:{line}: unknown placeholder {{ig_taem}}" in str(caught.value)


async def test_the_pages_send_security_headers_and_allow_only_their_own_style(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    import base64
    import hashlib

    app = create_app(_plain(tmp_path), platforms=[], open_engine=open_engine)
    async with running(app) as url, aiohttp.ClientSession() as http:
        for path in ("/privacy", "/terms"):
            async with http.get(url + path) as response:
                page, headers = await response.text(), response.headers
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["X-Frame-Options"] == "DENY"
            policy = headers["Content-Security-Policy"]
            assert "script-src" not in policy and "default-src 'none'" in policy
            style = page.split("<style>", 1)[1].split("</style>", 1)[0]
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy  # the browser would apply it
