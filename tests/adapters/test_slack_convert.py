"""The pure halves of the adapter: Slack JSON -> turns, replies -> Block Kit within its limits."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block

from adapters.slack import blocks, convert
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.models import Choice, Reply, Turn
from bot.testing import load_tests
from tests.adapters.slack_kit import POLICE, Server, next_post, text_of
from tests.conftest import KNOWLEDGE

HOSTILE = "<!channel> <!here> & <https://evil.example|click me> <@U0BOSS>"


def _dicts(built: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Parsed back into slack_sdk's models and serialised again, whose to_dict checks Slack's
    # limits: a block built as JSON by hand must come back the same, so valid and complete.
    for block in built:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.to_dict() == block
    return built


def test_conversation_keys_follow_the_dm_or_the_mention_thread() -> None:
    dm = convert.from_message(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "U1",
            "text": "hi",
            "ts": "1.1",
        }
    )
    mention = convert.from_mention(
        {"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> hi", "ts": "2.2"}
    )
    in_thread = convert.from_mention(
        {
            "type": "app_mention",
            "channel": "C1",
            "user": "U1",
            "text": "<@UBOT> hi",
            "ts": "3.3",
            "thread_ts": "2.2",
        }
    )
    assert dm and mention and in_thread
    assert dm.place and dm.place.key == "D1"
    assert mention.place and mention.place.key == "C1:2.2"
    assert in_thread.place and in_thread.place.key == "C1:2.2"  # the same conversation
    [turn] = mention.turns(mention.place)
    assert turn == Turn(channel="slack", conversation="C1:2.2", user="U1", text="hi")


def test_slack_markup_becomes_plain_words_for_the_core() -> None:
    assert convert.clean_text("<@UBOT> the police &amp; <https://x.example|a form>") == (
        "the police & a form"
    )
    assert convert.clean_text("<@UBOT>") == "help"  # a bare mention opens the menu
    assert len(convert.clean_text("word " * 5000)) == convert.TEXT_LIMIT


def test_a_press_and_a_retry_share_a_key_but_two_messages_do_not() -> None:
    def press(ts: str, action_ts: str) -> dict[str, Any]:
        return {
            "type": "block_actions",
            "user": {"id": "U1"},
            "container": {"type": "message", "channel_id": "D1", "message_ts": ts},
            "actions": [{"action_id": "no", "value": "no", "action_ts": action_ts}],
        }

    assert convert.dedupe_key(press("1.1", "9.1")) == convert.dedupe_key(press("1.1", "9.2"))
    assert convert.dedupe_key(press("1.1", "9.1")) != convert.dedupe_key(press("1.2", "9.1"))
    assert convert.dedupe_key({"type": "event_callback", "event_id": "Ev1"}) == "event:Ev1"


def test_user_text_is_escaped_so_it_cannot_ping_or_forge_links() -> None:
    shown = blocks.mrkdwn(HOSTILE)
    assert "<" not in shown and ">" not in shown
    assert "&lt;!channel&gt;" in shown and "&amp;" in shown
    assert blocks.mrkdwn("see [the policy](https://x.example/a?b=1&c=2)") == (
        "see <https://x.example/a?b=1&amp;c=2|the policy>"
    )


def test_long_replies_stay_inside_block_kit_limits(knowledge: Knowledge) -> None:
    long_label = "A choice with a label far longer than Slack's seventy-five character limit"
    reply = Reply(
        conversation="c",
        text="\n\n".join(f"**Paragraph {i}** " + "word " * 700 for i in range(30)),
        choices=[Choice(id=f"c{i}", label=long_label * 2) for i in range(30)],
        actions=[Choice(id="why", label="Why?")],
    )
    built = _dicts(blocks.reply_blocks(reply, knowledge.messages))
    assert len(built) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in built if b["type"] == "section")
    buttons = [e for b in built if b["type"] == "actions" for e in b["elements"]]
    assert all(len(e["text"]["text"]) <= 75 for e in buttons)
    assert buttons[-1]["value"] == "why"  # the buttons survive, the text is cut


async def test_every_reply_of_every_conversation_test_is_valid_block_kit(
    engine: Engine, knowledge: Knowledge
) -> None:
    for n, (_, test) in enumerate(load_tests(KNOWLEDGE / "tests")):
        steps = ([("text", test.say)] if test.say else []) + [("choice", c) for c in test.choose]
        for kind, value in steps:
            turn = Turn(channel="slack", conversation=f"c{n}", user="U1", **{kind: value})
            reply = await engine.handle(turn)
            built = _dicts(blocks.reply_blocks(reply, knowledge.messages))
            assert len(built) <= 50
            offered = {e["value"] for b in built if b["type"] == "actions" for e in b["elements"]}
            assert offered == {c.id for c in reply.choices + reply.actions}
            if reply.summary:
                assert reply.summary.decision_id in json.dumps(built)
            answered = _dicts(blocks.in_place(built, "Yes <!channel>", built))  # pressed
            assert len(answered) <= 50 and "<!channel>" not in json.dumps(answered)


def test_app_home_is_a_valid_view(engine: Engine, knowledge: Knowledge) -> None:
    principles = engine.finder.best("principles", "caldicott principles")[0]
    view = blocks.home_view(
        knowledge.messages.welcome, knowledge.messages.menu, knowledge.topics.values(), principles
    ).to_dict()
    assert view["type"] == "home" and len(view["blocks"]) <= 100


async def test_a_forged_button_label_is_shown_escaped(server: Server) -> None:
    await server.dm(f"{HOSTILE} {POLICE}")
    question = await next_post(server, 1)

    await server.press(question, "no", label=HOSTILE)
    await server.settle()

    sent = [text_of(c.params) for c in server.fake.calls if c.method != "auth.test"]
    assert sent and not any(s for s in sent if "<!channel>" in s or "<!here>" in s)
    assert "&lt;!channel&gt;" in text_of(server.fake.to("chat.update")[0].params)
