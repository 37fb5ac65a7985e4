"""The web chat's JSON endpoint and page over real HTTP: a conversation to a logged decision,
every kind of bad request refused clearly without losing the conversation, the headers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from adapters.http import ENGINE, EngineOpener, create_app
from adapters.web.chat import COOKIE, MAX_BODY
from bot.models import Reply
from bot.pseudonym import Pseudonymiser
from tests.adapters.conftest import make_settings
from tests.adapters.test_http import running

API = "/chat/api"
TO_A_DECISION = ["police", "no", "court-order", "yes"]
Served = tuple[str, web.Application]  # the server's address, and its app


class Page:
    """A browser tab: one cookie jar, one conversation id."""

    def __init__(self, url: str, http: aiohttp.ClientSession, conversation: str = "tab-1"):
        self.url, self.http, self.conversation = url, http, conversation

    async def post(self, body: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        async with self.http.post(self.url + API, json=body, **kwargs) as response:
            return response.status, await response.json()

    async def press(self, choice: str) -> tuple[int, dict[str, Any]]:
        return await self.post({"conversation": self.conversation, "choice": choice})

    async def say(self, text: str) -> tuple[int, dict[str, Any]]:
        return await self.post({"conversation": self.conversation, "text": text})

    async def raw(self, data: bytes, content_type: str) -> tuple[int, dict[str, Any]]:
        headers = {"Content-Type": content_type}
        async with self.http.post(self.url + API, data=data, headers=headers) as response:
            return response.status, await response.json()


@pytest.fixture
async def served(tmp_path: Path, open_engine: EngineOpener) -> AsyncIterator[Served]:
    settings = make_settings(tmp_path, "http://127.0.0.1:9/api/", slack_signing_secret=None,
                             slack_bot_token=None)  # fmt: skip
    app = create_app(settings, open_engine=open_engine)  # the platforms the settings enable
    async with running(app) as url:
        yield url, app


@pytest.fixture
async def page(served: Served) -> AsyncIterator[Page]:
    # unsafe: the server is 127.0.0.1, whose cookies aiohttp otherwise refuses to keep
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Page(served[0], http)


async def test_a_conversation_reaches_a_decision_logged_from_the_web_under_a_pseudonym(
    page: Page, served: Served
) -> None:
    status, opening = await page.press("help")
    assert status == 200 and "police" in [c["id"] for c in opening["choices"]]
    assert set(opening) == set(Reply.model_fields)  # the shape infoshare chat --json writes
    for choice in TO_A_DECISION:
        status, reply = await page.press(choice)
        assert status == 200, reply
    assert reply["outcome"] == "share-minimum"
    assert reply["summary"]["decision_id"] == reply["decision_id"]
    assert reply["decision_id"] in reply["summary"]["case_note"]

    user = page.http.cookie_jar.filter_cookies(URL(page.url + "/chat"))[COOKIE].value
    records = [r async for r in served[1][ENGINE].decisions.export(None)]
    assert [(r.id, r.channel, r.topic) for r in records] == [
        (reply["decision_id"], "web", "police")
    ]
    assert records[0].user == Pseudonymiser(b"test-key-0123456789")("web", user)
    assert user not in records[0].model_dump_json()


async def test_the_user_cookie_is_httponly_strict_and_set_once(page: Page) -> None:
    async with page.http.post(page.url + API, json={"conversation": "c", "choice": "help"}) as r:
        cookie = r.headers["Set-Cookie"]
    assert re.search(r"(?i)httponly", cookie) and re.search(r"(?i)samesite=strict", cookie)
    assert "Path=/chat" in cookie
    assert not re.search(r"(?i)secure", cookie)  # plain HTTP here: a Secure cookie won't return
    async with page.http.post(page.url + API, json={"conversation": "c", "choice": "help"}) as r:
        assert "Set-Cookie" not in r.headers  # the same browser stays the same user


async def test_the_cookie_is_secure_when_a_proxy_says_the_page_came_over_https(
    served: Served,
) -> None:
    async with aiohttp.ClientSession() as http:
        body = {"conversation": "c", "choice": "help"}
        headers = {"X-Forwarded-Proto": "https"}
        async with http.post(served[0] + API, json=body, headers=headers) as r:
            assert re.search(r"(?i);\s*secure", r.headers["Set-Cookie"])


async def test_two_tabs_are_two_conversations(page: Page) -> None:
    other = Page(page.url, page.http, "tab-2")
    await page.press("help")
    await other.press("help")
    status, reply = await page.press("police")
    assert reply["topic"] == "police"
    status, reply = await other.press("family")
    assert status == 200 and reply["topic"] == "family"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"conversation": "tab-1", "text": "hi", "choice": "yes"}', "both text and choice"),
        (b'{"conversation": "tab-1"}', "neither text nor choice"),
        (b'{"text": "hello"}', "no conversation"),
        (b'{"conversation": 7, "text": "hello"}', "conversation not a string"),
        (b'{"conversation": "tab-1", "user": "someone-else", "text": "hi"}', "a user of its own"),
        (b'{"conversation": "tab-1", "channel": "slack", "text": "hi"}', "a channel of its own"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
async def test_a_malformed_body_is_a_400_and_the_conversation_carries_on(
    page: Page, body: bytes, why: str
) -> None:
    await page.press("help")
    await page.press("police")
    status, refused = await page.raw(body, "application/json")
    assert (status, refused["error"]) == (400, "malformed"), why
    assert refused["text"].startswith("Sorry, this page sent something I couldn't read")
    status, reply = await page.press("no")  # the question before the bad request
    assert status == 200 and reply["question"] == "police-purpose"


async def test_an_unknown_choice_is_a_422_with_the_question_still_on_offer(page: Page) -> None:
    await page.press("help")
    await page.press("police")
    status, refused = await page.press("court-order")  # not this question's
    assert (status, refused["error"]) == (422, "unknown-choice")
    assert "isn't available" in refused["text"]
    assert [c["id"] for c in refused["choices"]] == ["yes", "no"]
    status, reply = await page.press("no")
    assert status == 200 and reply["question"] == "police-purpose"


async def test_an_oversized_body_is_a_413_whether_or_not_it_says_its_length(page: Page) -> None:
    big = b'{"conversation": "tab-1", "text": "' + b"a" * MAX_BODY + b'"}'
    status, refused = await page.raw(big, "application/json")
    assert (status, refused["error"]) == (413, "too-large")

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to go by
        for _ in range(3):
            yield big[: MAX_BODY // 2]

    headers = {"Content-Type": "application/json"}
    async with page.http.post(page.url + API, data=chunks(), headers=headers) as response:
        assert response.status == 413 and (await response.json())["error"] == "too-large"
    status, reply = await page.press("help")
    assert status == 200


async def test_text_over_the_cores_limit_is_a_400_saying_so(page: Page) -> None:
    status, refused = await page.say("a" * 4001)
    assert (status, refused["error"], refused["conversation"]) == (400, "too-long", "tab-1")
    assert "under 4,000 characters" in refused["text"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
async def test_anything_but_json_is_a_415(page: Page, content_type: str) -> None:
    status, refused = await page.raw(b'{"conversation": "c", "choice": "help"}', content_type)
    assert (status, refused["error"]) == (415, "unsupported-media-type")


async def test_a_decision_that_cannot_be_recorded_is_a_503_and_shows_nothing_as_recorded(
    page: Page, served: Served
) -> None:
    for choice in ["help", *TO_A_DECISION[:-1]]:
        await page.press(choice)
    await served[1][ENGINE].decisions.close()  # the database goes away
    status, reply = await page.press("yes")
    assert (status, reply["error"], reply["decision_id"]) == (503, "record-failed", None)


async def test_the_page_and_its_files_carry_a_strict_csp_and_no_inline_code(page: Page) -> None:
    for path, kind in [
        ("/chat", "text/html"),
        ("/chat/static/chat.js", "text/javascript"),
        ("/chat/static/chat.css", "text/css"),
    ]:
        async with page.http.get(page.url + path) as response:
            assert response.status == 200 and response.content_type == kind
            csp = response.headers["Content-Security-Policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp
            assert "unsafe-inline" not in csp
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            if path == "/chat":
                html = await response.text()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in s or 'type="application/json"' in s for s in scripts)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)  # no inline event handlers
    async with page.http.post(page.url + API, json={"conversation": "c", "choice": "help"}) as r:
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Cache-Control"] == "no-store"


async def test_the_page_is_in_the_knowledges_words_escaped(page: Page) -> None:
    async with page.http.get(page.url + "/chat") as response:
        html = await response.text()
    assert "<title>InfoShare Assistant</title>" in html
    assert '<label for="message">Your message</label>' in html
    assert "I&#x27;ll ask a few questions" in html  # escaped, not raw


@pytest.mark.parametrize("name", ["chat.html", "..%2Fchat.py", "nothing.js", "__init__.py"])
async def test_only_the_pages_own_files_are_served(page: Page, name: str) -> None:
    async with page.http.get(page.url + "/chat/static/" + name) as response:
        assert response.status == 404


async def test_with_the_web_chat_off_there_is_no_chat(
    tmp_path: Path, open_engine: EngineOpener
) -> None:
    settings = make_settings(tmp_path, "http://127.0.0.1:9/api/", slack_signing_secret=None,
                             slack_bot_token=None, web_chat=False)  # fmt: skip
    async with running(create_app(settings, open_engine=open_engine)) as url:
        async with aiohttp.ClientSession() as http:
            for path in ("/chat", "/chat/static/chat.js"):
                async with http.get(url + path) as response:
                    assert response.status == 404
            async with http.post(url + API, json={"conversation": "c", "choice": "help"}) as r:
                assert r.status == 404
            async with http.get(url + "/healthz") as response:
                assert response.status == 200


def test_the_web_chat_is_on_only_without_slack_or_teams_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    for name in ("INFOSHARE_SLACK_SIGNING_SECRET", "INFOSHARE_SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().web_chat_enabled  # nothing else to talk to it through
    monkeypatch.setenv("INFOSHARE_SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("INFOSHARE_SLACK_BOT_TOKEN", "xoxb-token")
    assert not Settings().web_chat_enabled  # staff come through Slack: no open chat beside it
    monkeypatch.setenv("INFOSHARE_WEB_CHAT", "true")
    assert Settings().web_chat_enabled
    monkeypatch.setenv("INFOSHARE_WEB_CHAT", "false")
    assert Settings().web_chat is False and not Settings().web_chat_enabled
    monkeypatch.setenv("INFOSHARE_WEB_CHAT", "perhaps")
    with pytest.raises(ValidationError, match="INFOSHARE_WEB_CHAT must be true or false"):
        Settings()
