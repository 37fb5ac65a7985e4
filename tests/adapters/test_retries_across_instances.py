"""Two server instances sharing one Redis, as behind a load balancer: a delivery Slack retries or
Teams resends, landing on the other instance, is acknowledged there and handled once between
them, and a Teams card answers the same on either. Real servers, real Redis, the platforms'
stand-ins over real HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
import redis.asyncio

from adapters.http import EngineOpener
from bot import messages
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.pseudonym import Pseudonymiser
from bot.settings import Settings
from bot.storage.redis import RedisConversationStore
from bot.storage.sqlite import SqliteDecisionLog
from tests.adapters.conftest import make_settings
from tests.adapters.slack_kit import (
    COURT_ORDER_PATH,
    POLICE,
    Server,
    envelope,
    next_post,
    signed_headers,
    walk,
)
from tests.adapters.teams_kit import (
    TeamsServer,
    activity,
    buttons,
    card_of,
    shown,
    teams_settings,
)
from tests.bot import conftest as stores
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi

# The shared-storage tests' Redis: skipped, saying why, where it can't be reached; this test's
# keys under a prefix of its own, deleted after.
redis_server = stores.redis_server
redis_prefix = stores.redis_prefix
redis_client = stores.redis_client

DM = {"type": "message", "channel_type": "im", "channel": "D0STAFF", "user": "U0STAFF"}


@pytest.fixture
def open_shared(
    knowledge: Knowledge, redis_server: str, redis_prefix: str, redis_client: redis.asyncio.Redis
) -> EngineOpener:
    """Engines as ``running_engine`` opens them with INFOSHARE_REDIS_URL set: conversations,
    and so the deliveries taken, in one Redis; each instance's decision log its own file."""

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        assert settings.database_path is not None
        store = await RedisConversationStore.open(
            redis_server,
            prefix=f"{redis_prefix}conversation:",
            seen_prefix=f"{redis_prefix}seen:",
            shelf_prefix=f"{redis_prefix}shelf:",
        )
        decisions = SqliteDecisionLog(settings.database_path)
        try:
            yield Engine(knowledge, store, decisions, Pseudonymiser(b"test-key-0123456789"))
        finally:
            await decisions.close()
            await store.close()

    return opened


def _folders(tmp_path: Path) -> list[Path]:
    found = [tmp_path / "instance-a", tmp_path / "instance-b"]
    for folder in found:
        folder.mkdir()
    return found


@pytest.fixture
async def slacks(
    tmp_path: Path, fake_slack: FakeSlackApi, open_shared: EngineOpener
) -> AsyncIterator[tuple[Server, Server]]:
    """Two instances, one Slack."""
    async with AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(
                Server.running(make_settings(folder, fake_slack.url), fake_slack, open_shared)
            )
            for folder in _folders(tmp_path)
        ]
        yield a, b


@pytest.fixture
async def teamses(
    tmp_path: Path, fake_connector: FakeBotConnector, open_shared: EngineOpener
) -> AsyncIterator[tuple[TeamsServer, TeamsServer]]:
    """Two instances, one Bot Connector."""
    async with AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(
                TeamsServer.running(
                    teams_settings(folder, fake_connector), fake_connector, open_shared
                )
            )
            for folder in _folders(tmp_path)
        ]
        yield a, b


def _retry_headers(body: str, number: int) -> dict[str, str]:
    """Headers as Slack sends them on its ``number``-th retry of an event it thinks was lost."""
    retry = {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"}
    return {**signed_headers(body), **retry}


async def test_a_slack_retry_landing_on_the_other_instance_is_handled_once(
    slacks: tuple[Server, Server], caplog: pytest.LogCaptureFixture
) -> None:
    a, b = slacks
    caplog.set_level(logging.INFO, logger="adapters.slack.app")
    body = json.dumps(envelope({**DM, "text": POLICE, "ts": "1700000400.000100"}, "Ev0RETRIED"))

    assert (await a.send(body, signed_headers(body))).status == 200
    assert (await b.send(body, _retry_headers(body, 1))).status == 200
    assert (await a.send(body, _retry_headers(body, 2))).status == 200
    await asyncio.gather(a.settle(), b.settle())

    assert len(a.fake.to("chat.postMessage")) == 1  # one Slack: every instance's calls
    duplicates = [r for r in caplog.records if r.msg == messages.SLACK_DUPLICATE]
    assert len(duplicates) == 2


async def test_a_slack_event_reaching_both_instances_at_once_is_handled_once(
    slacks: tuple[Server, Server],
) -> None:
    a, b = slacks
    body = json.dumps(envelope({**DM, "text": POLICE, "ts": "1700000500.000100"}, "Ev0TWICE"))

    answers = await asyncio.gather(
        a.send(body, signed_headers(body)), b.send(body, _retry_headers(body, 1))
    )
    await asyncio.gather(a.settle(), b.settle())

    assert [r.status for r in answers] == [200, 200]
    assert len(a.fake.to("chat.postMessage")) == 1


async def test_the_last_answer_pressed_on_both_instances_records_one_decision(
    slacks: tuple[Server, Server],
) -> None:
    a, b = slacks
    await a.dm(POLICE)
    question = await next_post(a, 1)
    last = await walk(a, question, COURT_ORDER_PATH[:-1])  # the conversation is in Redis

    pressed = await asyncio.gather(
        a.press(last, COURT_ORDER_PATH[-1]), b.press(last, COURT_ORDER_PATH[-1])
    )
    await asyncio.gather(a.settle(), b.settle())

    assert [r.status for r in pressed] == [200, 200]
    assert len(await a.decisions()) + len(await b.decisions()) == 1


async def test_a_teams_activity_resent_to_the_other_instance_is_handled_once(
    teamses: tuple[TeamsServer, TeamsServer], caplog: pytest.LogCaptureFixture
) -> None:
    a, b = teamses
    caplog.set_level(logging.INFO, logger="adapters.teams.bot")
    message = activity("message", a.fake, text=POLICE)

    assert (await a.send(message)).status == 201
    assert (await b.send(message)).status == 201  # same id: acknowledged, not handled
    await asyncio.gather(a.settle(), b.settle())

    assert len(a.fake.sent()) == 1
    assert [r.getMessage() for r in caplog.records if r.msg == messages.TEAMS_DUPLICATE] == [
        messages.TEAMS_DUPLICATE % "message"
    ]


async def test_a_teams_activity_reaching_both_instances_at_once_is_handled_once(
    teamses: tuple[TeamsServer, TeamsServer],
) -> None:
    a, b = teamses
    message = activity("message", a.fake, text=POLICE)

    answers = await asyncio.gather(a.send(message), b.send(message))
    await asyncio.gather(a.settle(), b.settle())

    assert [r.status for r in answers] == [201, 201]
    assert len(a.fake.sent()) == 1


async def test_a_teams_card_pressed_on_the_other_instance_shows_its_question_and_answer(
    teamses: tuple[TeamsServer, TeamsServer],
) -> None:
    a, b = teamses
    assert (await a.send(activity("message", a.fake, text=POLICE))).status == 201
    [question] = await a.fake.wait_for(1)

    answer = await b.press(question, "no")  # the card was sent by a
    await asyncio.gather(a.settle(), b.settle())

    updated = answer.json()["value"]
    assert buttons(updated) == {}
    assert "immediate risk" in shown(updated)  # the question, as a sent it
    assert "✓ **No**" in shown(updated)
    [_, following] = await a.fake.wait_for(2)
    assert {"safeguarding", "court-order"} <= set(buttons(card_of(following)))


async def test_a_teams_card_pressed_on_both_instances_answers_once_and_the_same_on_each(
    teamses: tuple[TeamsServer, TeamsServer],
) -> None:
    a, b = teamses
    assert (await a.send(activity("message", a.fake, text=POLICE))).status == 201
    [question] = await a.fake.wait_for(1)

    first, second = await asyncio.gather(a.press(question, "no"), b.press(question, "no"))
    later = await b.press(question, "yes")  # a colleague, on a card already answered
    await asyncio.gather(a.settle(), b.settle())

    assert first.json() == second.json() == later.json()
    assert "✓ **No**" in shown(first.json()["value"])
    assert len(a.fake.sent()) == 2  # the question, then the next one: nothing twice
