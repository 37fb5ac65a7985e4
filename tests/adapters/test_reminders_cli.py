"""``infoshare reminders ...`` and ``infoshare knowledge stale`` as the IG team runs them (in a
real subprocess), sending through the real Slack sender to the local Slack API stand-in, and
the monthly review digest with policy links checked against a local HTTP server."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from adapters.link_check import check_links
from adapters.reminders_cli import platform_senders, reminders_command
from bot.knowledge import Knowledge, load_knowledge
from bot.reminders.digest import configured_digest, digest_job
from bot.reminders.models import Destination
from bot.reminders.schedules import parse_rule
from bot.settings import Settings
from tests.adapters.conftest import make_settings
from tests.bot.reminder_kit import Clock, RecordingSender, build
from tests.conftest import KNOWLEDGE, ROOT
from tests.fakes.slack_api import FakeSlackApi


async def infoshare(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """Run the command without blocking this loop (a test's HTTP server may be serving it)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INFOSHARE_")}
    environment.update(env, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", *args,
        env=environment, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "INFOSHARE_DATABASE_URL": f"sqlite:///{tmp_path / 'infoshare.db'}",
        "INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123",
    }


async def test_schedule_list_pause_resume_delete_from_the_command_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, out, _ = await infoshare(
        "reminders", "schedule", "caldicott-3", "every Monday 9:00", "--to", "everywhere",
        "--to", "#general", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert code == 0
    assert out.startswith("schedule 1: caldicott-3 'every Monday 9:00'; next:")
    assert len(re.findall(r"Mon \d\d \w+ \d{4} 09:00 (GMT|BST)", out)) == 3

    code, out, _ = await infoshare("reminders", "list", env=env, cwd=tmp_path)
    assert "  passwords-and-screens: Passwords and locking your screen" in out
    assert "  1: caldicott-3 'every Monday 9:00' to everywhere, slack:#general (next Mon" in out

    assert (await infoshare("reminders", "pause", "1", env=env, cwd=tmp_path))[:2] == (
        0,
        "schedule 1 paused\n",
    )
    code, out, _ = await infoshare("reminders", "list", env=env, cwd=tmp_path)
    assert "(paused)" in out
    code, out, _ = await infoshare("reminders", "resume", "1", env=env, cwd=tmp_path)
    assert code == 0 and "resumed: next Mon" in out
    code, out, _ = await infoshare("reminders", "delete", "1", env=env, cwd=tmp_path)
    assert (code, out) == (0, "schedule 1 deleted\n")
    code, out, _ = await infoshare("reminders", "history", env=env, cwd=tmp_path)
    assert (code, out) == (0, "nothing sent yet\n")


async def test_history_of_a_known_reminder_with_nothing_sent_says_so(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, out, err = await infoshare("reminders", "history", "caldicott-3", env=env, cwd=tmp_path)
    assert (code, out, err) == (0, "nothing sent yet\n", "")


async def test_a_note_is_deleted_only_once_no_schedule_sends_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    async def reminders(*args: str) -> tuple[int, str, str]:
        return await infoshare("reminders", *args, env=env, cwd=tmp_path)

    code, out, _ = await reminders("note", "--title", "Lock your screen", "--text", "Win + L.")
    assert code == 0 and out.startswith("kept as note-1")
    for rule in ("every Monday 9:00", "every day 17:00"):
        assert (await reminders("schedule", "note-1", rule, "--to", "#general"))[0] == 0

    code, out, err = await reminders("delete", "note-1")
    assert (code, out) == (2, "")
    assert "schedules 1 and 2 still send note-1, so the note was kept: delete those" in err
    assert "note-1: Lock your screen" in (await reminders("list"))[1]

    assert (await reminders("delete", "1"))[:2] == (0, "schedule 1 deleted\n")
    code, _, err = await reminders("delete", "note-1")
    assert code == 2 and "schedule 2 still sends note-1" in err
    assert (await reminders("delete", "2"))[:2] == (0, "schedule 2 deleted\n")
    assert (await reminders("delete", "note-1"))[:2] == (0, "note-1 deleted\n")
    assert "note-1" not in (await reminders("list"))[1]
    code, _, err = await reminders("delete", "note-1")
    assert code == 2 and "there is no note 'note-1'" in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["schedule", "caldicott-3", "every Mondy 9:00", "--to", "#general"],
         "can't read the schedule: 'mondy' is not a day of the week"),
        (["schedule", "caldicott-3", "0 9 * * 9", "--to", "#general"],
         "day of week '9' is out of range 0-7"),
        (["schedule", "no-such-snippet", "every Monday 9:00", "--to", "#general"],
         "there is no reminder 'no-such-snippet'"),
        (["send", "caldicott-3", "--to", "general"], "'general' is not a destination"),
        (["preview", "note-7"], "there is no reminder 'note-7'"),
        (["pause", "4"], "there is no schedule 4"),
        (["delete", "x"], "'x' is not a whole number above 0"),
        (["delete", "note-7"], "there is no note 'note-7'"),
        (["history", "no-such-snippet"], "there is no reminder 'no-such-snippet'"),
        (["history", "--schedule", "4"], "there is no schedule 4"),
    ],
)  # fmt: skip
async def test_a_bad_argument_exits_2_naming_the_bad_part(
    env: dict[str, str], tmp_path: Path, args: list[str], says: str
) -> None:
    code, out, err = await infoshare("reminders", *args, env=env, cwd=tmp_path)
    assert code == 2
    assert says in err
    assert out == ""


async def test_send_from_the_command_line_reaches_slack_and_skips_a_gone_channel(
    fake_slack: FakeSlackApi, tmp_path: Path, knowledge: Knowledge
) -> None:
    fake_slack.add_channel("C0GENERAL1", "general")
    fake_slack.add_channel("C0LEFT0001", "left-behind", member=False)
    settings = make_settings(tmp_path, fake_slack.url)
    args = argparse.Namespace(reminder="check-recipients", to=["#general,", "C0LEFT0001", "#nope"])
    out = io.StringIO()

    code = await reminders_command("send", args, settings, platform_senders, out)

    assert code == 0
    posted = fake_slack.to("chat.postMessage")
    assert [c.params["channel"] for c in posted if c.answer.get("ok")] == ["C0GENERAL1"]
    assert posted[0].params["text"].startswith(knowledge.snippets["check-recipients"].title)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "slack:#general: sent",
        "slack:C0LEFT0001: gone (not_in_channel)",
        "slack:#nope: gone (channel_not_found)",
    ]
    assert lines[3] == "1 of 3 delivered"
    history = io.StringIO()
    history_args = argparse.Namespace(reminder="check-recipients", limit=10)
    await reminders_command("history", history_args, settings, platform_senders, history)
    assert (
        "check-recipients to slack:#nope: gone (channel_not_found), sent now" in history.getvalue()
    )


@pytest.fixture
async def policy_site() -> AsyncIterator[str]:
    """A local web server: /ok/... answers 200, /gone/... 404, /slow/... never in time."""

    async def answer(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        if kind == "slow":
            await asyncio.sleep(1.5)
        return web.Response(status={"ok": 200, "gone": 404}.get(kind, 200), text="policy")

    app = web.Application()
    app.router.add_route("*", "/{kind}/{page}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def knowledge_with(tmp_path: Path, site: str, gone: str, slow: str, old: str) -> Path:
    """The real knowledge, with every policy link on the local site (``gone`` answering 404,
    ``slow`` never answering) and snippet ``old`` last reviewed in 2024."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    lines, current = [], ""
    for line in (root / "organisation.yaml").read_text().splitlines():
        if match := re.match(r"\s*- id: (\S+)", line):
            current = match.group(1)
        if re.match(r"\s*url: ", line):
            kind = "gone" if current == gone else "slow" if current == slow else "ok"
            line = re.sub(r"url: .*", f"url: {site}/{kind}/{current}", line)
        lines.append(line)
    (root / "organisation.yaml").write_text("\n".join(lines) + "\n")
    snippet = root / "snippets" / f"{old}.md"
    snippet.write_text(
        re.sub(r"last_reviewed: .*", "last_reviewed: 2024-03-01", snippet.read_text())
    )
    return root


async def test_knowledge_stale_lists_overdue_snippets_and_links_that_dont_answer(
    env: dict[str, str], tmp_path: Path, policy_site: str
) -> None:
    root = knowledge_with(tmp_path, policy_site, "merton-secure-exchange", "", "disposal")
    env = {**env, "INFOSHARE_KNOWLEDGE_DIR": str(root)}

    code, out, _ = await infoshare("knowledge", "stale", env=env, cwd=tmp_path)

    assert code == 1
    assert "Disposing of information securely (disposal): last reviewed 2024-03-01" in out
    assert "1 snippets not reviewed since" in out
    assert f"(merton-secure-exchange): {policy_site}/gone/merton-secure-exchange (404)" in out
    assert "1 policy links no longer answer" in out

    code, out, _ = await infoshare(
        "knowledge", "stale", "--no-links", "--months", "48", env=env, cwd=tmp_path
    )
    assert code == 0
    assert "Every snippet has been reviewed since" in out
    assert "link" not in out


async def test_a_link_that_never_answers_times_out_rather_than_holding_the_digest(
    policy_site: str,
) -> None:
    urls = [
        f"{policy_site}/ok/a",
        f"{policy_site}/gone/b",
        f"{policy_site}/slow/c",
        "http://127.0.0.1:9/x",
    ]
    found = await check_links(urls, timeout=0.5)
    assert found == {urls[0]: None, urls[1]: "404", urls[2]: "timeout", urls[3]: "unreachable"}


async def test_the_monthly_digest_goes_to_the_ig_team_once_per_slot(
    tmp_path: Path, policy_site: str
) -> None:
    knowledge: Knowledge = load_knowledge(
        knowledge_with(tmp_path, policy_site, "intranet-ig-team", "", "printing")
    )
    ig = RecordingSender(known=["C0GENERAL1"])
    clock = Clock(dt.datetime(2026, 12, 7, 8, 59, tzinfo=dt.UTC))  # first Monday of December
    job = digest_job(
        knowledge,
        parse_rule("first Monday of the month 9:00"),
        [Destination(platform="slack", target="C0IGTEAM01")],
        12,
        check_links,
    )
    url = f"sqlite:///{tmp_path / 'db'}"
    one = await build(url, knowledge, clock, ig, digest=job)
    two = await build(url, knowledge, clock, ig, digest=job)
    try:
        assert await one.scheduler.tick() == []
        clock.advance(minutes=2)
        await asyncio.gather(one.scheduler.tick(), two.scheduler.tick())
        await one.scheduler.tick()
        assert ig.received == [("review-digest", "C0IGTEAM01")]
        history = await one.reminders.history("review-digest")
        assert [(d.destination, d.status, d.schedule) for d in history] == [
            ("slack:C0IGTEAM01", "sent", 0)
        ]
        built = await job.build(clock())
        assert "Printing" in built.text and "2024-03-01" in built.text
        assert "intranet-ig-team" in built.text and "(404)" in built.text
    finally:
        await one.store.close()
        await two.store.close()


def test_the_digest_runs_as_configured_and_not_when_off(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    ig = [Destination(platform="slack", target="C0IGTEAM01")]
    default = Settings.model_fields["reminder_digest_schedule"].default  # the tests turn it off
    settings = make_settings(tmp_path, "http://127.0.0.1:9/", reminder_stale_months=6,
                             reminder_digest_schedule=default)  # fmt: skip
    job = configured_digest(knowledge, settings, ig, None)
    assert job is not None and job.destinations == ig
    assert job.rule.text == "first Monday of the month 9:00"
    off = make_settings(tmp_path, "http://127.0.0.1:9/", reminder_digest_schedule="off")
    assert configured_digest(knowledge, off, ig, None) is None
    assert configured_digest(knowledge, settings, [], None) is None  # no IG channel configured


@pytest.mark.parametrize(
    ("to", "says"),
    [
        ("#general", "INFOSHARE_SLACK_BOT_TOKEN"),
        ("teams:KEY", "INFOSHARE_TEAMS_APP_ID"),
        ("everywhere", "no chat platform is configured"),
    ],  # fmt: skip
)
async def test_sending_where_no_platform_is_configured_is_refused_and_records_nothing(
    env: dict[str, str], tmp_path: Path, to: str, says: str
) -> None:
    code, _, err = await infoshare("reminders", "send", "check-recipients", "--to", to,
                                   env=env, cwd=tmp_path)  # fmt: skip
    assert code == 2 and says in err
    code, out, _ = await infoshare("reminders", "history", env=env, cwd=tmp_path)
    assert code == 0 and "nothing sent yet" in out
