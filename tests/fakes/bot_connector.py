"""A local Bot Connector for tests and the bench: what Microsoft runs, on 127.0.0.1 port 0.

- The OpenID metadata and key set where Bot Connector publishes its token signing keys, from
  an RSA key made here. ``issue`` signs tokens the way Bot Connector does, so botbuilder's real
  validation runs on them (point ``INFOSHARE_TEAMS_OPENID_METADATA`` at ``metadata_url``).
- The token endpoint the bot gets its own token from (``INFOSHARE_TEAMS_TOKEN_URL``).
- The connector API (``/v3/conversations/...`` under ``service_url``, which activities name as
  their ``serviceUrl``): answers as Bot Connector does and records every call. It can be told
  to refuse the next calls (429 with Retry-After, or a 5xx), to treat a conversation as gone
  (``gone``: 403 once the app was removed from it, 404 once it was deleted), and to hold the
  key set back.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
APP_ID = "6f1c2a9e-0b7d-4e51-9a3c-2d8e4f6a1b07"
PASSWORD = "test-app-password-0123456789"
TENANT = "9a8b7c6d-1234-4321-8765-0f1e2d3c4b5a"
KID = "test-signing-key"
ENDORSEMENTS = ["msteams", "emulator"]


@functools.cache
def signing_key() -> rsa.RSAPrivateKey:
    """The key Bot Connector signs with here (made once per process: it takes a moment)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def forged_key() -> rsa.RSAPrivateKey:
    """A key nobody published."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Call:
    method: str  # HTTP method
    kind: str  # "send", "reply", "update" or "create"
    conversation: str | None
    body: dict[str, Any]
    token: str | None
    status: int  # what the fake answered
    at: float  # time.monotonic() when it arrived


@dataclass
class Refusal:
    status: int
    retry_after: str | None
    times: int


@dataclass
class FakeBotConnector:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    tokens_issued: list[str] = field(default_factory=list)
    key_fetches: int = 0
    hold_keys: asyncio.Event | None = None  # set: the key set is served; unset: it waits
    gone: dict[str, int] = field(default_factory=dict)  # conversation -> 403 or 404, always
    _refusals: list[Refusal] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.url}/{TENANT}/oauth2/v2.0/token"

    @property
    def service_url(self) -> str:
        return f"{self.url}/teams/"

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        base = "/teams/v3/conversations"
        app.router.add_post(base, self._connector)
        app.router.add_post(base + "/{conversation}/activities", self._connector)
        app.router.add_route("*", base + "/{conversation}/activities/{activity}", self._connector)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self.hold_keys is not None:
            self.hold_keys.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def issue(
        self,
        audience: str = APP_ID,
        service_url: str | None = None,
        *,
        issuer: str = ISSUER,
        lifetime: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
        kid: str = KID,
    ) -> str:
        """A Bot Framework token as Bot Connector signs one for a request to the bot."""
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url or self.service_url,
            "nbf": now - 30,
            "iat": now - 30,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, key or signing_key(), algorithm="RS256", headers={"kid": kid})

    def refuse(self, status: int, retry_after: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` connector calls with ``status``."""
        self._refusals.append(Refusal(status, retry_after, times))

    def sent(self, conversation: str | None = None) -> list[Call]:
        """Activities the bot got through to a conversation, in order."""
        return [
            c
            for c in self.calls
            if c.kind in ("send", "reply") and c.status < 300
            if conversation is None or c.conversation == conversation
        ]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Call]:
        """The activities sent once there are at least ``count`` of them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.sent()) < count:
            if loop.time() > deadline:
                raise AssertionError(f"{len(self.sent())} activities sent, wanted {count}")
            await asyncio.sleep(0.005)
        return self.sent()

    async def _metadata(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": f"{self.url}/v1/authorize",
                "jwks_uri": f"{self.url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_fetches += 1
        if self.hold_keys is not None:
            await self.hold_keys.wait()
        public = RSAAlgorithm.to_jwk(signing_key().public_key(), as_dict=True)
        key = {**public, "kid": KID, "use": "sig", "endorsements": ENDORSEMENTS}
        return web.json_response({"keys": [key]})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if (form.get("client_id"), form.get("client_secret")) != (APP_ID, PASSWORD):
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"bot-token-{next(self._ids)}"
        self.tokens_issued.append(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": token}
        )

    async def _connector(self, request: web.Request) -> web.Response:
        conversation = request.match_info.get("conversation")
        activity = request.match_info.get("activity")
        kinds = {"PUT": "update", "DELETE": "delete"}
        kind = kinds.get(request.method) or ("reply" if activity else "send")
        kind = "create" if conversation is None else kind
        body = json.loads(await request.read() or b"{}")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        status, headers, answer = self._answer(kind, conversation, activity, token)
        self.calls.append(Call(request.method, kind, conversation, body, token, status,
                               time.monotonic()))  # fmt: skip
        return web.json_response(answer, status=status, headers=headers)

    def _answer(
        self, kind: str, conversation: str | None, activity: str | None, token: str | None
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        if self.tokens_issued and token not in self.tokens_issued:
            return 401, {}, {"error": {"code": "Unauthorized", "message": "bad token"}}
        status = self.gone.get((conversation or "").split(";", 1)[0])
        if status is not None:  # as Bot Connector answers for a conversation the bot has left
            code = "BotNotInConversationRoster" if status == 403 else "ConversationNotFound"
            return status, {}, {"error": {"code": code, "message": "gone"}}
        while self._refusals and self._refusals[0].times <= 0:
            self._refusals.pop(0)
        if self._refusals:
            refusal = self._refusals[0]
            refusal.times -= 1
            headers = {"Retry-After": refusal.retry_after} if refusal.retry_after else {}
            return refusal.status, headers, {"error": {"code": "Refused", "message": "refused"}}
        new = f"1700000000{next(self._ids):03d}"
        if kind == "create":
            return 201, {}, {"id": f"19:new-{new}@thread.tacv2", "activityId": new}
        if kind == "update":
            return 200, {}, {"id": activity or new}
        return 201 if kind != "delete" else 200, {}, {"id": new}
