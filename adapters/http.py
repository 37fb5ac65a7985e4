"""One aiohttp server for every chat platform: health checks, the engine's lifecycle, and the
routes each platform adds for itself.

A platform is a function that takes the application and adds its routes and, if it needs them,
its own ``cleanup_ctx`` (entered once the engine and the conversation references are open; left
after in-flight work has drained and before they close) and ``on_shutdown`` hooks (to stop
taking new work). Slack's is ``adapters.slack.routes.install``, Teams'
``adapters.teams.routes.install``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TextIO

from aiohttp import web

from adapters.background import Background
from adapters.pages import page_html, page_policy
from adapters.web.headers import secured
from bot import messages
from bot.engine import Engine
from bot.queries import purge_before, redact_again
from bot.redaction import RULES
from bot.service import running_engine
from bot.settings import Settings
from bot.storage.open import open_references
from bot.types import ConversationReferences

log = logging.getLogger(__name__)

Platform = Callable[[web.Application], None]
EngineOpener = Callable[[Settings], AbstractAsyncContextManager[Engine]]

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", Engine)
BACKGROUND = web.AppKey("background", Background)
# Where each install can be reached later (Teams keeps them; reminders will read them all).
REFERENCES: web.AppKey[ConversationReferences] = web.AppKey("references")
SHUTDOWN_GRACE = 10.0  # seconds that in-flight turns get to finish when the server stops
PURGE_EVERY = 24 * 60 * 60.0  # seconds between purges of the query log
FLUSH_EVERY = 5.0  # seconds between writes of what the engine holds back, when turns are few


def create_app(
    settings: Settings,
    platforms: Sequence[Platform] | None = None,
    open_engine: EngineOpener = running_engine,
    purge_every: float = PURGE_EVERY,
) -> web.Application:
    """The whole server: ``/healthz``, ``/readyz`` and each enabled platform's routes.

    ``platforms`` defaults to those the settings enable. The engine is opened by
    ``open_engine`` when the app starts and closed, after in-flight work has drained, when it
    stops (tests open one on knowledge they have already loaded); the conversation references
    likewise, from the settings' database URL. The engine's query log, if it has one, is
    purged of records older than ``settings.query_log_days`` at start-up and every
    ``purge_every`` seconds after; and if its texts went through older redaction rules, the
    current ones are run over them in the background.
    """
    app = web.Application()
    app[SETTINGS] = settings
    app[BACKGROUND] = Background()

    async def engine(app: web.Application) -> AsyncIterator[None]:
        async with open_engine(settings) as opened:
            app[ENGINE] = opened
            yield

    async def references(app: web.Application) -> AsyncIterator[None]:
        # In the decision log's database, so a restart or another instance loses none; not
        # part of /readyz, whose decision-log check already covers that database.
        app[REFERENCES] = await open_references(settings.database_url)
        try:
            yield
        finally:
            await app[REFERENCES].close()

    async def upkeep(app: web.Application) -> AsyncIterator[None]:
        await _purge(app[ENGINE], settings)  # before serving, so start-up alone keeps the limit
        tasks = [
            asyncio.create_task(_purge_daily(app[ENGINE], settings, purge_every)),
            asyncio.create_task(_redact_again(app[ENGINE])),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def flushing(app: web.Application) -> AsyncIterator[None]:
        # What the engine holds back (flow progress) is written by the next turns; on a quiet
        # server, by this, so the dashboard is never more than a few seconds behind.
        task = asyncio.create_task(_flush_every(app[ENGINE], FLUSH_EVERY))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(engine)
    app.cleanup_ctx.append(upkeep)
    app.cleanup_ctx.append(flushing)
    app.cleanup_ctx.append(references)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/privacy", page)
    app.router.add_get("/terms", page)
    app.router.add_get("/favicon.ico", favicon)
    installed = enabled_platforms(settings) if platforms is None else platforms
    for install in installed:
        install(app)
    from adapters.analytics.routes import install as install_analytics  # it imports this module

    install_analytics(app)  # /analytics, only when INFOSHARE_ANALYST_TOKEN is set
    if installed:  # policy reminders go out through the platforms' clients
        from adapters.reminders_runner import install as install_reminders

        install_reminders(app)
    # Last in, so first out: in-flight turns finish while the engine and platforms are open.
    app.cleanup_ctx.append(_background)
    return app


def enabled_platforms(settings: Settings) -> list[Platform]:
    """The platforms configured in ``settings``. SDKs are imported only when they are used."""
    found: list[Platform] = []
    if settings.slack_enabled:
        from adapters.slack.routes import install

        found.append(install)
    else:
        log.warning(messages.SLACK_DISABLED)
    if settings.teams_enabled:
        from adapters.teams.routes import install as install_teams

        found.append(install_teams)
    else:
        log.warning(messages.TEAMS_DISABLED)
    if settings.web_chat_enabled:
        from adapters.web.chat import install as install_web_chat

        found.append(install_web_chat)
    else:
        log.info(messages.WEB_CHAT_DISABLED)
    return found


async def favicon(request: web.Request) -> web.StreamResponse:
    """No icon, said without an error in the browser's console."""
    return secured(web.Response(status=204), cache=True)


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process answers HTTP."""
    return web.Response(text="ok")


async def page(request: web.Request) -> web.Response:
    """The privacy notice or terms of use the app stores link to, from ``knowledge/pages``."""
    engine = request.app.get(ENGINE)
    if engine is None:
        raise web.HTTPServiceUnavailable()
    name = request.path.strip("/")
    response = web.Response(text=page_html(engine.knowledge, name), content_type="text/html")
    secured(response)
    # The page's one stylesheet is inline: allowed by its hash, nothing else.
    response.headers["Content-Security-Policy"] = page_policy()
    return response


async def readyz(request: web.Request) -> web.Response:
    """Readiness: knowledge loaded, the decision log and the conversation store answering.
    The reason never holds a secret or a path, only what isn't ready."""
    engine = request.app.get(ENGINE)
    if engine is None:
        return _not_ready("knowledge-not-loaded")
    for name, ping in (
        ("decision-log", engine.decisions.ping),
        ("conversation-store", engine.store.ping),
    ):
        try:
            await ping()
        except Exception as exc:  # whatever the storage raises, the answer is "not ready"
            log.warning(messages.NOT_READY, f"{name}: {type(exc).__name__}")
            return _not_ready(f"{name}-unavailable")
    return web.json_response({"status": "ready", "knowledge": engine.knowledge.version})


async def _flush_every(engine: Engine, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await engine.flush()  # never raises: a failed write is logged


async def _purge_daily(engine: Engine, settings: Settings, every: float) -> None:
    while engine.queries is not None:
        await asyncio.sleep(every)
        await _purge(engine, settings)


async def _purge(engine: Engine, settings: Settings) -> None:
    """Delete query log records past their retention; a failure is logged and tried again at
    the next purge, never raised (the query log must not stop the server)."""
    if engine.queries is None:
        return
    before = purge_before(engine.clock(), settings.query_log_days)
    try:
        gone = await engine.queries.purge(before)
    except Exception as exc:  # whatever the storage raises
        log.error(messages.QUERY_PURGE_FAILED, type(exc).__name__)
        return
    log.info(messages.QUERIES_PURGED, gone, settings.query_log_days)


async def _redact_again(engine: Engine) -> None:
    """Run the current redaction rules over the query log if its texts went through older
    ones, so an improvement reaches what is already stored. A failure is logged and tried
    again at the next start; it never stops the server."""
    if engine.queries is None:
        return
    try:
        if await engine.queries.redacted_with() == RULES:
            return
        read, rewritten = await redact_again(engine.queries)
    except Exception as exc:  # whatever the storage raises
        log.error(messages.QUERY_REDACT_AGAIN_FAILED, type(exc).__name__)
        return
    log.info(messages.QUERIES_REDACTED_AGAIN, RULES, read, rewritten)


def _not_ready(reason: str) -> web.Response:
    return web.json_response({"status": "unavailable", "reason": reason}, status=503)


async def _background(app: web.Application) -> AsyncIterator[None]:
    yield
    await app[BACKGROUND].close(SHUTDOWN_GRACE)


def serve(settings: Settings, host: str, port: int, out: TextIO) -> int:
    """Run the server until interrupted or terminated (``infoshare serve``); prints the address
    it listens on, so ``--port 0`` can be used."""
    platforms = enabled_platforms(settings)
    names = ", ".join(p.__module__.split(".")[1] for p in platforms) or "none"
    app = create_app(settings, platforms)
    asyncio.run(_serve(app, host, port, names, out))
    return 0


async def _serve(app: web.Application, host: str, port: int, names: str, out: TextIO) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()  # opens the engine; a knowledge or storage error stops us here
    # What start-up built (knowledge, routing model, SDK modules) lives as long as the server:
    # keep it out of the garbage collector's sweeps, which otherwise stall busy moments.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)  # and sweep less often: a turn makes few lasting objects
    try:
        await web.TCPSite(runner, host, port).start()
        bound_host, bound_port = runner.addresses[0][:2]
        print(messages.SERVING % (bound_host, bound_port, names), file=out, flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()  # stop taking requests, drain in-flight work, close the engine
