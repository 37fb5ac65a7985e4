"""Staff using the assistant in Slack, end to end: the real server and slack-bolt over HTTP,
a fake Slack Web API, a real SQLite decision log."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.knowledge import Knowledge
from tests.adapters.conftest import Serve
from tests.adapters.slack_kit import (
    COURT_ORDER_PATH,
    POLICE,
    Server,
    buttons_in,
    envelope,
    next_post,
    signed_headers,
    text_of,
    walk,
)


async def test_a_direct_message_conversation_ends_in_a_logged_decision(
    server: Server, knowledge: Knowledge
) -> None:
    assert (await server.dm(POLICE)).status == 200
    question = await next_post(server, 1)
    assert question.params["channel"] == "D0STAFF"
    assert set(buttons_in(question.params["blocks"])) >= {"yes", "no", "why", "talk-to-ig"}

    summary = await walk(server, question, COURT_ORDER_PATH)

    [decision] = await server.decisions()
    assert decision.channel == "slack" and decision.topic == "police"
    assert decision.outcome == "share-minimum"
    assert decision.answers == list(
        zip(
            ["immediate-risk", "police-purpose", "identity-verified"], COURT_ORDER_PATH, strict=True
        )
    )
    assert decision.user != "U0STAFF"  # the core pseudonymised the Slack id
    shown = text_of(summary.params)
    assert decision.id in shown
    assert knowledge.outcomes["share-minimum"].title in shown
    assert any(b["type"] == "header" for b in summary.params["blocks"])
    assert "```" in shown  # the case note, ready to paste


async def test_a_pressed_question_becomes_its_answer_and_the_next_question(
    server: Server,
) -> None:
    await server.dm(POLICE)
    question = await next_post(server, 1)
    old_buttons = buttons_in(question.params["blocks"])
    await walk(server, question, ["no"])

    [update] = server.fake.to("chat.update")
    assert update.params["ts"] == question.answer["ts"]
    assert update.params["channel"] == "D0STAFF"
    shown = text_of(update.params)
    assert "immediate risk" in shown and "✓" in shown and "*No*" in shown  # what was answered
    now = buttons_in(update.params["blocks"])
    assert now.keys() >= {"safeguarding", "court-order"}  # the next question's choices
    assert not {block for block, _ in now.values()} & {b for b, _ in old_buttons.values()}
    assert len(server.posts()) == 1  # one call per press: nothing posted beside it


async def test_a_decision_stays_on_screen_and_what_follows_is_posted(server: Server) -> None:
    await server.dm(POLICE)
    summary = await walk(server, await next_post(server, 1), COURT_ORDER_PATH)
    assert summary.method == "chat.update" and any(
        b["type"] == "header" for b in summary.params["blocks"]
    )
    [decision] = await server.decisions()

    after = await walk(server, summary, ["start-over"])

    assert after.method == "chat.postMessage"  # the menu comes as a new message
    [*_, retired] = server.fake.to("chat.update")
    assert decision.id in text_of(retired.params)  # the summary is still there, buttons gone
    assert buttons_in(retired.params["blocks"]) == {}


async def test_a_stale_button_is_cleared_without_claiming_the_answer(server: Server) -> None:
    await server.dm(POLICE)
    first = await next_post(server, 1)
    await server.dm("no")  # typed instead of pressed: the conversation moves on
    await next_post(server, 2)

    await server.press(first, "yes")  # the old question's button
    await server.settle()

    [update] = server.fake.to("chat.update")
    assert "✓" not in text_of(update.params)  # not shown as answered
    assert await server.decisions() == []  # "yes" to immediate risk would have decided act-now


async def test_a_double_press_is_answered_once(server: Server) -> None:
    await server.dm(POLICE)
    question = await next_post(server, 1)

    first, second = await asyncio.gather(server.press(question, "no"), server.press(question, "no"))
    await server.settle()

    assert (first.status, second.status) == (200, 200)
    [update] = server.fake.to("chat.update")
    assert len(server.posts()) == 1  # the question only: its answer and the next came in place
    assert buttons_in(update.params["blocks"]).keys() >= {"safeguarding", "court-order"}


async def test_each_question_answered_in_place_takes_one_press(server: Server) -> None:
    await server.dm(POLICE)
    summary = await walk(server, await next_post(server, 1), COURT_ORDER_PATH)

    [decision] = await server.decisions()  # three presses on one message, none dropped
    assert decision.answers[-1] == ("identity-verified", COURT_ORDER_PATH[-1])
    assert len(server.fake.to("chat.update")) == len(COURT_ORDER_PATH)
    assert decision.id in text_of(summary.params)


async def test_a_slash_command_outside_a_dm_continues_in_the_dm(server: Server) -> None:
    answer = await server.command("a PC rang wanting information but wouldn't say why")

    assert answer.status == 200
    assert "direct messages" in answer.text  # told, privately, where the answer is
    question = await next_post(server, 1)
    [opened] = server.fake.to("conversations.open")
    assert opened.params["users"] == "U0STAFF"
    assert question.params["channel"] == "DU0STAFF"

    summary = await walk(server, question, ["no", "unclear"])

    [decision] = await server.decisions()
    assert decision.outcome == "not-yet"
    assert decision.id in text_of(summary.params)


async def test_a_bare_slash_command_in_a_dm_shows_the_topics(
    server: Server, knowledge: Knowledge
) -> None:
    answer = await server.command("", channel="D0STAFF")

    assert answer.status == 200 and answer.text == ""
    menu = await next_post(server, 1)
    assert menu.params["channel"] == "D0STAFF"
    assert set(buttons_in(menu.params["blocks"])) >= {"police", "family", "breach"}
    assert server.fake.to("conversations.open") == []


async def test_a_mention_is_answered_in_its_thread_and_continues_there(server: Server) -> None:
    event = {
        "type": "app_mention",
        "channel": "C0GENERAL",
        "user": "U0STAFF",
        "text": f"<@UBOT> {POLICE}",
        "ts": "1700000100.000100",
    }
    assert (await server.event(event)).status == 200
    question = await next_post(server, 1)
    assert question.params["channel"] == "C0GENERAL"
    assert question.params["thread_ts"] == "1700000100.000100"

    following = await walk(server, question, ["no"])

    assert following.params["thread_ts"] == "1700000100.000100"
    assert {"safeguarding", "court-order"} <= set(buttons_in(following.params["blocks"]))


@pytest.mark.parametrize(
    "event",
    [
        {"subtype": "message_changed"},
        {"subtype": "bot_message", "bot_id": "B0OTHER"},
        {"bot_id": "BBOT", "user": "UBOT"},  # the app's own message
    ],
)
async def test_edits_and_bot_messages_are_ignored(server: Server, event: dict[str, str]) -> None:
    base = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0STAFF",
        "user": "U0STAFF",
        "text": POLICE,
        "ts": "1700000200.000100",
    }
    assert (await server.event({**base, **event})).status == 200
    await server.settle()
    assert server.posts() == []


async def test_a_retried_event_is_acknowledged_and_handled_once(server: Server) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0STAFF",
        "user": "U0STAFF",
        "text": POLICE,
        "ts": "1700000300.000100",
    }
    body = json.dumps(envelope(event, "Ev0RETRIED"))
    assert (await server.send(body, signed_headers(body))).status == 200
    retry = {**signed_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
    assert (await server.send(body, retry)).status == 200
    await server.settle()

    assert len(server.posts()) == 1


async def test_url_verification_is_answered_with_the_challenge(server: Server) -> None:
    answer = await server.signed('{"type": "url_verification", "challenge": "c-123", "token": "x"}')
    assert answer.status == 200
    assert '"challenge": "c-123"' in answer.text or '"challenge":"c-123"' in answer.text


async def test_logs_never_hold_what_staff_typed(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # before the server starts, as INFOSHARE_LOG_LEVEL would
    async with serve() as server:
        for method in ("chat.postMessage", "chat.update"):
            server.fake.refuse(method, "channel_not_found", times=None)
        await server.dm("the police want everything about Zebedee Quirk")
        question = await next_post(server, 1)
        await walk(server, question, COURT_ORDER_PATH)

    assert not [r for r in caplog.records if "Zebedee" in r.getMessage()]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("adapters.")]
    assert ours.count("slack chat.postMessage failed: channel_not_found") == 1
    assert ours.count("slack chat.update failed: channel_not_found") == len(COURT_ORDER_PATH)
