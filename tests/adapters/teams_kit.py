"""Playing Teams against the real server: activities built as Bot Connector sends them, with
tokens it signs, over real HTTP to ``/api/messages``."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from adapters.http import BACKGROUND, ENGINE, EngineOpener, create_app
from bot.models import DecisionRecord
from bot.settings import Settings
from tests.adapters.conftest import make_settings
from tests.fakes.bot_connector import APP_ID, PASSWORD, TENANT, Call, FakeBotConnector

BOT = f"28:{APP_ID}"
BOT_NAME = "InfoShare"
USER = "29:1staff-account-0123456789"
AAD = "c0ffee00-1111-4222-8333-944455556666"
PERSONAL = "a:1personal-chat-with-staff-0123456789"
CHANNEL = "19:children-services@thread.tacv2"
POLICE = "the police want everything we hold on a 15 year old"
# police: not at immediate risk, a court order, officer verified -> share the minimum
COURT_ORDER_PATH = ["no", "court-order", "yes"]
ISSUE = "issue"  # post(token=ISSUE): a good token from the fake Bot Connector
_ids = itertools.count(1)


def teams_settings(tmp_path: Path, fake: FakeBotConnector, **overrides: Any) -> Settings:
    """Teams on (Slack off), pointed at ``fake``; every setting given."""
    values: dict[str, Any] = {
        "slack_signing_secret": None,
        "slack_bot_token": None,
        "teams_app_id": APP_ID,
        "teams_app_password": PASSWORD,
        "teams_tenant_id": TENANT,
        "teams_openid_metadata": fake.metadata_url,
        "teams_token_url": fake.token_url,
    }
    return make_settings(tmp_path, "http://127.0.0.1:9/api/", **{**values, **overrides})


def activity(
    kind: str,
    fake: FakeBotConnector,
    conversation: str = PERSONAL,
    conversation_type: str = "personal",
    **fields: Any,
) -> dict[str, Any]:
    """An activity as Bot Connector posts it to the bot."""
    return {
        "type": kind,
        "id": f"1700000{next(_ids):06d}",
        "timestamp": "2026-11-24T10:30:00.000Z",
        "serviceUrl": fake.service_url,
        "channelId": "msteams",
        "from": {"id": USER, "name": "Sam Staff", "aadObjectId": AAD},
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": TENANT,
        },  # fmt: skip
        "recipient": {"id": BOT, "name": BOT_NAME},
        "channelData": {"tenant": {"id": TENANT}},
        **fields,
    }


def card_of(call: Call) -> dict[str, Any]:
    """The Adaptive Card a sent activity carries."""
    [attachment] = call.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Action.Execute on ``card``, by verb."""
    return {a["verb"]: a for a in _actions(card.get("body", [])) if a["type"] == "Action.Execute"}


def _actions(elements: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for element in elements:
        if element.get("type") == "ActionSet":
            yield from element["actions"]
        yield from _actions(element.get("items", []))


def shown(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


@dataclass
class Response:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class TeamsServer:
    """The real app (create_app) on 127.0.0.1 port 0, driven as Bot Connector drives it."""

    def __init__(self, app: web.Application, url: str, fake: FakeBotConnector) -> None:
        self.app, self.url, self.fake = app, url, fake
        self.http = aiohttp.ClientSession()

    @classmethod
    @asynccontextmanager
    async def running(
        cls, settings: Settings, fake: FakeBotConnector, open_engine: EngineOpener
    ) -> AsyncIterator[TeamsServer]:
        runner = web.AppRunner(create_app(settings, open_engine=open_engine), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        server = cls(runner.app, f"http://{host}:{port}", fake)
        try:
            yield server
        finally:
            await server.http.close()
            await runner.cleanup()

    async def post(
        self, body: bytes | str, token: str | None = None, content_type: str = "application/json"
    ) -> Response:
        headers = {"Content-Type": content_type}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.http.post(self.url + "/api/messages", data=body, headers=headers) as r:
            return Response(r.status, await r.text())

    async def send(self, sent: dict[str, Any], token: str | None = ISSUE) -> Response:
        """Post ``sent`` with a good token (or the one given, or none)."""
        good = self.fake.issue(service_url=sent.get("serviceUrl"))
        return await self.post(json.dumps(sent), good if token == ISSUE else token)

    async def say(self, text: str, conversation: str = PERSONAL, **fields: Any) -> Response:
        return await self.send(activity("message", self.fake, conversation, text=text, **fields))

    async def press(self, call: Call, verb: str, **fields: Any) -> Response:
        """Press the button ``verb`` on the card ``call`` sent (it must be there)."""
        action = buttons(card_of(call))[verb]
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": action["data"]},
                 "trigger": "manual"}  # fmt: skip
        sent = activity("invoke", self.fake, call.conversation or PERSONAL,
                        name="adaptiveCard/action", value=value, **fields)  # fmt: skip
        return await self.send(sent)

    async def walk(self, first: Call, path: list[str]) -> Call:
        """Press each choice in turn on the latest card; the last card sent."""
        latest = first
        for verb in path:
            count = len(self.fake.sent()) + 1
            assert (await self.press(latest, verb)).status == 200
            latest = (await self.fake.wait_for(count))[count - 1]
        return latest

    async def settle(self) -> None:
        """Wait for the work started after the answers to finish."""
        assert await self.app[BACKGROUND].drain(timeout=10)

    async def decisions(self) -> list[DecisionRecord]:
        return [r async for r in self.app[ENGINE].decisions.export()]
