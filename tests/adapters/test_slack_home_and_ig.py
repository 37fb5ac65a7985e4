"""App Home, the IG hand-off, and surviving Slack's refusals, end to end over HTTP."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.knowledge import Knowledge
from tests.adapters.conftest import Serve
from tests.adapters.slack_kit import (
    COURT_ORDER_PATH,
    FORM,
    POLICE,
    Server,
    buttons_in,
    envelope,
    next_post,
    text_of,
    walk,
)
from tests.fakes.slack_api import Call

IG = "C0IGTEAM"
SECRET_WORDS = "Zebedee Quirk at 12 Acacia Avenue"


async def _home_press(server: Server, view: Call, topic: str) -> int:
    block_id, button = buttons_in(view.params["view"]["blocks"])[topic]
    payload = {
        "type": "block_actions",
        "user": {"id": "U0STAFF"},
        "team": {"id": "T0TEST"},
        "trigger_id": "trigger.home",
        "container": {"type": "view", "view_id": "V0HOME"},
        "view": {"id": "V0HOME", "type": "home"},
        "actions": [
            {
                "type": "button",
                "block_id": block_id,
                "action_id": button["action_id"],
                "value": button["value"],
                "text": button["text"],
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return (await server.signed(urlencode({"payload": json.dumps(payload)}), FORM)).status


async def test_app_home_shows_the_topics_and_the_caldicott_principles(
    server: Server, knowledge: Knowledge
) -> None:
    opened = {"type": "app_home_opened", "user": "U0STAFF", "channel": "D0STAFF", "tab": "home"}
    assert (await server.event(opened)).status == 200
    await server.settle()

    [published] = server.fake.to("views.publish")
    assert published.params["user_id"] == "U0STAFF"
    view = published.params["view"]
    assert view["type"] == "home"
    topics = {t for t in knowledge.topics if t != "unknown"}
    assert set(buttons_in(view["blocks"])) == topics
    shown = text_of(published.params)
    assert knowledge.messages.welcome in shown
    assert "Caldicott" in shown and "minimum necessary" in shown


async def test_a_home_button_starts_that_topic_in_the_dm(server: Server) -> None:
    await server.event({"type": "app_home_opened", "user": "U0STAFF", "tab": "home"})
    await server.settle()
    [published] = server.fake.to("views.publish")

    assert await _home_press(server, published, "police") == 200
    question = await next_post(server, 1)

    assert question.params["channel"] == "DU0STAFF"
    assert {"yes", "no"} <= set(buttons_in(question.params["blocks"]))


async def test_talk_to_ig_posts_a_handoff_without_free_text_and_tells_the_user(
    serve: Serve, knowledge: Knowledge
) -> None:
    async with serve(slack_ig_channel=IG) as server:
        await server.dm(f"the police want everything on {SECRET_WORDS}")
        summary = await walk(server, await next_post(server, 1), COURT_ORDER_PATH)
        [decision] = await server.decisions()
        count = len(server.posts())

        await server.press(summary, "talk-to-ig")
        await server.settle()

    [handoff] = server.posts(IG)
    said = text_of(handoff.params)
    assert knowledge.topics["police"].label in said
    assert knowledge.outcomes["share-minimum"].title in said
    assert decision.id in said
    questions = {q.id: q for q in knowledge.flows["police"].questions}
    assert questions["police-purpose"].short in said
    assert "https://test.slack.com/archives/D0STAFF/" in said  # a link back to the conversation
    assert "<@U0STAFF>" in said
    for word in ("Zebedee", "Quirk", "Acacia"):
        assert word not in said
    [told] = [p for p in server.posts()[count:] if p.params["channel"] == "D0STAFF"]
    assert f"<#{IG}>" in text_of(told.params)
    assert knowledge.organisation.ig_team.name in text_of(told.params)


async def test_without_an_ig_channel_the_user_still_gets_the_contact_details(
    server: Server, knowledge: Knowledge
) -> None:
    await server.dm(POLICE)
    question = await next_post(server, 1)

    told = await walk(server, question, ["talk-to-ig"])

    assert [p.params["channel"] for p in server.posts()] == ["D0STAFF"]  # nowhere else
    assert told.params["channel"] == "D0STAFF"
    assert knowledge.organisation.ig_team.name in text_of(told.params)
    assert "<#" not in text_of(told.params)


async def test_a_ratelimited_post_is_retried_after_retry_after(server: Server) -> None:
    server.fake.refuse("chat.postMessage", "ratelimited", status=429, retry_after=0)

    await server.dm(POLICE)
    await server.settle()

    first, second = server.posts()
    assert first.answer == {"ok": False, "error": "ratelimited"}
    assert second.answer["ok"] is True
    assert second.params["blocks"] == first.params["blocks"]


async def test_a_refused_reply_does_not_lose_the_decision(server: Server) -> None:
    await server.dm(POLICE)
    question = await next_post(server, 1)
    server.fake.refuse("chat.update", "channel_not_found", times=None)

    summary = await walk(server, question, COURT_ORDER_PATH)

    assert summary.answer == {"ok": False, "error": "channel_not_found"}
    [decision] = await server.decisions()
    assert decision.outcome == "share-minimum"
    assert decision.id in text_of(summary.params)  # the summary that couldn't be shown


async def test_socket_mode_takes_events_without_a_public_url(serve: Serve) -> None:
    async with serve(slack_app_token="xapp-test-token") as server:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D0STAFF",
            "user": "U0STAFF",
            "text": POLICE,
            "ts": "1700000500.000100",
        }
        ack = await server.fake.push(
            {
                "envelope_id": "env-1",
                "type": "events_api",
                "accepts_response_payload": False,
                "payload": envelope(event),
            }
        )
        question = await next_post(server, 1)

    assert ack == {"envelope_id": "env-1"}
    [opened] = server.fake.to("apps.connections.open")
    assert opened.token == "xapp-test-token"
    assert {"yes", "no"} <= set(buttons_in(question.params["blocks"]))
