"""The web chat: ``GET /chat`` (the page), ``GET /chat/static/...`` (its script and styles) and
``POST /chat/api`` (one turn: ``{conversation, text}`` or ``{conversation, choice}`` in, the
reply out in the shape ``infoshare chat --json`` writes).

The conversation id is the page's own (random, per browser tab); the user is a random id in an
HttpOnly cookie, which the engine pseudonymises like every platform's user id. The endpoint
takes only JSON, so a form on another site cannot post to it, and the cookie is SameSite=Strict.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from importlib.resources import files
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from adapters.http import ENGINE
from adapters.replies import error_json, reply_json, too_long
from adapters.web.headers import secured
from adapters.web.page import chat_page
from bot import messages
from bot.models import Turn

log = logging.getLogger(__name__)
CHANNEL = "web"
COOKIE = "infoshare_web_user"
COOKIE_DAYS = 30  # one browser stays one (pseudonymised) user for a month, then a new one
MAX_BODY = 32 * 1024  # bytes: room for the longest message the core takes (4,000 characters)
FIELDS = frozenset({"conversation", "text", "choice"})
STATIC = {"chat.js": "text/javascript", "chat.css": "text/css"}
# The core's refusals that are the request's fault or the server's, as HTTP says them.
STATUS = {"unknown-choice": 422, "record-failed": 503}
_USER = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def install(app: web.Application) -> None:
    """Add the web chat's routes to the shared server."""
    static = {name: (files(__package__) / "static" / name).read_bytes() for name in STATIC}

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in static:
            raise web.HTTPNotFound()
        response = web.Response(body=static[name], content_type=STATIC[name], charset="utf-8")
        return secured(response, cache=True)

    app.router.add_get("/chat", page)
    app.router.add_get("/chat/static/{name}", asset)
    app.router.add_post("/chat/api", api)


async def page(request: web.Request) -> web.StreamResponse:
    engine = request.app.get(ENGINE)
    if engine is None:
        raise web.HTTPServiceUnavailable()
    html = chat_page(engine.knowledge.messages)
    return secured(web.Response(text=html, content_type="text/html"))


async def api(request: web.Request) -> web.StreamResponse:
    engine = request.app.get(ENGINE)
    if engine is None:
        raise web.HTTPServiceUnavailable()
    words = engine.knowledge.messages.web
    user = request.cookies.get(COOKIE, "")
    fresh = not _USER.match(user)
    if fresh:
        user = secrets.token_urlsafe(18)
    data, refused = await _read(request, words.bad_request)
    if refused is not None:
        return _respond(request, refused, user if fresh else None)
    conversation = data.get("conversation")
    conversation = conversation if isinstance(conversation, str) else None
    try:
        turn = Turn.model_validate({**data, "channel": CHANNEL, "user": user})
    except ValidationError as exc:
        code, said = "malformed", words.bad_request
        if too_long(exc):
            code, said = "too-long", words.too_long
        return _respond(request, _refusal(400, conversation, code, said), user if fresh else None)
    try:
        reply = await engine.handle(turn)
    except Exception as exc:  # one bad turn must not take the page down
        # The type only: a traceback's messages could quote what the staff member typed.
        log.error(messages.WEB_TURN_FAILED, type(exc).__name__)
        failed = _refusal(500, conversation, "internal", words.failed)
        return _respond(request, failed, user if fresh else None)
    answered = web.json_response(reply_json(reply), status=STATUS.get(reply.error or "", 200))
    return _respond(request, answered, user if fresh else None)


async def _read(request: web.Request, bad: str) -> tuple[dict[str, Any], web.Response | None]:
    """The request's JSON object, or the refusal to send instead."""
    if request.content_type != "application/json":
        return {}, _refusal(415, None, "unsupported-media-type", bad)
    if request.content_length is not None and request.content_length > MAX_BODY:
        return {}, _refusal(413, None, "too-large", bad)
    body = await request.content.read(MAX_BODY + 1)  # a chunked body has no length to check
    if len(body) > MAX_BODY:
        return {}, _refusal(413, None, "too-large", bad)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}, _refusal(400, None, "malformed", bad)
    if not isinstance(data, dict) or not set(data) <= FIELDS:
        # user and channel come from the cookie and this adapter, never from the page
        conversation = data.get("conversation") if isinstance(data, dict) else None
        where = conversation if isinstance(conversation, str) else None
        return {}, _refusal(400, where, "malformed", bad)
    return data, None


def _refusal(status: int, conversation: str | None, code: str, said: str) -> web.Response:
    log.info(messages.WEB_REFUSED, code)
    return web.json_response(error_json(conversation, code, said), status=status)


def _respond(request: web.Request, response: web.Response, new_user: str | None) -> web.Response:
    if new_user is not None:
        # Behind a reverse proxy that ends TLS, the proxy says the page came over HTTPS. (A
        # client forging the header only makes its own cookie stricter.)
        https = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        response.set_cookie(COOKIE, new_user, max_age=COOKIE_DAYS * 24 * 3600, path="/chat",
                            httponly=True, samesite="Strict", secure=https)  # fmt: skip
    secured(response)
    return response
