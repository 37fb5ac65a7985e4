"""A local Slack Web API for tests and the bench: answers as Slack does and records every call.

Point the client at it with ``INFOSHARE_SLACK_API_URL`` (``url``). It listens on 127.0.0.1,
port 0, so tests can run side by side. It also plays Socket Mode's
WebSocket (``push`` sends an envelope and returns the app's ack). It can be told to refuse a
method once (``ratelimited``
with a 429 and Retry-After, say) or always (``channel_not_found``).

Channels, once any is added (``add_channel``), behave as Slack's do: ``conversations.list`` and
``users.conversations`` page through them, and posting to one that doesn't exist, that the bot
isn't in, or that is archived is refused as Slack refuses it. User groups (``usergroups``)
answer ``usergroups.users.list``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0TEST"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    answer: dict[str, Any]  # what the fake answered (a posted message's ts, say)
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True  # the bot is in it
    archived: bool = False
    private: bool = False


@dataclass
class Refusal:
    error: str
    status: int = 200
    retry_after: int | None = None
    times: int | None = 1  # None: every time


@dataclass
class FakeSlackApi:
    calls: list[Call] = field(default_factory=list)
    refusals: dict[str, Refusal] = field(default_factory=dict)
    url: str = ""
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    channels: dict[str, Channel] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    page_size: int = 2  # channels per page of conversations.list, so paging is exercised
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._answer)  # a few methods are GETs
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/api/"
        return self.url

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def refuse(
        self,
        method: str,
        error: str,
        status: int = 200,
        retry_after: int | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer ``method`` with ``error`` the next ``times`` calls (None: always)."""
        self.refusals[method] = Refusal(error, status, retry_after, times)

    def add_channel(
        self, id: str, name: str, member: bool = True, archived: bool = False
    ) -> Channel:
        self.channels[id] = Channel(id, name, member, archived, private=id.startswith("G"))
        return self.channels[id]

    def to(self, method: str) -> list[Call]:
        """The calls made to ``method``, in order."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to ``method`` once there are at least ``count`` of them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.to(method)) < count:
            if loop.time() > deadline:
                raise AssertionError(f"{method}: {len(self.to(method))} calls, wanted {count}")
            await asyncio.sleep(0.005)
        return self.to(method)

    async def push(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send a Socket Mode envelope to the connected app; its acknowledgement."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._sockets:
            if loop.time() > deadline:
                raise AssertionError("no app connected over Socket Mode")
            await asyncio.sleep(0.005)
        await self._sockets[-1].send_json(envelope)
        while True:
            for ack in self.socket_acks:
                if ack.get("envelope_id") == envelope["envelope_id"]:
                    return ack
            if loop.time() > deadline:
                raise AssertionError(f"envelope {envelope['envelope_id']} was not acknowledged")
            await asyncio.sleep(0.005)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record what the app sends back (its acks)."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return socket

    async def _answer(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        refusal = self.refusals.get(method)
        if refusal is not None and refusal.times != 0:
            if refusal.times is not None:
                refusal.times -= 1
            headers = {}
            if refusal.retry_after is not None:
                headers["Retry-After"] = str(refusal.retry_after)
            body = {"ok": False, "error": refusal.error}
            self.calls.append(Call(method, params, token, body))
            return web.json_response(body, status=refusal.status, headers=headers)
        error = self._refused_post(params) if method == "chat.postMessage" else None
        if error is None and method == "usergroups.users.list":
            error = None if params.get("usergroup") in self.usergroups else "no_such_subteam"
        if error is not None:
            body = {"ok": False, "error": error}
            self.calls.append(Call(method, params, token, body))
            return web.json_response(body)
        answer = {"ok": True, **self._data(method, params)}
        self.calls.append(Call(method, params, token, answer))
        return web.json_response(answer)

    def _refused_post(self, params: dict[str, Any]) -> str | None:
        """What Slack says to a post in a channel that is gone or closed to the bot."""
        channel = str(params.get("channel", ""))
        if not self.channels or channel.startswith(("D", "U", "W")):
            return None  # no channels set up: anything goes, as before; DMs always open
        found = self.channels.get(channel)
        if found is None:
            return "channel_not_found"
        if found.archived:
            return "is_archived"
        return None if found.member else "not_in_channel"

    def _page(self, channels: list[Channel], params: dict[str, Any]) -> dict[str, Any]:
        """One page of ``channels``, with the cursor to the next as Slack gives it."""
        start = int(params.get("cursor") or 0)
        limit = min(int(params.get("limit") or self.page_size), self.page_size)
        page = channels[start : start + limit]
        more = start + limit < len(channels)
        listed = [{"id": c.id, "name": c.name, "is_channel": not c.private,
                   "is_private": c.private, "is_archived": c.archived, "is_member": c.member}
                  for c in page]  # fmt: skip
        return {
            "channels": listed,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _listed(self, params: dict[str, Any], members_only: bool) -> list[Channel]:
        types = str(params.get("types") or "public_channel").split(",")
        found = [
            c
            for c in self.channels.values()
            if ("private_channel" if c.private else "public_channel") in types
            if not (members_only and not c.member)
            if not (c.archived and str(params.get("exclude_archived")).lower() in ("true", "1"))
        ]
        return found

    def _data(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if method == "auth.test":
            return {"url": "https://test.slack.com/", "team": "Test", "user": "infoshare",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}  # fmt: skip
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {"ts": ts, "text": params.get("text"), "blocks": params.get("blocks", [])}
            return {"channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            return {"channel": channel, "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"message_ts": self._next_ts()}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts", "")).replace(".", "")
            return {
                "channel": channel,
                "permalink": f"https://test.slack.com/archives/{channel}/p{ts}",
            }
        if method == "conversations.open":
            return {"channel": {"id": f"D{params.get('users')}"}}
        if method == "apps.connections.open":
            return {"url": self.url.replace("http://", "ws://").removesuffix("/api/") + "/socket"}
        if method == "conversations.list":
            return self._page(self._listed(params, members_only=False), params)
        if method == "users.conversations":
            return self._page(self._listed(params, members_only=True), params)
        if method == "usergroups.users.list":
            return {"users": self.usergroups[str(params["usergroup"])]}
        if method == "views.publish":
            return {"view": {"id": "V0HOME", **(params.get("view") or {})}}
        return {}

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"


async def _params(request: web.Request) -> dict[str, Any]:
    """Arguments as Slack reads them: JSON, or a form whose JSON-valued fields are decoded."""
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {**request.query, **{k: v for k, v in form.items()}}
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params
