"""The analytics dashboard over real HTTP: off without a token, sign-in and its cookie,
sessions that expire or are forged, the throttle, the page's counts and its download, and the
CLI's Parquet export read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from typing import Any

import aiohttp
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from adapters.analytics.routes import CLOCK
from adapters.analytics.session import COOKIE, issue, session_key
from adapters.http import EngineOpener, create_app
from bot.models import DecisionRecord, QueryRecord
from bot.settings import Settings
from bot.storage.sqlite import SqliteDecisionLog
from bot.storage.sqlite_queries import SqliteQueryLog
from tests.adapters.conftest import make_settings
from tests.adapters.test_cli import infoshare
from tests.adapters.test_http import running

TOKEN = "analyst-token-for-tests-0123"
NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"slack_signing_secret": None, "slack_bot_token": None,
                              "analyst_token": TOKEN, "analyst_session_minutes": 60,
                              "analytics_min_count": 5}  # fmt: skip
    return make_settings(tmp_path, "http://127.0.0.1:9/api/", **{**values, **overrides})


@asynccontextmanager
async def dashboard(
    tmp_path: Path, open_engine: EngineOpener, **overrides: Any
) -> AsyncIterator[tuple[str, aiohttp.ClientSession, Clock]]:
    clock = Clock()
    app = create_app(settings_for(tmp_path, **overrides), platforms=[], open_engine=open_engine)
    if overrides.get("analyst_token", TOKEN) is not None:
        app[CLOCK] = clock
    async with running(app) as url:
        jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for 127.0.0.1
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            yield url, http, clock


async def sign_in(http: aiohttp.ClientSession, url: str, token: str = TOKEN) -> int:
    async with http.post(url + "/analytics/sign-in", data={"token": token},
                         allow_redirects=False) as response:  # fmt: skip
        return response.status


def records(n: int) -> list[QueryRecord]:
    out = []
    for i in range(n):
        topic = ["police", "family", "unknown"][i % 3]
        out.append(QueryRecord(id=f"q{i:04d}", time=NOW - dt.timedelta(hours=i * 7),
                               channel=["slack", "teams"][i % 2], user=f"u_{i % 4}",
                               text="wifi code" if topic == "unknown" else "can I share, \"x\"",
                               kind="question", topic=topic, confidence=0.5,
                               helped=topic != "unknown"))  # fmt: skip
    return out


async def seed(settings: Settings, queries: list[QueryRecord], decisions: int = 0) -> None:
    assert settings.database_path is not None
    log = SqliteQueryLog(settings.database_path)
    for record in queries:
        await log.record(record)
    await log.close()
    decision_log = SqliteDecisionLog(settings.database_path)
    for i in range(decisions):
        outcome = "share" if i < decisions - 2 else "do-not-share"
        await decision_log.record(DecisionRecord(id=f"D-{i}", time=NOW - dt.timedelta(hours=i),
                                                 channel="teams", user="u", topic="police",
                                                 answers=[], outcome=outcome,
                                                 knowledge_version="v"))  # fmt: skip
    await decision_log.close()


async def decide(settings: Settings, outcomes: list[tuple[str, str, int]]) -> None:
    """Decisions recorded yesterday: (topic, outcome, how many)."""
    assert settings.database_path is not None
    log = SqliteDecisionLog(settings.database_path)
    for topic, outcome, n in outcomes:
        for i in range(n):
            await log.record(DecisionRecord(id=f"D-{topic}-{outcome}-{i}", channel="slack",
                                            time=NOW - dt.timedelta(days=1), user="u",
                                            topic=topic, answers=[], outcome=outcome,
                                            knowledge_version="v"))  # fmt: skip
    await log.close()


def undrawn(page: str, section: str) -> str:
    """What the page says in place of a chart that would draw nothing to size."""
    found = re.search(f'<p id="undrawn-{section}"[^>]*>(.*?)</p>', page)
    assert found, f"no undrawn-{section}"
    return found.group(1)


# Off, on, signed in or not ---------------------------------------------------------------------


async def test_without_a_token_every_analytics_path_is_404(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    async with dashboard(tmp_path, open_engine, analyst_token=None) as (url, http, _):
        for path in ("/analytics", "/analytics/sign-in", "/analytics/export.csv", "/analytics/x"):
            async with http.get(url + path, allow_redirects=False) as response:
                assert response.status == 404, path
        assert await sign_in(http, url) == 404


async def test_signed_out_the_dashboard_redirects_to_sign_in_and_the_download_is_401(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        async with http.get(url + "/analytics", allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/analytics/sign-in"
        async with http.get(url + "/analytics/export.csv") as response:
            assert response.status == 401
            assert "id,time" not in await response.text()
        async with http.get(url + "/analytics/sign-in") as response:
            page = await response.text()
            assert response.status == 200 and 'for="token"' in page
            assert response.headers["Cache-Control"] == "no-store"


async def test_the_right_token_signs_in_with_a_strict_http_only_cookie(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    await seed(settings_for(tmp_path), records(12), decisions=6)
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        async with http.post(url + "/analytics/sign-in", data={"token": TOKEN},
                             allow_redirects=False) as response:  # fmt: skip
            assert response.status == 303 and response.headers["Location"] == "/analytics"
            cookie = response.headers["Set-Cookie"]
        for flag in ("HttpOnly", "SameSite=Strict", "Path=/analytics", "Max-Age=3600"):
            assert flag in cookie
        assert "Secure" not in cookie and TOKEN not in cookie
        async with http.get(url + "/analytics") as response:
            page = await response.text()
            headers = response.headers
        assert response.status == 200
        testids = ("filters", "download", "table-questions", "table-topics", "undrawn-outcomes",
                   "empty-abandoned", "sign-out")  # fmt: skip
        for testid in testids:
            assert f'data-testid="{testid}"' in page
        assert "script-src" not in headers["Content-Security-Policy"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store"
        assert "<script" not in page and 'lang="en-GB"' in page
        # Behind a TLS proxy the cookie is Secure too.
        async with http.post(url + "/analytics/sign-in", data={"token": TOKEN},
                             headers={"X-Forwarded-Proto": "https"},
                             allow_redirects=False) as response:  # fmt: skip
            assert "Secure" in response.headers["Set-Cookie"]


async def test_a_wrong_token_is_refused_logged_without_it_and_repeated_tries_are_slowed(
    tmp_path: Path, open_engine: EngineOpener, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with dashboard(tmp_path, open_engine) as (url, http, clock):
        for _ in range(5):
            assert await sign_in(http, url, "not-the-token-at-all") == 401
        async with http.post(url + "/analytics/sign-in", data={"token": TOKEN},
                             allow_redirects=False) as response:  # fmt: skip
            assert response.status == 429  # even the right token, for now
            assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
            assert "Try again in 15 minutes" in await response.text()
        clock.now += dt.timedelta(minutes=16)
        assert await sign_in(http, url) == 303
    assert "analytics sign-in failed from 127.0.0.1" in caplog.text
    assert "not-the-token-at-all" not in caplog.text and TOKEN not in caplog.text


async def test_a_session_ends_when_it_expires(tmp_path: Path, open_engine: EngineOpener) -> None:
    async with dashboard(tmp_path, open_engine) as (url, http, clock):
        assert await sign_in(http, url) == 303
        clock.now += dt.timedelta(minutes=59)
        async with http.get(url + "/analytics", allow_redirects=False) as response:
            assert response.status == 200
        clock.now += dt.timedelta(minutes=2)
        async with http.get(url + "/analytics", allow_redirects=False) as response:
            assert response.status == 303
        async with http.get(url + "/analytics/export.csv") as response:
            assert response.status == 401


def forged(cookie: str) -> list[str]:
    """Ways to tamper with a real cookie: another signature, a later expiry, a missing part."""
    expires, nonce, signature = cookie.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    later = str(int(expires) + 86_400)
    return [f"{expires}.{nonce}.{flipped}", f"{later}.{nonce}.{signature}",
            f"{expires}.{nonce}", "", "garbage"]  # fmt: skip


async def test_a_tampered_or_foreign_cookie_signs_no_one_in(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    real = issue(session_key(TOKEN), NOW, 60)
    other_token = issue(session_key("a-rotated-out-token-0000"), NOW, 60)
    async with dashboard(tmp_path, open_engine) as (url, _, _):
        async with aiohttp.ClientSession() as http:
            for value in [*forged(real), other_token]:
                async with http.get(url + "/analytics", cookies={COOKIE: value},
                                    allow_redirects=False) as response:  # fmt: skip
                    assert response.status == 303, value
            async with http.get(url + "/analytics", cookies={COOKIE: real},
                                allow_redirects=False) as response:  # fmt: skip
                assert response.status == 200  # the untouched cookie works


async def test_signing_out_clears_the_session(tmp_path: Path, open_engine: EngineOpener) -> None:
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.post(url + "/analytics/sign-out", allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/analytics/sign-in"
        async with http.get(url + "/analytics", allow_redirects=False) as response:
            assert response.status == 303


# What it shows ---------------------------------------------------------------------------------


def cells(page: str, table: str) -> dict[str, list[str]]:
    """Row header -> cell texts of one of the page's tables."""
    body = page.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", body):
        rows[row[0]] = re.findall(r"<td>(.*?)</td>", row[1])
    return rows


async def test_the_dashboard_shows_suppressed_counts_and_honours_filters(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(30), decisions=12)
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics") as response:
            page = await response.text()
        topics = cells(page, "topics")
        assert topics["Police request"] == ["10"] and topics["Something else"] == ["10"]
        # 10 shared, 2 not: the 2 hidden, and the 10 too, or the total of 12 would give it away
        assert cells(page, "outcomes")["Police request"] == ["&lt;5", "hidden", "12"]
        # With nothing to draw to size, no chart: a sentence says why, and the numbers show.
        assert 'id="chart-outcomes"' not in page
        assert undrawn(page, "outcomes") == "All counts here are under 5 or hidden, and not drawn."
        assert '<details open><summary>The numbers</summary><div class="scroll" tabindex="0" ' \
               'role="region" aria-label="Outcomes per topic' in page  # fmt: skip
        # Weeks by their Monday, in the table and on the chart; never "Nov 26" or the like.
        assert list(cells(page, "questions")) == ["w/c 16 Nov 2026", "w/c 23 Nov 2026", "Total"]
        assert not re.search(r">[A-Z][a-z]{2} \d{2}<", page)
        assert "wifi code" in cells(page, "gaps")
        async with http.get(url + "/analytics", params={"channel": "teams"}) as response:
            teams = cells(await response.text(), "topics")
        assert teams == {"Police request": ["5"], "Family member or other person": ["5"],
                         "Something else": ["5"], "Total": ["15"]}  # fmt: skip
        async with http.get(url + "/analytics", params={"from": "2026-02-30"}) as response:
            assert response.status == 400
            assert "is not a date" in await response.text()


async def test_a_chart_marks_suppressed_counts_beside_the_bars_it_draws(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(40))
    await decide(settings, [("police", "share", 30), ("police", "do-not-share", 2),
                            ("police", "not-yet", 8)])  # fmt: skip
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics") as response:
            page = await response.text()
    # 2 not shared: "<5"; 10 - 2 = 8 would give it back, so the 8 is hidden too.
    assert cells(page, "outcomes")["Police request"] == ["&lt;5", "hidden", "30", "40"]
    # The chart draws the 30 and marks both others where their bars would be, by label, never
    # by size.
    chart = page.split('id="chart-outcomes"', 1)[1].split("</svg>", 1)[0]
    assert re.findall(r'<g role="img" aria-label="([^"]*)"', chart) == [
        "Don&#x27;t share, Police request: &lt;5, not drawn",
        "Don&#x27;t share yet, Police request: hidden, not drawn",
    ]
    assert "&lt;5</text>" in chart and "hidden</text>" in chart
    assert 'class="few"></span>“&lt;5”' in page and 'class="other"></span>“hidden”' in page
    assert 'id="undrawn-outcomes"' not in page and "<details><summary>" in page
    # Weeks by their Monday on the chart too; never "Nov 26" or the like.
    assert ">w/c 16 Nov 2026</text>" in page.split('id="chart-questions"', 1)[1]
    assert not re.search(r">[A-Z][a-z]{2} \d{2}<", page)


async def test_the_download_is_the_cli_export_for_the_same_filters(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = settings_for(tmp_path)
    formulas = ['=HYPERLINK("http://x.example")', "-2", "@SUM(1)", "+1+1"]
    typed = [r.model_copy(update={"id": f"f{i}", "text": text})
             for i, (r, text) in enumerate(zip(records(4), formulas, strict=True))]  # fmt: skip
    await seed(settings, records(36) + typed)
    env = {"INFOSHARE_DATABASE_URL": settings.database_url,
           "INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123"}  # fmt: skip
    cli = infoshare("logs", "export", "--format", "csv", env=env, cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr
    since = (NOW - dt.timedelta(days=5)).date().isoformat()
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics/export.csv") as response:
            everything = await response.text()
            assert response.headers["Content-Type"].startswith("text/csv")
            assert "attachment" in response.headers["Content-Disposition"]
        query = {"channel": "teams", "from": since}
        async with http.get(url + "/analytics/export.csv", params=query) as response:
            filtered = await response.text()
        async with http.get(url + "/analytics/export.csv", params={"to": "x"}) as response:
            assert response.status == 400
    assert everything.count("\r\n") == 41  # CSV's own line ends (RFC 4180), as the CLI's...
    assert everything.replace("\r\n", "\n") == cli.stdout  # ...which text mode reads as \n
    rows = list(csv.DictReader(io.StringIO(cli.stdout)))
    # What a spreadsheet would run as a formula is text, after a ', in both; true, not True.
    assert sorted(r["text"] for r in rows if r["id"].startswith("f")) == sorted(
        "'" + text for text in formulas)  # fmt: skip
    assert {r["helped"] for r in rows} == {"true", "false"}
    wanted = [r for r in rows if r["channel"] == "teams" and r["time"][:10] >= since]
    got = list(csv.DictReader(io.StringIO(filtered)))
    assert got == wanted and 0 < len(got) < len(rows)


async def test_parquet_export_reads_back_as_the_same_records(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(25))
    env = {"INFOSHARE_DATABASE_URL": settings.database_url,
           "INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123"}  # fmt: skip
    out = tmp_path / "queries.parquet"
    done = infoshare("logs", "export", "--format", "parquet", "--out", str(out), env=env,
                     cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.column_names == list(QueryRecord.model_fields)
    back = [QueryRecord.model_validate(row) for row in table.to_pylist()]
    assert sorted(back, key=lambda r: r.id) == sorted(records(25), key=lambda r: r.id)
    no_file = infoshare("logs", "export", "--format", "parquet", env=env, cwd=tmp_path)
    assert no_file.returncode == 2 and "--out FILE" in no_file.stderr
    as_csv = infoshare("logs", "export", "--format", "csv", "--out", str(tmp_path / "q.csv"),
                       env=env, cwd=tmp_path)  # fmt: skip
    assert as_csv.returncode == 0 and as_csv.stdout == ""
    with (tmp_path / "q.csv").open(newline="") as written:
        assert len(list(csv.DictReader(written))) == 25
    nowhere = infoshare("logs", "export", "--format", "parquet", "--out",
                        str(tmp_path / "missing" / "q.parquet"), env=env, cwd=tmp_path)  # fmt: skip
    assert nowhere.returncode == 1 and "can't write" in nowhere.stderr


async def test_redacted_text_is_shown_as_text_never_as_markup(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    markup = "<img src=x onerror=alert(1)> can I share"
    settings = settings_for(tmp_path)
    await seed(settings, [r.model_copy(update={"text": markup, "topic": "unknown",
                                               "helped": False}) for r in records(6)])  # fmt: skip
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics") as response:
            page = await response.text()
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; can I share" in page


@pytest.mark.parametrize(
    ("setting", "value", "problem"),
    [
        ("analyst_token", "short", "INFOSHARE_ANALYST_TOKEN must be at least 16"),
        ("analyst_session_minutes", 0, "INFOSHARE_ANALYST_SESSION_MINUTES must be from 1"),
        ("analytics_min_count", 2, "INFOSHARE_ANALYTICS_MIN_COUNT must be at least 3"),
    ],
)
def test_bad_analytics_settings_name_the_variable(
    tmp_path: Path, setting: str, value: object, problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        settings_for(tmp_path, **{setting: value})


async def test_a_bad_or_far_off_date_is_left_out_saying_so_and_the_other_filters_kept(
    tmp_path: Path, open_engine: EngineOpener, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(30))
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        for bad, said in [
            ("9999-12-31", "the &#x27;to&#x27; date 9999-12-31 is not between 2000-01-01 and "
                           "2100-12-31"),
            ("31/12/2026", "the &#x27;to&#x27; date &#x27;31/12/2026&#x27; is not a date like"),
        ]:  # fmt: skip
            query = {"to": bad, "channel": "teams"}
            async with http.get(url + "/analytics", params=query) as response:
                assert response.status == 400
                page = await response.text()
            assert f"Filter ignored: {said}" in page
            assert "The figures below use the other filters." in page
            assert cells(page, "topics")["Total"] == ["15"]  # teams only: the channel was kept
            assert '<option value="teams" selected>' in page
            # A download with a filter that can't be used downloads nothing, saying why.
            async with http.get(url + "/analytics/export.csv", params=query) as response:
                assert response.status == 400
                assert response.headers["Content-Type"].startswith("text/plain")
                text = await response.text()
            assert text.startswith("Nothing was downloaded: the 'to' date") and "id," not in text
        async with http.get(url + "/analytics", params={"from": "1999-01-01"}) as response:
            assert response.status == 400
            assert "The figures below use no filter: everything." in await response.text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"channel": "fax"}, "&#x27;fax&#x27; is not a channel: choose one of cli, slack, teams"),
        ({"topic": "nope"}, "&#x27;nope&#x27; is not a topic the assistant knows"),
        ({"channel": "<b>"}, "&#x27;&lt;b&gt;&#x27; is not a channel"),
    ],
)
async def test_an_unknown_channel_or_topic_is_refused_and_never_offered_as_an_option(
    tmp_path: Path, open_engine: EngineOpener, query: dict[str, str], said: str
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(30))
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics", params=query) as response:
            assert response.status == 400
            page = await response.text()
        async with http.get(url + "/analytics/export.csv", params=query) as response:
            assert response.status == 400
    assert f"Filter ignored: {said}" in page
    value = next(iter(query.values()))
    assert f'<option value="{value}"' not in page and f'value="{escape(value)}"' not in page
    assert cells(page, "topics")["Total"] == ["30"]  # nothing else was filtered


async def test_filters_that_match_nothing_say_so_in_place_of_every_chart_and_table(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(30), decisions=12)
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        query = {"from": "2026-11-01", "to": "2026-11-02"}
        async with http.get(url + "/analytics", params=query) as response:
            assert response.status == 200
            page = await response.text()
    for section in ("questions", "decisions", "topics", "outcomes", "abandoned"):
        assert re.search(f'<p id="empty-{section}"[^>]*>No data for these filters.</p>', page)
    assert "No question was asked 5 or more times with these filters." in page
    assert "<svg" not in page and "<table" not in page


async def test_the_favicon_is_no_content_with_the_security_headers(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        async with http.get(url + "/favicon.ico") as response:
            assert response.status == 204
            assert await response.read() == b""
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Frame-Options"] == "DENY"


# Withholding a record ---------------------------------------------------------------------------


def form_token_of(page: str) -> str:
    found = re.search(r'<input type="hidden" name="form" value="([^"]+)">', page)
    assert found, "no withhold form on the dashboard"
    return found.group(1)


async def withhold_form(
    http: aiohttp.ClientSession, url: str, ids: str, token: str
) -> tuple[int, str]:
    async with http.post(url + "/analytics/withhold", data={"ids": ids, "form": token},
                         allow_redirects=False) as response:  # fmt: skip
        return response.status, await response.text()


async def test_an_analyst_withholds_records_from_the_dashboard_and_the_counts_stay(
    tmp_path: Path, open_engine: EngineOpener, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path)
    leaked = records(9)[2].model_copy(update={"id": "leak", "text": "wifi code for Kai Doyle"})
    await seed(settings, [*records(8), leaked])
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics") as response:
            before = await response.text()
        token = form_token_of(before)
        with caplog.at_level(logging.INFO):
            status, page = await withhold_form(http, url, "leak  q0001 nope", token)
        assert status == 200
        assert "2 records withheld" in page and "mistyped): nope." in page
        async with http.get(url + "/analytics/export.csv") as response:
            texts = {r["id"]: r["text"] for r in csv.DictReader(io.StringIO(await response.text()))}
        async with http.get(url + "/analytics") as response:
            after = await response.text()
    assert texts["leak"] == texts["q0001"] == "[WITHHELD]" and texts["q0000"] != "[WITHHELD]"
    assert "Kai Doyle" not in str(texts) and "Kai Doyle" not in caplog.text
    assert "2 records withheld from the dashboard" in caplog.text
    assert cells(after, "topics") == cells(before, "topics")  # every figure still counts them


async def test_withholding_needs_the_session_its_form_came_from_and_real_ids(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = settings_for(tmp_path)
    await seed(settings, records(3))
    async with dashboard(tmp_path, open_engine) as (url, http, _):
        status, _ = await withhold_form(http, url, "q0000", "anything")
        assert status == 303  # signed out: to the sign-in page, nothing withheld
        assert await sign_in(http, url) == 303
        async with http.get(url + "/analytics") as response:
            token = form_token_of(await response.text())
        status, page = await withhold_form(http, url, "q0000", token[:-2] + "xx")
        assert status == 403 and "out of date" in page  # a page from elsewhere can't know it
        status, page = await withhold_form(http, url, "q0000 <script>", token)
        assert status == 400 and "&lt;script&gt;&#x27; is not a record id" in page
        assert "<script>" not in page  # said as text, never as markup
        status, page = await withhold_form(http, url, "  ", token)
        assert status == 400 and "at least one record" in page
        status, page = await withhold_form(http, url, " ".join(f"x{i}" for i in range(1001)), token)
        assert status == 400 and "at most 1000 ids" in page
        status, page = await withhold_form(http, url, "nope", token)
        assert status == 404 and "0 records withheld" in page
        async with http.get(url + "/analytics/export.csv") as response:
            exported = await response.text()
        assert await sign_in(http, url) == 303  # a new session: the old form's token is dead
        status, _ = await withhold_form(http, url, "q0000", token)
        assert status == 403
    assert "[WITHHELD]" not in exported
