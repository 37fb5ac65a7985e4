"""Requests not provably from Slack get a 401 and touch nothing; signed nonsense gets a 4xx.
Never a 500, and a rejected body never reaches the logs."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from tests.adapters.slack_kit import FORM, Server, envelope, sign, signed_headers

MARKER = "Zebedee-Quirk-rejected-body"


def _message_body() -> str:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0STAFF",
        "user": "U0STAFF",
        "text": f"the police want everything on {MARKER}",
        "ts": "1700000400.000100",
    }
    return json.dumps(envelope(event))


def _headers(body: str, timestamp: str | None, signature: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    return headers


def _forged(body: str) -> dict[str, str]:
    now = str(int(time.time()))
    return _headers(body, now, sign(body, now, secret="not-the-signing-secret"))


def _stale(body: str) -> dict[str, str]:
    then = str(int(time.time()) - 5 * 60 - 30)
    return _headers(body, then, sign(body, then))


def _from_the_future(body: str) -> dict[str, str]:
    later = str(int(time.time()) + 5 * 60 + 30)
    return _headers(body, later, sign(body, later))


def _no_timestamp(body: str) -> dict[str, str]:
    return _headers(body, None, sign(body, str(int(time.time()))))


def _word_timestamp(body: str) -> dict[str, str]:
    return _headers(body, "yesterday", sign(body, "yesterday"))


def _no_signature(body: str) -> dict[str, str]:
    return _headers(body, str(int(time.time())), None)


@pytest.mark.parametrize(
    "headers",
    [_forged, _stale, _from_the_future, _no_timestamp, _word_timestamp, _no_signature],
)
async def test_an_unverified_request_is_refused_and_changes_nothing(
    server: Server, headers: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = _message_body()
    assert callable(headers)

    answer = await server.send(body, headers(body))
    await server.settle()

    assert answer.status == 401
    assert server.fake.calls == []  # nothing posted, not even auth.test
    assert await server.decisions() == []
    assert not [r for r in caplog.records if MARKER in r.getMessage()]


async def test_a_body_altered_by_one_byte_is_refused(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = _message_body()
    headers = signed_headers(body)
    altered = body.replace("the police", "the polico", 1)
    assert len(altered) == len(body) and altered != body

    answer = await server.send(altered, headers)
    await server.settle()

    assert answer.status == 401
    assert server.fake.calls == []
    assert not [r for r in caplog.records if MARKER in r.getMessage()]


async def test_a_body_that_is_not_utf8_is_refused(server: Server) -> None:
    body = b'{"type": "event_callback", "x": "\xff\xfe"}'
    assert (await server.send(body, signed_headers(body))).status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (urlencode({"payload": "{not json"}), FORM),
        ("{not json", "application/json"),
        ('{"type": "mystery"}', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('{"type": "event_callback", "event": "message"}', "application/json"),
        (urlencode({"payload": '{"type": "block_actions", "actions": "yes"}'}), FORM),
        (urlencode({"payload": '{"type": "block_actions", "actions": [], "user": {}}'}), FORM),
        (urlencode({"payload": "[]"}), FORM),
        (urlencode({"command": "/infoshare"}), FORM),
        ("", "application/json"),
    ],
)
async def test_a_signed_but_malformed_body_gets_a_4xx(
    server: Server, body: str, content_type: str
) -> None:
    answer = await server.signed(body, content_type)
    await server.settle()

    assert 400 <= answer.status < 500
    assert server.posts() == []
