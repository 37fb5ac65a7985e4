"""Scheduled reminders against real databases (a SQLite file and PostgreSQL), with a clock the
test moves: a slot fires once, at its time, across restarts, summer time and racing instances."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import Knowledge
from bot.reminders.models import Destination, Schedule
from bot.reminders.service import ReminderError, parse_targets
from tests.bot.reminder_kit import Clock, Kit, RecordingSender, build
from tests.conftest import ROOT

UTC = dt.UTC
MONDAY_0859 = dt.datetime(2026, 11, 30, 8, 59, tzinfo=UTC)  # GMT: London time = UTC


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'infoshare.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
async def kits() -> AsyncIterator[list[Kit]]:
    """Every kit a test builds, closed after it."""
    made: list[Kit] = []
    yield made
    for kit in made:
        await kit.store.close()


async def instance(
    kits: list[Kit],
    url: str,
    knowledge: Knowledge,
    clock: Clock,
    sender: RecordingSender,
    **kw: object,
) -> Kit:
    kit = await build(url, knowledge, clock, sender, **kw)  # type: ignore[arg-type]
    kits.append(kit)
    return kit


async def test_a_schedule_fires_at_its_slot_and_not_before(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock, slack = Clock(MONDAY_0859), RecordingSender()
    kit = await instance(kits, url, knowledge, clock, slack)
    await kit.reminders.schedule(
        "passwords-and-screens", "every Monday 9:00", parse_targets(["#general"]), "u_ig"
    )

    assert await kit.scheduler.tick() == []
    clock.advance(seconds=59)
    assert slack.received == []
    clock.advance(seconds=1)
    await kit.scheduler.tick()
    assert slack.received == [("passwords-and-screens", "#general")]
    clock.advance(minutes=5)
    await kit.scheduler.tick()
    assert len(slack.received) == 1  # the slot went once; the next is a week away
    clock.advance(days=7)
    await kit.scheduler.tick()
    assert len(slack.received) == 2


async def test_a_restart_neither_repeats_nor_loses_a_slot(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock, slack = Clock(MONDAY_0859), RecordingSender()
    first = await instance(kits, url, knowledge, clock, slack)
    await first.reminders.schedule(
        "check-recipients", "0 9 * * 1", parse_targets(["C0GENERAL1"]), "u_ig"
    )
    clock.advance(minutes=1)
    await first.scheduler.tick()
    await first.store.close()
    kits.remove(first)

    # the server restarts on the same database: the slot already sent is not sent again
    again = await instance(kits, url, knowledge, clock, slack)
    await again.scheduler.tick()
    assert slack.received == [("check-recipients", "C0GENERAL1")]

    # down over the next Monday's slot, back 20 minutes late (grace 60): sent once on start-up
    await again.store.close()
    kits.remove(again)
    clock.advance(days=7, minutes=20)
    back = await instance(kits, url, knowledge, clock, slack)
    await back.scheduler.tick()
    await back.scheduler.tick()
    assert slack.received == [("check-recipients", "C0GENERAL1")] * 2
    history = await back.reminders.history("check-recipients")
    assert [d.status for d in history] == ["sent", "sent"]


async def test_a_slot_older_than_the_grace_period_is_recorded_as_missed(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock, slack = Clock(MONDAY_0859), RecordingSender()
    kit = await instance(kits, url, knowledge, clock, slack, grace_minutes=30)
    await kit.reminders.schedule(
        "clear-desk", "every weekday at 9:00", parse_targets(["#general"]), "u_ig"
    )
    clock.advance(hours=25)  # Tuesday 09:59: Monday's slot is a day late, Tuesday's 59 minutes
    outcomes = await kit.scheduler.tick()

    assert [o.status for o in outcomes] == ["missed", "missed"]
    assert slack.received == []
    history = await kit.reminders.history("clear-desk")
    assert [(d.status, d.slot) for d in history] == [
        ("missed", dt.datetime(2026, 12, 1, 9, tzinfo=UTC)),
        ("missed", dt.datetime(2026, 11, 30, 9, tzinfo=UTC)),
    ]
    clock.advance(days=1)  # Wednesday 09:59, 59 minutes late again: missed; Thursday is on time
    await kit.scheduler.tick()
    clock.now = dt.datetime(2026, 12, 3, 9, 0, 10, tzinfo=UTC)
    await kit.scheduler.tick()
    assert slack.received == [("clear-desk", "#general")]


async def test_two_schedulers_racing_for_one_slot_send_it_once(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock = Clock(MONDAY_0859)
    slack = RecordingSender(known=[f"C0CHAN{i:04d}" for i in range(20)], delay=0.001)
    one = await instance(kits, url, knowledge, clock, slack)
    two = await instance(kits, url, knowledge, clock, slack)
    for name in ("passwords-and-screens", "check-recipients", "caldicott-3"):
        await one.reminders.schedule(name, "every day 9:00", parse_targets(["everywhere"]), "u_ig")

    for day in range(3):  # three days, both instances ticking at the same moment
        clock.now = MONDAY_0859 + dt.timedelta(days=day, minutes=1, seconds=30)
        await asyncio.gather(one.scheduler.tick(), two.scheduler.tick())

    assert len(slack.received) == 3 * 3 * 20
    assert len(set(slack.received)) == 3 * 20  # same reminder, same channel, on three days
    assert len(await one.reminders.history(limit=1000)) == 3 * 3 * 20


async def test_a_slot_whose_sender_died_is_taken_over_after_its_lease(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock, slack = Clock(MONDAY_0859), RecordingSender(known=["C0AAAAAAA", "C0BBBBBBB"])
    dead = await instance(kits, url, knowledge, clock, slack, lease=dt.timedelta(minutes=2))
    alive = await instance(kits, url, knowledge, clock, slack, lease=dt.timedelta(minutes=2))
    made = await dead.reminders.schedule(
        "disposal", "0 9 * * *", parse_targets(["everywhere"]), "u_ig"
    )
    clock.advance(minutes=1)
    slot = dt.datetime(2026, 11, 30, 9, tzinfo=UTC)
    # the first instance claims the slot, sends to one channel, and dies before finishing
    claim = await dead.store.claim(made.schedule.id, slot, "dead", clock(), dt.timedelta(minutes=2))
    assert claim == "won"
    reminder = await dead.reminders.preview("disposal")
    await dead.reminders.deliverer.deliver(
        reminder, [Destination.parse("C0AAAAAAA")], made.schedule.id, slot
    )

    assert await alive.scheduler.tick() == []  # the lease still holds
    clock.advance(minutes=2, seconds=1)
    await alive.scheduler.tick()
    assert sorted(slack.received) == [("disposal", "C0AAAAAAA"), ("disposal", "C0BBBBBBB")]


async def test_a_gone_destination_is_recorded_and_the_rest_still_get_it(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock = Clock(MONDAY_0859)
    slack = RecordingSender(gone={"#archived"})
    teams = RecordingSender(platform="teams")
    kit = await build(url, knowledge, clock, slack, teams)
    kits.append(kit)

    targets = parse_targets(["#archived,", "#general", "and", "teams:conv-1"])
    results = await kit.reminders.send_now("secure-email", targets)

    assert sorted((r.destination.key, r.status) for r in results) == [
        ("slack:#archived", "gone"),
        ("slack:#general", "sent"),
        ("teams:conv-1", "sent"),
    ]
    history = await kit.reminders.history("secure-email")
    assert {(d.destination, d.status, d.detail) for d in history} == {
        ("slack:#archived", "gone", "channel_not_found"),
        ("slack:#general", "sent", None),
        ("teams:conv-1", "sent", None),
    }
    assert all(d.schedule is None and d.slot is None for d in history)


@pytest.mark.parametrize(
    ("rule", "start", "days", "expected"),
    [
        # spring: 01:30 doesn't exist on 29 March 2026; it fires at 02:30 BST (01:30 UTC), once
        ("every day 1:30", dt.datetime(2026, 3, 28, 2, tzinfo=UTC), 2,
         [dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
          dt.datetime(2026, 3, 30, 0, 30, tzinfo=UTC)]),
        # autumn: 01:30 happens twice on 25 October 2026; it fires the first time (BST), once
        ("30 1 * * *", dt.datetime(2026, 10, 24, 2, tzinfo=UTC), 2,
         [dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
          dt.datetime(2026, 10, 26, 1, 30, tzinfo=UTC)]),
        # 9:00 London stays 9:00 London across the change: 08:00 UTC in summer, 09:00 in winter
        ("every Sunday 9:00", dt.datetime(2026, 10, 17, 12, tzinfo=UTC), 9,
         [dt.datetime(2026, 10, 18, 8, tzinfo=UTC), dt.datetime(2026, 10, 25, 9, tzinfo=UTC)]),
    ],
)  # fmt: skip
async def test_summer_time_changes_fire_each_slot_once_at_london_time(
    url: str,
    knowledge: Knowledge,
    kits: list[Kit],
    rule: str,
    start: dt.datetime,
    days: int,
    expected: list[dt.datetime],
) -> None:
    clock, slack = Clock(start), RecordingSender()
    kit = await instance(kits, url, knowledge, clock, slack)
    await kit.reminders.schedule("golden-rule-1", rule, parse_targets(["#general"]), "u_ig")
    fired = []
    for _ in range(days * 48):  # ticking every half hour
        clock.advance(minutes=30)
        fired += [o.slot for o in await kit.scheduler.tick()]
    assert fired == expected
    assert slack.received == [("golden-rule-1", "#general")] * 2


async def test_a_slow_send_keeps_its_claim_so_no_other_instance_sends_it_too(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock = Clock(MONDAY_0859)
    channels = [f"C0SLOW{i:04d}" for i in range(6)]
    slow = RecordingSender(known=channels, delay=0.15)  # about a second for the slot
    lease = dt.timedelta(seconds=0.3)  # renewed every 0.1 s while sending
    one = await instance(kits, url, knowledge, clock, slow, lease=lease)
    two = await instance(kits, url, knowledge, clock, slow, lease=lease)
    await one.reminders.schedule("printing", "0 9 * * *", parse_targets(["everywhere"]), "u_ig")
    clock.advance(minutes=1)

    async def time_passes_and_the_other_instance_ticks() -> None:
        for _ in range(15):
            await asyncio.sleep(0.1)
            clock.advance(seconds=0.1)
            await two.scheduler.tick()

    await asyncio.gather(one.scheduler.tick(), time_passes_and_the_other_instance_ticks())
    assert sorted(slow.received) == [("printing", c) for c in channels]


async def test_two_server_processes_on_one_database_send_each_slot_once(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock = Clock(MONDAY_0859)
    kit = await instance(kits, url, knowledge, clock, RecordingSender())
    for name in ("passwords-and-screens", "check-recipients", "caldicott-3", "disposal"):
        await kit.reminders.schedule(name, "every day 9:00", parse_targets(["everywhere"]), "u_ig")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start_at = str(time.time() + 1.5)  # both processes loaded and waiting by then
    slot_time = (MONDAY_0859 + dt.timedelta(minutes=1, seconds=5)).isoformat()
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bot.reminder_race",
            url,
            slot_time,
            start_at,
            "25",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        for _ in range(2)
    ]
    sent = [int((await p.communicate())[0]) for p in processes]

    assert sum(sent) == 4 * 25  # every reminder to every channel, once between them
    history = await kit.reminders.history(limit=1000)
    assert len(history) == 4 * 25
    assert len({(d.reminder, d.destination) for d in history}) == 4 * 25


async def test_a_platform_down_at_the_slot_is_retried_on_the_next_tick_not_lost(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    clock = Clock(MONDAY_0859)
    slack = RecordingSender(known=["C0GENERAL1", "C0RANDOM01"], unreachable=1)
    kit = await instance(kits, url, knowledge, clock, slack)
    await kit.reminders.schedule(
        "working-away", "every Monday 9:00", parse_targets(["everywhere"]), "u_ig"
    )
    clock.advance(minutes=1)
    assert await kit.scheduler.tick() == []  # listing the channels failed: nothing sent
    assert slack.received == []
    clock.advance(seconds=30)
    await kit.scheduler.tick()
    assert sorted(slack.received) == [
        ("working-away", "C0GENERAL1"),
        ("working-away", "C0RANDOM01"),
    ]
    clock.advance(minutes=5)
    await kit.scheduler.tick()
    assert len(slack.received) == 2


async def test_a_note_a_schedule_sends_is_kept_and_one_none_sends_is_deleted(
    url: str, knowledge: Knowledge, kits: list[Kit]
) -> None:
    kit = await instance(kits, url, knowledge, Clock(MONDAY_0859), RecordingSender())
    sent = await kit.reminders.write_note("Lock your screen", "Windows key + L.", None, "u_ig")
    spare = await kit.reminders.write_note("Clear desk", "Nothing out overnight.", None, "u_ig")
    await kit.reminders.schedule(sent.id, "every Monday 9:00", parse_targets(["#a"]), "u_ig")
    await kit.reminders.schedule(sent.id, "every day 17:00", parse_targets(["#b"]), "u_ig")

    with pytest.raises(ReminderError, match=f"schedules 1 and 2 still send {sent.id}"):
        await kit.reminders.delete_note(sent.id)
    assert await kit.store.note(sent.id) == sent
    assert await kit.reminders.delete_note(spare.id) == spare
    assert await kit.store.note(spare.id) is None
    for gone in (spare.id, "note-99", "note-x"):
        with pytest.raises(ReminderError, match=f"there is no note '{gone}'"):
            await kit.reminders.delete_note(gone)
    await kit.reminders.delete(1)
    await kit.reminders.delete(2)
    await kit.reminders.delete_note(sent.id)
    assert await kit.store.notes() == []
    again = await kit.reminders.write_note("Lock your screen", "Windows key + L.", None, "u_ig")
    assert again.id == "note-3"  # a number is never reused: old history keeps its meaning


async def test_a_note_deleted_while_another_instance_schedules_it_leaves_no_broken_schedule(
    url: str, knowledge: Knowledge, kits: list[Kit], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(MONDAY_0859)
    one = await instance(kits, url, knowledge, clock, RecordingSender())
    two = await instance(kits, url, knowledge, clock, RecordingSender())
    note = await one.reminders.write_note("Lock your screen", "Win + L.", None, "u_ig")
    add_schedule = one.store.add_schedule

    async def once_the_other_deleted_it(*args: Any, **kwargs: Any) -> Schedule | None:
        assert await two.reminders.delete_note(note.id) == note  # no schedule sends it yet
        return await add_schedule(*args, **kwargs)

    # between the one instance finding the note and writing its schedule, the other deletes it
    monkeypatch.setattr(one.store, "add_schedule", once_the_other_deleted_it)
    with pytest.raises(ReminderError, match=f"there is no reminder '{note.id}'"):
        await one.reminders.schedule(note.id, "every day 9:00", parse_targets(["#a"]), "u_ig")
    assert await one.reminders.schedules() == []
