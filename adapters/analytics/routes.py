"""``/analytics`` on the shared server: sign-in, the dashboard, its CSV download and its form
that withholds a record's text.

Served only when ``INFOSHARE_ANALYST_TOKEN`` is set; without it no route is added, so every
``/analytics`` path is 404. Signed out, the dashboard redirects to the sign-in page and the
download answers 401. Every response under ``/analytics`` carries the security headers: a CSP
that allows no script, ``nosniff``, no framing, no referrer, and ``no-store`` so no cache keeps
a page of counts.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import AsyncIterator

from aiohttp import web

from adapters.analytics.pages import (
    BASE,
    CSP,
    Labels,
    dashboard_page,
    sign_in_page,
    withheld_page,
)
from adapters.analytics.session import (
    COOKIE,
    Throttle,
    form_token,
    form_token_matches,
    issue,
    session_key,
    token_matches,
    valid,
)
from adapters.http import ENGINE, SETTINGS
from bot import messages
from bot.analytics import Filters, build_dashboard, count, read_filters
from bot.engine import utc_now
from bot.exports import matching, query_lines
from bot.queries import withhold
from bot.storage.open import open_analytics, open_query_log
from bot.types import AnalyticsStore, Clock, QueryLog

log = logging.getLogger(__name__)

STORE: web.AppKey[AnalyticsStore] = web.AppKey("analytics_store")
EXPORTS: web.AppKey[QueryLog] = web.AppKey("analytics_exports")
CLOCK: web.AppKey[Clock] = web.AppKey("analytics_clock")  # tests move it on to expire sessions
THROTTLE = web.AppKey("analytics_throttle", Throttle)
KEY = web.AppKey("analytics_key", bytes)
CHUNK = 64 * 1024  # characters of CSV sent at a time
MAX_WITHHELD = 1000  # ids in one form: more than an analyst pastes, less than a flood
_RECORD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
SIGN_IN = f"{BASE}/sign-in"


def install(app: web.Application) -> None:
    """Add the dashboard to ``app`` if an analyst token is configured."""
    token = app[SETTINGS].analyst_token
    if token is None:
        return
    app[KEY] = session_key(token.get_secret_value())
    app[CLOCK] = utc_now
    app[THROTTLE] = Throttle()
    app.cleanup_ctx.append(_stores)
    app.on_response_prepare.append(_secure)
    app.router.add_get(BASE, dashboard)
    app.router.add_get(SIGN_IN, sign_in_form)
    app.router.add_post(SIGN_IN, sign_in)
    app.router.add_post(f"{BASE}/sign-out", sign_out)
    app.router.add_get(f"{BASE}/export.csv", export)
    app.router.add_post(f"{BASE}/withhold", withhold_records)


async def dashboard(request: web.Request) -> web.Response:
    if not _signed_in(request):
        raise web.HTTPSeeOther(SIGN_IN)
    app = request.app
    knowledge = app[ENGINE].knowledge
    filters, problems = read_filters(request.query, knowledge.topics)
    now = app[CLOCK]()
    try:
        counts = await count(app[STORE], filters, now)
    except Exception as exc:  # whatever the storage raises: say so plainly, keep serving
        log.error(messages.ANALYTICS_FAILED, type(exc).__name__)
        raise web.HTTPServiceUnavailable(
            text="The analytics database can't be read just now. Try again in a minute.",
        ) from None
    built = build_dashboard(counts, filters, app[SETTINGS].analytics_min_count, now.date())
    error = _ignored(problems, filters)
    token = form_token(app[KEY], request.cookies[COOKIE])
    page = dashboard_page(built, Labels(knowledge), list(knowledge.topics), token, error)
    return web.Response(text=page, content_type="text/html", status=400 if problems else 200)


async def sign_in_form(request: web.Request) -> web.Response:
    if _signed_in(request):
        raise web.HTTPSeeOther(BASE)
    return web.Response(text=sign_in_page(), content_type="text/html")


async def sign_in(request: web.Request) -> web.Response:
    app = request.app
    now = app[CLOCK]()
    address = request.remote or "unknown"
    wait = app[THROTTLE].wait(address, now)
    if wait is not None:
        log.warning(messages.ANALYST_THROTTLED, address)
        seconds = math.ceil(wait.total_seconds())
        minutes = math.ceil(seconds / 60)
        said = f"Too many wrong tokens. Try again in {minutes} minute{'s' * (minutes != 1)}."
        return web.Response(text=sign_in_page(said), content_type="text/html", status=429,
                            headers={"Retry-After": str(seconds)})  # fmt: skip
    form = await request.post()
    given = form.get("token")
    token = app[SETTINGS].analyst_token
    assert token is not None  # install added no route without one
    if not isinstance(given, str) or not token_matches(given, token.get_secret_value()):
        failures = app[THROTTLE].failed(address, now)
        log.warning(messages.ANALYST_SIGN_IN_FAILED, address, failures)
        said = "That token isn't right. Check it and try again."
        return web.Response(text=sign_in_page(said), content_type="text/html", status=401)
    app[THROTTLE].succeeded(address)
    response = _see_other(BASE)
    minutes = app[SETTINGS].analyst_session_minutes
    response.set_cookie(COOKIE, issue(app[KEY], now, minutes), max_age=minutes * 60,
                        path=BASE, httponly=True, samesite="Strict",
                        secure=_https(request))  # fmt: skip
    return response


async def sign_out(request: web.Request) -> web.Response:
    response = _see_other(SIGN_IN)
    response.del_cookie(COOKIE, path=BASE)
    return response


async def export(request: web.Request) -> web.StreamResponse:
    """The anonymised query log for the filters, as CSV: the records ``infoshare logs export
    --format csv`` gives, through the same code (``bot.exports``)."""
    if not _signed_in(request):
        raise web.HTTPUnauthorized(text="Sign in at /analytics/sign-in to download records.")
    filters, problems = read_filters(request.query, request.app[ENGINE].knowledge.topics)
    if problems:  # never a download of more than was asked for
        raise web.HTTPBadRequest(text=f"Nothing was downloaded: {'; '.join(problems)}. Correct "
                                 "the filters on the dashboard and download again.")  # fmt: skip
    name = "-".join(["infoshare-queries", *filters.as_query().values()])
    response = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}.csv"',
    })  # fmt: skip
    records = matching(request.app[EXPORTS].export(filters.since), filters)
    lines = query_lines(records, "csv")
    pending: list[str] = []
    try:  # the header and the first record: a log that can't be read fails before any byte goes
        async for line in lines:
            pending.append(line)
            if len(pending) == 2:
                break
    except Exception as exc:  # whatever the storage raises
        log.error(messages.ANALYTICS_EXPORT_FAILED, type(exc).__name__)
        raise web.HTTPServiceUnavailable(
            text="The query log can't be read just now. Try again in a minute."
        ) from None
    await response.prepare(request)
    size = sum(map(len, pending))
    try:
        async for line in lines:
            pending.append(line)
            size += len(line)
            if size >= CHUNK:
                await response.write("".join(pending).encode())
                pending, size = [], 0
    except Exception as exc:  # mid-stream: the download ends short, and the log says why
        log.error(messages.ANALYTICS_EXPORT_FAILED, type(exc).__name__)
        raise
    await response.write("".join(pending).encode())
    await response.write_eof()
    return response


async def withhold_records(request: web.Request) -> web.Response:
    """The dashboard's withhold form: the texts of the records with these ids become
    ``[WITHHELD]`` (``bot.queries.withhold``)."""
    if not _signed_in(request):
        raise web.HTTPSeeOther(SIGN_IN)
    app = request.app
    form = await request.post()
    if not form_token_matches(app[KEY], request.cookies.get(COOKIE), form.get("form")):
        return _withheld(403, "This form is out of date. Go back to the dashboard, reload it "
                         "and try again.")  # fmt: skip
    given = form.get("ids")
    ids = list(dict.fromkeys(given.split())) if isinstance(given, str) else []
    bad = [i for i in ids if not _RECORD_ID.fullmatch(i)]
    if not ids or bad or len(ids) > MAX_WITHHELD:
        why = (f"'{bad[0][:70]}' is not a record id: ids are letters, digits, '-' and '_', as "
               "in the download's first column." if bad else
               f"Give at most {MAX_WITHHELD} ids at a time." if ids else
               "Give the id of at least one record, from the download's first column.")  # fmt: skip
        return _withheld(400, f"Nothing was withheld. {why}")
    try:
        found = await withhold(app[EXPORTS], ids)
    except Exception as exc:  # whatever the storage raises
        log.error(messages.QUERY_WITHHOLD_FAILED, type(exc).__name__)
        return _withheld(503, "Nothing was withheld: the query log can't be written just now. "
                         "Try again in a minute.")  # fmt: skip
    log.info(messages.QUERIES_WITHHELD, len(found))
    page = withheld_page(len(found), [i for i in ids if i not in found])
    return web.Response(text=page, content_type="text/html", status=200 if found else 404)


def _withheld(status: int, error: str) -> web.Response:
    return web.Response(text=withheld_page(0, [], error), content_type="text/html", status=status)


def _ignored(problems: list[str], filters: Filters) -> str | None:
    """What the dashboard says about filters it left out, or None."""
    if not problems:
        return None
    which = "Filter" if len(problems) == 1 else "Filters"
    rest = "the other filters" if filters.as_query() else "no filter: everything"
    return f"{which} ignored: {'; '.join(problems)}. The figures below use {rest}."


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _signed_in(request: web.Request) -> bool:
    app = request.app
    return valid(app[KEY], request.cookies.get(COOKIE), app[CLOCK]())


def _https(request: web.Request) -> bool:
    # Behind a TLS-terminating proxy the request arrives as http; the proxy says it was https.
    # Trusting the header here can only make the cookie stricter.
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    if request.path == BASE or request.path.startswith(BASE + "/"):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"


async def _stores(app: web.Application) -> AsyncIterator[None]:
    """The counts' store and a query log of the dashboard's own for downloads, in the decision
    log's database; opened after the engine, closed before it."""
    url = app[SETTINGS].database_url
    app[STORE] = await open_analytics(url)
    try:
        app[EXPORTS] = await open_query_log(url)
        try:
            yield
        finally:
            await app[EXPORTS].close()
    finally:
        await app[STORE].close()
