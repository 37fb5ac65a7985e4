"""The real server on 127.0.0.1 port 0, a fake Slack Web API beside it, and a Slack that signs
what it sends exactly as Slack does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

from adapters.http import EngineOpener
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.pseudonym import Pseudonymiser
from bot.settings import Settings
from bot.storage.memory import MemoryConversationStore
from bot.storage.sqlite import SqliteDecisionLog
from tests.adapters.slack_kit import SECRET, TOKEN, Server
from tests.conftest import KNOWLEDGE
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi

if TYPE_CHECKING:  # teams_kit imports make_settings from here
    from tests.adapters.teams_kit import TeamsServer

Serve = Callable[..., AbstractAsyncContextManager[Server]]
ServeTeams = Callable[..., AbstractAsyncContextManager["TeamsServer"]]


def make_settings(tmp_path: Path, api_url: str, **overrides: Any) -> Settings:
    """Every setting given, so nothing comes from the developer's environment."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'decisions.db'}",
        "pseudonym_key": "test-pseudonym-key-0123",
        "knowledge_dir": KNOWLEDGE,
        "log_level": "WARNING",
        "slack_signing_secret": SECRET,
        "slack_bot_token": TOKEN,
        "slack_app_token": None,
        "slack_ig_channel": None,
        "slack_api_url": api_url,
        "teams_app_id": None,
        "teams_app_password": None,
        "teams_tenant_id": None,
        "teams_ig_conversation": None,
        "teams_emulator": False,
        # Off unless a test asks for it: by default it falls due on the first Monday of each
        # month at 9:00, and a server started then would post it into the IG channel.
        "reminder_digest_schedule": "off",
        "reminder_check_links": False,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def open_engine(knowledge: Knowledge) -> EngineOpener:
    """The engine on the already-loaded knowledge and a real SQLite decision log, closed on
    shutdown as ``running_engine`` does; saves loading the knowledge for every server."""

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        assert settings.database_path is not None, "adapter tests run on SQLite"
        decisions = SqliteDecisionLog(settings.database_path)
        try:
            yield Engine(
                knowledge,
                MemoryConversationStore(),
                decisions,
                Pseudonymiser(b"test-key-0123456789"),
            )
        finally:
            await decisions.close()

    return opened


@pytest.fixture
def serve(tmp_path: Path, fake_slack: FakeSlackApi, open_engine: EngineOpener) -> Serve:
    """``async with serve(slack_ig_channel="C0IG") as server:`` a server with those settings."""

    @asynccontextmanager
    async def running(**overrides: Any) -> AsyncIterator[Server]:
        settings = make_settings(tmp_path, fake_slack.url, **overrides)
        async with Server.running(settings, fake_slack, open_engine) as server:
            yield server

    return running


@pytest.fixture
async def server(serve: Serve) -> AsyncIterator[Server]:
    async with serve() as running:
        yield running


@pytest.fixture
async def fake_connector() -> AsyncIterator[FakeBotConnector]:
    # botbuilder keeps signing keys per metadata URL for a day, across tests; when the OS gives
    # a fake a port an earlier one had, its keys would come from that cache and never be fetched
    JwtTokenExtractor.metadataCache.clear()
    fake = FakeBotConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def serve_teams(
    tmp_path: Path, fake_connector: FakeBotConnector, open_engine: EngineOpener
) -> ServeTeams:
    """``async with serve_teams(teams_ig_conversation=...) as server:`` Teams with those
    settings, pointed at the fake Bot Connector."""
    from tests.adapters.teams_kit import TeamsServer, teams_settings

    @asynccontextmanager
    async def running(**overrides: Any) -> AsyncIterator[TeamsServer]:
        settings = teams_settings(tmp_path, fake_connector, **overrides)
        async with TeamsServer.running(settings, fake_connector, open_engine) as server:
            yield server

    return running


@pytest.fixture
async def teams(serve_teams: ServeTeams) -> AsyncIterator[TeamsServer]:
    async with serve_teams() as running:
        yield running
