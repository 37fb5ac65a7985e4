"""Policy reminders in Slack, end to end: the real server sending through the fake Web API."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.http import ENGINE, EngineOpener
from adapters.reminders_runner import REMINDERS
from bot.engine import Engine
from bot.knowledge import Knowledge
from bot.pseudonym import Pseudonymiser
from bot.reminders.service import parse_targets
from bot.settings import Settings
from bot.storage.memory import MemoryConversationStore
from bot.storage.sqlite import SqliteDecisionLog
from tests.adapters.conftest import Serve, make_settings
from tests.adapters.slack_kit import Server, buttons_in, press_payload, text_of
from tests.fakes.slack_api import Call, FakeSlackApi

SNIPPET = "check-recipients"
SEND_ALL = "reminder send caldicott-3 to everywhere"
TITLE = "Check recipients before you send"


@dataclass
class Clock:
    """Time as the test says it is."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


def clocked(knowledge: Knowledge, clock: Clock) -> EngineOpener:
    """The tests' engine (as ``open_engine``) on ``clock``, which the scheduler uses too."""

    @asynccontextmanager
    async def opened(settings: Settings) -> AsyncIterator[Engine]:
        assert settings.database_path is not None
        decisions = SqliteDecisionLog(settings.database_path)
        try:
            yield Engine(
                knowledge,
                MemoryConversationStore(),
                decisions,
                Pseudonymiser(b"test-key-0123456789"),
                clock=clock,
            )
        finally:
            await decisions.close()

    return opened


def channels(fake: FakeSlackApi) -> None:
    """A workspace: two channels the app is in, one it isn't, one archived, one private."""
    fake.add_channel("C0GENERAL", "general")
    fake.add_channel("C0SOCIAL", "social-work-team")
    fake.add_channel("C0OUTSIDE", "outside", member=False)
    fake.add_channel("C0OLDPROJ", "old-projects", archived=True)
    fake.add_channel("G0PRIVATE", "ig-private")


@pytest.fixture
async def slack(serve: Serve, fake_slack: FakeSlackApi) -> AsyncIterator[Server]:
    channels(fake_slack)
    async with serve() as server:
        yield server


async def test_a_reminder_reaches_every_channel_and_a_gone_one_is_recorded_and_skipped(
    slack: Server,
) -> None:
    service = slack.app[REMINDERS].service
    where = ["C0GENERAL", "#old-projects", "C0GONEAWAY", "#social-work-team", "#outside"]

    results = await service.send_now(SNIPPET, parse_targets(where))

    found = {r.destination.target: (r.status, r.detail) for r in results}
    assert found == {
        "C0GENERAL": ("sent", None),
        "#old-projects": ("gone", "is_archived"),
        "C0GONEAWAY": ("gone", "channel_not_found"),
        "#social-work-team": ("sent", None),
        "#outside": ("gone", "not_in_channel"),
    }
    assert [p.params["channel"] for p in slack.posts() if p.answer["ok"]] == [
        "C0GENERAL",
        "C0SOCIAL",
    ]
    history = {d.destination: (d.status, d.detail) for d in await service.history(SNIPPET)}
    assert history["slack:C0GONEAWAY"] == ("gone", "channel_not_found")
    assert history["slack:#social-work-team"] == ("sent", None)


async def test_a_reminder_shows_its_title_text_policy_link_and_ask_button(slack: Server) -> None:
    await slack.app[REMINDERS].service.send_now(SNIPPET, parse_targets(["C0GENERAL"]))

    [post] = slack.posts("C0GENERAL")
    blocks = post.params["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": TITLE}}
    shown = text_of(post.params)
    assert "*Check every address before you send*" in shown  # Markdown made mrkdwn
    assert "<https://ico.org.uk/" in shown  # the policy page, as a link
    [(block_id, button)] = buttons_in(blocks).items()
    assert button[1]["text"]["text"] == "Ask me about this"
    assert post.params["text"].startswith(TITLE)  # what notifications show
    assert post.params["unfurl_links"] is False


async def test_channel_names_are_looked_up_across_pages_once_and_kept(slack: Server) -> None:
    service = slack.app[REMINDERS].service
    await service.send_now(SNIPPET, parse_targets(["#social-work-team", "#ig-private"]))
    await service.send_now(SNIPPET, parse_targets(["#general", "slack:General"]))

    listed = slack.fake.to("conversations.list")
    assert len(listed) == 3  # five channels, two a page: one lookup, three pages
    posted = [p.params["channel"] for p in slack.posts()]
    assert posted == ["C0SOCIAL", "G0PRIVATE", "C0GENERAL", "C0GENERAL"]


async def test_everywhere_means_every_channel_the_app_is_in(slack: Server) -> None:
    results = await slack.app[REMINDERS].service.send_now(SNIPPET, parse_targets(["everywhere"]))

    assert sorted(r.destination.target for r in results) == ["C0GENERAL", "C0SOCIAL", "G0PRIVATE"]
    assert all(r.status == "sent" for r in results)


async def test_a_ratelimited_post_is_sent_after_retry_after(slack: Server) -> None:
    slack.fake.refuse("chat.postMessage", "ratelimited", status=429, retry_after=1)

    [result] = await slack.app[REMINDERS].service.send_now(SNIPPET, parse_targets(["C0GENERAL"]))

    assert result.status == "sent"
    throttled, sent = slack.fake.to("chat.postMessage")
    assert throttled.answer["error"] == "ratelimited" and sent.answer["ok"]
    assert sent.at - throttled.at >= 1.0  # waited as told
    assert throttled.params["blocks"] == sent.params["blocks"]


async def test_still_ratelimited_after_the_retries_is_a_failure_and_the_rest_still_go(
    slack: Server,
) -> None:
    slack.fake.refuse("chat.postMessage", "ratelimited", status=429, retry_after=0, times=4)

    results = await slack.app[REMINDERS].service.send_now(
        SNIPPET, parse_targets(["C0GENERAL", "C0SOCIAL"])
    )

    assert [(r.status, r.detail) for r in results] == [("failed", "ratelimited"), ("sent", None)]


async def test_reminders_to_one_channel_keep_a_second_apart_other_channels_go_at_once(
    slack: Server,
) -> None:
    service = slack.app[REMINDERS].service
    for _ in range(3):
        await service.send_now(SNIPPET, parse_targets(["C0GENERAL", "C0SOCIAL"]))

    general = [c.at for c in slack.posts("C0GENERAL")]
    social = [c.at for c in slack.posts("C0SOCIAL")]
    assert len(general) == len(social) == 3
    assert all(b - a >= 0.95 for a, b in zip(general, general[1:], strict=False))
    # Within one round the second channel doesn't wait for the first's second.
    assert social[0] - general[0] < 0.5


async def test_asking_about_a_reminder_starts_its_subject_in_the_pressers_dm(
    slack: Server,
) -> None:
    service = slack.app[REMINDERS].service
    await service.send_now("caldicott-3", parse_targets(["C0GENERAL"]))
    [reminder] = slack.posts("C0GENERAL")
    value = next(iter(buttons_in(reminder.params["blocks"])))

    assert (await slack.press(reminder, value, user="U0READER")).status == 200
    assert (await slack.press(reminder, value, user="U0OTHER")).status == 200
    await slack.settle()

    for user in ("U0READER", "U0OTHER"):  # the same button works for everyone who sees it
        [answer] = slack.posts(f"D{user}")
        assert "Use the minimum necessary confidential information" in text_of(answer.params)
    assert slack.fake.to("chat.update") == []  # the reminder stays as it is for everyone


async def test_asking_opens_the_reminders_own_snippet_whatever_its_title_says(
    slack: Server,
) -> None:
    # "Check recipients before you send", read as a question, sounds like a police request.
    await slack.app[REMINDERS].service.send_now("check-recipients", parse_targets(["C0GENERAL"]))
    [reminder] = slack.posts("C0GENERAL")

    await slack.press(reminder, next(iter(buttons_in(reminder.params["blocks"]))), "U0READER")
    await slack.settle()

    [answer] = slack.posts("DU0READER")
    assert "Check recipients before you send" in text_of(answer.params)
    assert "police" not in text_of(answer.params).lower()


def test_press_payload_is_built_for_reminder_buttons() -> None:
    """The kit's payload works for a button outside our answerable blocks (a guard for the
    test above, which relies on it)."""
    posted = Call(
        "chat.postMessage",
        {"channel": "C1", "blocks": [{"type": "actions", "block_id": "b", "elements": [
            {"type": "button", "action_id": "ask", "value": "v", "text": {"text": "Ask"}}]}]},
        None,
        {"ok": True, "ts": "1.000001"},
    )  # fmt: skip
    assert press_payload(posted, "v")["actions"][0]["block_id"] == "b"


async def test_a_schedule_fires_inside_the_running_server_on_the_clock_given(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    clock = Clock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))  # a Monday, 08:00 GMT
    settings = make_settings(tmp_path, fake_slack.url, reminders_tick_seconds=1)

    async with Server.running(settings, fake_slack, clocked(knowledge, clock)) as slack:
        running = slack.app[REMINDERS]
        targets = parse_targets(["#general"])
        await running.service.schedule(SNIPPET, "every Monday 9:00", targets, by="u_ig")
        clock.now = dt.datetime(2026, 11, 23, 8, 59, tzinfo=dt.UTC)
        assert await running.scheduler.tick() == []  # not yet
        assert slack.posts() == []

        clock.now = dt.datetime(2026, 11, 23, 9, 0, 30, tzinfo=dt.UTC)
        [post] = await fake_slack.wait_for("chat.postMessage")  # the server's own tick sends it
        assert post.params["channel"] == "C0GENERAL"
        [sent] = await running.service.history(SNIPPET)
        assert (sent.slot, sent.status) == (dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), "sent")


async def test_after_the_clocks_go_forward_a_9am_schedule_fires_at_8_utc(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    clock = Clock(dt.datetime(2027, 3, 22, 8, 0, tzinfo=dt.UTC))  # Monday before the change
    settings = make_settings(tmp_path, fake_slack.url)

    async with Server.running(settings, fake_slack, clocked(knowledge, clock)) as slack:
        running = slack.app[REMINDERS]
        await running.service.schedule(
            SNIPPET, "0 9 * * 1", parse_targets(["C0GENERAL"]), by="u_ig"
        )
        for day, hour in [(22, 9), (29, 7), (29, 8)]:  # clocks go forward on Sunday 28th
            clock.now = dt.datetime(2027, 3, day, hour, 0, 1, tzinfo=dt.UTC)
            await running.scheduler.tick()
        sent = [d.slot for d in await running.service.history(SNIPPET)]

    assert sorted(s for s in sent if s is not None) == [
        dt.datetime(2027, 3, 22, 9, 0, tzinfo=dt.UTC),  # 09:00 GMT
        dt.datetime(2027, 3, 29, 8, 0, tzinfo=dt.UTC),  # 09:00 BST
    ]
    assert len(slack.posts()) == 2


async def test_a_restart_neither_repeats_a_sent_slot_nor_loses_one_due_while_down(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    clock = Clock(dt.datetime(2026, 11, 23, 9, 0, 1, tzinfo=dt.UTC))
    settings = make_settings(tmp_path, fake_slack.url)
    opener = clocked(knowledge, clock)

    async with Server.running(settings, fake_slack, opener) as slack:
        service = slack.app[REMINDERS].service
        await service.schedule(SNIPPET, "every day 9:00", parse_targets(["C0GENERAL"]), "u_ig")
        clock.now += dt.timedelta(days=1)
        await slack.app[REMINDERS].scheduler.tick()
        assert len(fake_slack.to("chat.postMessage")) == 1
    async with Server.running(settings, fake_slack, opener) as slack:  # same slot, restarted
        await slack.app[REMINDERS].scheduler.tick()
        assert len(fake_slack.to("chat.postMessage")) == 1
    clock.now += dt.timedelta(days=1, minutes=30)  # the server is down at 09:00 on the 25th
    async with Server.running(settings, fake_slack, opener) as slack:
        await fake_slack.wait_for("chat.postMessage", 2)  # sent by the tick at start-up
        await slack.app[REMINDERS].scheduler.tick()
        slots = [d.slot for d in await slack.app[REMINDERS].service.history(SNIPPET)]

    assert len(fake_slack.to("chat.postMessage")) == 2  # the 24th and the 25th, once each
    assert sorted(s.day for s in slots if s is not None) == [24, 25]


async def test_two_servers_on_one_database_send_a_slot_once(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    clock = Clock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    settings = make_settings(tmp_path, fake_slack.url)
    opener = clocked(knowledge, clock)

    async with (
        Server.running(settings, fake_slack, opener) as one,
        Server.running(settings, fake_slack, opener) as two,
    ):
        await one.app[REMINDERS].service.schedule(
            SNIPPET, "every Monday 9:00", parse_targets(["C0GENERAL", "C0SOCIAL"]), "u_ig"
        )
        clock.now = dt.datetime(2026, 11, 23, 9, 0, 1, tzinfo=dt.UTC)
        outcomes = await asyncio.gather(*(s.app[REMINDERS].scheduler.tick() for s in (one, two)))
        again = await asyncio.gather(*(s.app[REMINDERS].scheduler.tick() for s in (one, two)))

    assert sorted(len(o) for o in outcomes) == [0, 1]  # one claimed it, the other saw it taken
    assert again == [[], []]
    assert sorted(p.params["channel"] for p in fake_slack.to("chat.postMessage")) == [
        "C0GENERAL",
        "C0SOCIAL",
    ]


# Managing reminders from chat --------------------------------------------------------------

IG_SETTINGS = {"ig_slack_users": "U0IGLEAD", "ig_slack_usergroups": "S0IGTEAM"}


@pytest.fixture
async def ig(serve: Serve, fake_slack: FakeSlackApi) -> AsyncIterator[Server]:
    channels(fake_slack)
    fake_slack.usergroups["S0IGTEAM"] = ["U0IGMEMBER", "U0IGOTHER"]
    async with serve(**IG_SETTINGS) as server:
        yield server


async def answer_to(server: Server, text: str, user: str) -> Call:
    """What the app answers ``user`` in their DM."""
    count = len(server.posts(f"D{user}")) + 1
    assert (await server.dm(text, user=user, channel=f"D{user}")).status == 200
    await server.settle()
    return server.posts(f"D{user}")[count - 1]


async def test_an_ig_member_by_user_id_lists_reminders_and_schedules(ig: Server) -> None:
    shown = text_of((await answer_to(ig, "reminders", "U0IGLEAD")).params)
    assert "`caldicott-3`: Caldicott principle 3: use the minimum necessary" in shown
    assert "No schedules yet." in shown


async def test_a_user_group_member_sends_now_and_hears_which_channel_was_gone(ig: Server) -> None:
    said = "reminder send caldicott-3 to #general, C0GONEAWAY"
    shown = text_of((await answer_to(ig, said, "U0IGMEMBER")).params)

    assert "1 of 2 delivered" in shown and "slack:C0GONEAWAY: gone (channel_not_found)" in shown
    [reminder] = ig.posts("C0GENERAL")
    assert (
        reminder.params["blocks"][0]["text"]["text"]
        == "Caldicott principle 3: use the minimum necessary"
    )
    history = text_of((await answer_to(ig, "reminder history", "U0IGOTHER")).params)
    assert "to slack:#general: sent" in history and "channel_not_found" in history
    assert len(ig.fake.to("usergroups.users.list")) == 1  # the members, read once and kept


async def test_a_preview_shows_the_reminder_exactly_as_it_will_be_sent(ig: Server) -> None:
    preview = await answer_to(ig, "reminder preview caldicott-3", "U0IGLEAD")
    await ig.app[REMINDERS].service.send_now("caldicott-3", parse_targets(["C0GENERAL"]))
    [sent] = ig.posts("C0GENERAL")

    shown = preview.params["blocks"]
    assert shown[-len(sent.params["blocks"]) :] == sent.params["blocks"]
    assert ig.posts("C0SOCIAL") == []  # a preview goes nowhere else


async def test_anyone_else_is_refused_politely_logged_by_pseudonym_and_nothing_is_sent(
    ig: Server, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        shown = text_of((await answer_to(ig, SEND_ALL, "U0STAFF")).params)

    assert "Sorry" in shown and "Information Governance team" in shown
    assert ig.posts("C0GENERAL") == [] and ig.posts("C0SOCIAL") == []
    logged = " ".join(r.getMessage() for r in caplog.records)
    pseudonym = ig.app[ENGINE].pseudonymise("slack", "U0STAFF")
    assert "refused" in logged and pseudonym in logged
    assert "U0STAFF" not in logged and "everywhere" not in logged


async def test_with_nobody_configured_nobody_may_manage_reminders(
    serve: Serve, fake_slack: FakeSlackApi
) -> None:
    channels(fake_slack)
    async with serve() as server:
        reply = await answer_to(server, SEND_ALL, "U0IGLEAD")
        assert "Sorry" in text_of(reply.params)
        assert server.posts("C0GENERAL") == []


async def test_a_user_group_that_cant_be_read_lets_nobody_in(ig: Server) -> None:
    ig.fake.refuse("usergroups.users.list", "missing_scope")
    reply = await answer_to(ig, SEND_ALL, "U0IGMEMBER")
    assert "Sorry" in text_of(reply.params)
    reply = await answer_to(ig, "reminders", "U0IGMEMBER")  # not cached: tried again, allowed
    assert "`caldicott-3`" in text_of(reply.params)


async def test_the_slash_command_in_a_channel_answers_in_the_ig_members_dm(ig: Server) -> None:
    assert (await ig.command("reminders", channel="C0GENERAL", user="U0IGLEAD")).status == 200
    await ig.settle()
    [answer] = ig.posts("DU0IGLEAD")
    assert "`caldicott-3`" in text_of(answer.params)
    assert ig.posts("C0GENERAL") == []


async def test_the_monthly_review_digest_reaches_the_ig_channel_once(
    tmp_path: Path, fake_slack: FakeSlackApi, knowledge: Knowledge
) -> None:
    channels(fake_slack)
    fake_slack.add_channel("C0IGTEAM", "information-governance")
    clock = Clock(dt.datetime(2027, 12, 6, 9, 0, 30, tzinfo=dt.UTC))  # first Monday, 09:00 GMT
    settings = make_settings(tmp_path, fake_slack.url, slack_ig_channel="C0IGTEAM",
                             reminder_digest_schedule="first Monday of the month 9:00")  # fmt: skip

    async with Server.running(settings, fake_slack, clocked(knowledge, clock)) as slack:
        [digest] = await fake_slack.wait_for("chat.postMessage")  # the tick at start-up
        await slack.app[REMINDERS].scheduler.tick()

    assert digest.params["channel"] == "C0IGTEAM"
    shown = text_of(digest.params)
    assert "Policy review digest" in shown and "not reviewed since 2026-12-06" in shown
    assert len(fake_slack.to("chat.postMessage")) == 1  # the slot is done: not sent again


async def test_a_note_an_ig_member_writes_cant_ping_a_channel_or_forge_a_link(ig: Server) -> None:
    # Typed literally, "<!channel>" reaches the app as entities (Slack's own mentions are
    # markup, which the adapter drops); decoded for the core, it must be escaped again.
    typed = "&lt;!channel&gt; press &lt;https://evil.example|here&gt;"
    said = f"reminder note Lock your screen: {typed} https://intranet.example/security"
    kept = text_of((await answer_to(ig, said, "U0IGLEAD")).params)
    assert "note-1" in kept
    await answer_to(ig, "reminder send note-1 to #general", "U0IGLEAD")

    [reminder] = ig.posts("C0GENERAL")
    shown = text_of(reminder.params)
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown
    assert "<https://evil.example" not in shown
    assert "<https://intranet.example/security|Lock your screen>" in shown  # the note's link
