"""Teams on the shared server: ``POST /api/messages``, through botbuilder's ``CloudAdapter``.

Every activity goes through ``CloudAdapter.process``, which validates the Bot Framework JWT
before the bot sees anything (see ``auth``). botbuilder turns only a ``PermissionError`` into a
401: a malformed or forged token raises whatever the JWT library or its key lookup raised, and
would reach aiohttp as a 500. So the handler wraps it: anything raised before the bot was
reached is a refusal, a 401, and nothing was touched; a signing-key fetch that fails or times
out is a 503, so Teams tries again. Before that, a request without a bearer token is refused
at once, and a body that isn't an activity gets a 400 naming the problem.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from adapters.http import BACKGROUND, ENGINE, REFERENCES, SETTINGS
from adapters.reminders_runner import service_of
from adapters.teams import MESSAGES_PATH, convert
from adapters.teams.auth import TokenSource, build_authentication
from adapters.teams.bot import Teams, TurnBot
from adapters.teams.notifier import IgNotifier
from adapters.teams.outbox import Outbox
from adapters.teams.references import Installations
from bot import messages

log = logging.getLogger(__name__)


@dataclass
class TeamsServer:
    adapter: CloudAdapter
    teams: Teams
    outbox: Outbox
    token_required: bool  # false only in emulator mode


TEAMS = web.AppKey("teams", TeamsServer)


def install(app: web.Application) -> None:
    """Add Teams' route and lifecycle to the shared server (see ``adapters.http``)."""
    app.router.add_post(MESSAGES_PATH, activities)
    app.cleanup_ctx.append(_teams)


async def activities(request: web.Request) -> web.StreamResponse:
    """Everything Bot Connector sends."""
    server = request.app[TEAMS]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if server.token_required and (scheme != "Bearer" or not token.strip()):
        return _refused(401, "no-bearer-token")
    if request.content_type != "application/json":
        return _refused(415, "not-json")
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return _refused(400, "malformed-json")
    problem = convert.activity_problem(body)
    if problem is None:
        try:
            Activity().deserialize(body)  # as CloudAdapter will: a field it can't read is ours
        except DeserializationError:
            problem = "unreadable-field"
    if problem is not None:
        return _refused(400, problem)
    bot = TurnBot(server.teams, body)
    try:
        answer = await server.adapter.process(request, bot)
    except Exception as exc:
        if bot.reached:  # our failure, not a refusal: logged by type, the text may be a case
            log.error(messages.TEAMS_TURN_FAILED, body["type"], type(exc).__name__)
            return web.json_response({"error": "internal"}, status=500)
        if isinstance(exc, web.HTTPException) and 400 <= exc.status < 500 and exc.status != 401:
            return _refused(exc.status, type(exc).__name__)
        if isinstance(exc, OSError):  # signing keys unreachable, or validation timed out
            return _refused(503, type(exc).__name__)
        return _refused(401, type(exc).__name__)
    return answer if answer is not None else web.Response(status=201)


def _refused(status: int, reason: str) -> web.Response:
    log.info(messages.TEAMS_REJECTED, status, reason)
    error = "unauthorized" if status == 401 else reason
    return web.json_response({"error": error}, status=status)


async def _teams(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    if settings.teams_emulator:
        log.warning(messages.TEAMS_EMULATOR)
    engine = app[ENGINE]
    async with aiohttp.ClientSession() as session:
        tokens = None
        if settings.teams_app_id is not None and settings.teams_app_password is not None:
            password = settings.teams_app_password.get_secret_value()
            url = settings.teams_token_endpoint
            tokens = TokenSource(session, url, settings.teams_app_id, password)
        authentication = build_authentication(settings, tokens)
        outbox = Outbox(authentication, settings.teams_app_id, tokens, app[BACKGROUND])
        installations = Installations(app[REFERENCES], outbox, engine.knowledge.messages)
        notifier = None
        if settings.teams_ig_conversation is not None:
            notifier = IgNotifier(outbox, settings.teams_ig_conversation, engine.knowledge)
        reminders = functools.partial(service_of, app)
        teams = Teams(engine, outbox, installations, notifier, settings.ig_teams_users, reminders)
        app[TEAMS] = TeamsServer(CloudAdapter(authentication), teams, outbox, tokens is not None)
        try:
            yield
        finally:
            await authentication.close()
