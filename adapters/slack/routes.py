"""Slack on the shared server: ``POST /slack/events`` (events, interactivity, slash commands),
and Socket Mode when an app-level token is configured.

Every request is verified here first, with the SDK's own ``SignatureVerifier``, before bolt sees
it: bolt answers a missing or non-numeric timestamp with a 500 and logs a rejected body, and
builds its request (parsing the JSON) before it checks anything. Here a request that fails the
check gets a 401 and touches nothing; a signed body we can't read gets a 400. Bolt then runs its
own verification again, as usual.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from adapters.http import BACKGROUND, ENGINE, SETTINGS
from adapters.reminders_runner import service_of
from adapters.slack import EVENTS_PATH, convert
from adapters.slack.api import make_client
from adapters.slack.app import build_slack
from bot import messages

log = logging.getLogger(__name__)
WINDOW = 60 * 5  # seconds: Slack's replay window for a request's timestamp
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


@dataclass
class Slack:
    bolt: AsyncApp
    verifier: SignatureVerifier
    socket: AsyncSocketModeHandler | None = None


SLACK = web.AppKey("slack", Slack)


def install(app: web.Application) -> None:
    """Add Slack's route and lifecycle to the shared server (see ``adapters.http``)."""
    app.router.add_post(EVENTS_PATH, events)
    app.cleanup_ctx.append(_slack)
    app.on_shutdown.append(_stop_socket_mode)


async def events(request: web.Request) -> web.Response:
    """Everything Slack sends over HTTP."""
    slack = request.app[SLACK]
    body = await request.read()
    problem = unverified(slack.verifier, body, request.headers)
    if problem is not None:
        log.info(messages.SLACK_REJECTED, 401, problem)
        return web.json_response({"error": "invalid request"}, status=401)
    try:
        bolt_request = await to_bolt_request(request)
        problem = convert.payload_problem(bolt_request.body)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        problem = "malformed"  # bolt parses JSON and reads ids as it builds the request
    if problem is not None:
        log.info(messages.SLACK_REJECTED, 400, problem)
        return web.json_response({"error": problem}, status=400)
    return await to_aiohttp_response(await slack.bolt.async_dispatch(bolt_request))


def unverified(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> str | None:
    """Why a request isn't provably from Slack (signed within five minutes), or None if it is."""
    timestamp = headers.get("X-Slack-Request-Timestamp")
    signature = headers.get("X-Slack-Signature")
    if not timestamp or not signature:
        return "missing-signature-headers"
    if not _TIMESTAMP.match(timestamp):
        return "bad-timestamp"
    if abs(verifier.clock.now() - int(timestamp)) > WINDOW:
        return "stale-timestamp"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not-utf-8"  # Slack signs UTF-8; the SDK's check would raise on anything else
    return None if verifier.is_valid(text, timestamp, signature) else "bad-signature"


async def _slack(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    assert settings.slack_signing_secret is not None
    async with aiohttp.ClientSession() as session:
        client = make_client(settings, session)
        reminders = functools.partial(service_of, app)
        bolt = build_slack(app[ENGINE], settings, app[BACKGROUND], client, reminders)
        verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())
        slack = app[SLACK] = Slack(bolt, verifier)
        if settings.slack_app_token is not None:
            slack.socket = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
            await slack.socket.connect_async()  # type: ignore[no-untyped-call]
            log.info(messages.SLACK_SOCKET_MODE)
        try:
            yield
        finally:
            await _stop_socket_mode(app)


async def _stop_socket_mode(app: web.Application) -> None:
    """Stop taking events over Socket Mode (on shutdown, before in-flight work drains)."""
    slack = app.get(SLACK)
    if slack is not None and slack.socket is not None:
        socket, slack.socket = slack.socket, None
        await socket.close_async()  # type: ignore[no-untyped-call]
