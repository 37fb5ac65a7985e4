"""Who may talk to the bot, and how the bot proves who it is when it replies.

Inbound, every activity goes through botbuilder's own validation: ``CloudAdapter`` with
``ConfigurationBotFrameworkAuthentication`` checks the Bot Framework JWT's signature (against
the keys published at the OpenID metadata address), issuer, audience (our app id), expiry and
service URL claim. Production and tests use the same code: naming the endpoints in the
configuration selects botbuilder's parameterised validation, given Microsoft's public-cloud
addresses unless a test points it at its own.

botbuilder fetches those signing keys with a blocking HTTP call (``requests``, no timeout) from
inside the coroutine that validates a request, and again once a day. Run on the event loop,
one slow fetch would stall every conversation; so validation runs in a worker thread, on an
event loop of its own, and gives up after ``AUTH_TIMEOUT``.

Outbound, botbuilder's credentials ask MSAL for a token with a blocking call on every
connector it builds (a new MSAL app each time, so nothing is cached). Instead ``TokenSource``
fetches the bot's token asynchronously (OAuth client credentials), keeps it until shortly
before it expires, and ``TokenCredentials`` hand it to botbuilder's connector client.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import aiohttp
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AppCredentials,
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    PasswordServiceClientCredentialFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)

from bot.settings import Settings

BOT_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE  # https://api.botframework.com
AUTH_TIMEOUT = 10.0  # seconds to validate a request, key fetch included
TOKEN_TIMEOUT = 15.0  # seconds to get the bot's own token
TOKEN_MARGIN = 300.0  # seconds before expiry that a token is renewed
CONNECTORS_KEPT = 32  # connector clients kept, one per service URL


class TokenError(Exception):
    """The bot's token couldn't be had; the message says why (never the secret)."""


class TokenSource:
    """The bot's access token for Bot Connector, fetched with its app id and password."""

    def __init__(
        self, session: aiohttp.ClientSession, url: str, app_id: str, password: str
    ) -> None:
        self._session, self._url = session, url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": app_id,
            "client_secret": password,
            "scope": f"{BOT_SCOPE}/.default",
        }
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def ensure(self) -> None:
        """Have a token valid for a while yet; raises TokenError if none can be had."""
        async with self._lock:  # one fetch however many replies are waiting for it
            if self._token is not None and time.monotonic() < self._expires - TOKEN_MARGIN:
                return
            timeout = aiohttp.ClientTimeout(total=TOKEN_TIMEOUT)
            try:
                async with self._session.post(self._url, data=self._form, timeout=timeout) as r:
                    if r.status != 200:
                        raise TokenError(f"HTTP {r.status}")
                    answer = await r.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                raise TokenError(type(exc).__name__) from None
            token, lifetime = answer.get("access_token"), answer.get("expires_in")
            if not isinstance(token, str) or not isinstance(lifetime, int | str):
                raise TokenError("unexpected answer")
            self._token, self._expires = token, time.monotonic() + float(lifetime)

    def current(self) -> str:
        if self._token is None:
            raise TokenError("no token yet")
        return self._token


class TokenCredentials(AppCredentials):  # type: ignore[misc]
    """botbuilder's credentials interface over a ``TokenSource``: the connector client signs
    each request synchronously, so the token must already be there (``Outbox`` sees to it)."""

    def __init__(self, app_id: str, tokens: TokenSource) -> None:
        super().__init__(app_id=app_id, oauth_scope=BOT_SCOPE)
        self._tokens = tokens

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._tokens.current()


class TokenCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Credentials for our one app id. Called on the event loop and in validation threads
    alike, so it does no I/O and touches nothing bound to a loop."""

    def __init__(self, app_id: str, tokens: TokenSource) -> None:
        self._app_id, self._tokens = app_id, tokens

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self._app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> TokenCredentials:
        if app_id != self._app_id:
            raise PermissionError("credentials asked for another app id")
        return TokenCredentials(app_id, self._tokens)


class OffLoopAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, with inbound validation moved off the event loop.

    It also keeps what botbuilder would otherwise build afresh for every request: a connector
    client per service URL and the user token client (several milliseconds each). The bot has
    one identity, so one of each serves every request and every reply.
    """

    def __init__(self, inner: BotFrameworkAuthentication, timeout: float = AUTH_TIMEOUT) -> None:
        self.inner, self._timeout = inner, timeout
        self._clients: dict[tuple[str, str | None], ConnectorClient] = {}
        self._user_tokens: dict[str | None, UserTokenClient] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        def validate() -> AuthenticateRequestResult:
            return asyncio.run(self.inner.authenticate_request(activity, auth_header))

        # On timeout the thread finishes on its own; the request is answered meanwhile.
        result = await asyncio.wait_for(asyncio.to_thread(validate), self._timeout)
        result.connector_factory = _KeptConnectors(result.connector_factory, self._clients)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise PermissionError("streaming connections are not served")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _KeptConnectors(self.inner.create_connector_factory(claims_identity), self._clients)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = claims_identity.claims.get("aud") or claims_identity.claims.get("appid")
        if app_id not in self._user_tokens:
            client = await self.inner.create_user_token_client(claims_identity)
            self._user_tokens[app_id] = client
        return self._user_tokens[app_id]

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self.inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        raise PermissionError("skill channel requests are not served")

    async def close(self) -> None:
        """Close the connector clients (their HTTP sessions)."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.__aexit__(None, None, None)


class _KeptConnectors(ConnectorFactory):  # type: ignore[misc]
    def __init__(
        self, inner: ConnectorFactory, kept: dict[tuple[str, str | None], ConnectorClient]
    ) -> None:
        self._inner, self._kept = inner, kept

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        if key not in self._kept:
            if len(self._kept) >= CONNECTORS_KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = await self._inner.create(service_url, audience)
        return self._kept[key]


def build_authentication(settings: Settings, tokens: TokenSource | None) -> OffLoopAuthentication:
    """Authentication for ``settings``: Bot Framework JWTs required when an app id is set;
    anonymous (the Emulator's way) only in emulator mode, where there are no credentials."""
    if not settings.teams_credentials:
        # botbuilder's built-in public-cloud path lets an unsigned request through only
        # because no app id is configured; emulator mode is the only way to get here.
        anonymous = PasswordServiceClientCredentialFactory()
        inner = ConfigurationBotFrameworkAuthentication(
            SimpleNamespace(), credentials_factory=anonymous
        )
        return OffLoopAuthentication(inner)
    assert settings.teams_app_id is not None and tokens is not None
    configuration = SimpleNamespace(
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.teams_openid_metadata,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
        TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=(
            AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        ),
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=BOT_SCOPE,
        TO_CHANNEL_FROM_BOT_LOGIN_URL=settings.teams_token_endpoint,
        OAUTH_URL=AuthenticationConstants.OAUTH_URL,
        CALLER_ID=CallerIdConstants.public_azure_channel,
        VALIDATE_AUTHORITY=True,
    )
    factory = TokenCredentialsFactory(settings.teams_app_id, tokens)
    inner = ConfigurationBotFrameworkAuthentication(configuration, credentials_factory=factory)
    return OffLoopAuthentication(inner)
