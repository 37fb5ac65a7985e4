"""A local Slack Web API for tests and the bench: answers as Slack does and records every call.

Point the client at it with ``INFOSHARE_SLACK_API_URL`` (``url``). It listens on 127.0.0.1,
port 0, so tests can run side by side. It also plays Socket Mode's
WebSocket (``push`` sends an envelope and returns the app's ack). It can be told to refuse a
method once (``ratelimited``
with a 429 and Retry-After, say) or always (``channel_not_found``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
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
        answer = {"ok": True, **self._data(method, params)}
        self.calls.append(Call(method, params, token, answer))
        return web.json_response(answer)

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
