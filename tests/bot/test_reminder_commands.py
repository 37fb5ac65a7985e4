"""What an IG member types in chat to manage reminders, and what everyone else is told."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from bot.reminders.commands import CommandReply, handle, is_reminder_command
from bot.reminders.words import load_words
from bot.yamlfile import KnowledgeError
from tests.bot.reminder_kit import Clock, Kit, RecordingSender, build

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)  # a Friday


@pytest.fixture
async def kit(tmp_path: Path, knowledge: Knowledge) -> AsyncIterator[Kit]:
    slack = RecordingSender(known=["C0GENERAL1", "C0RANDOM01"], gone={"#old-team"})
    made = await build(f"sqlite:///{tmp_path / 'db'}", knowledge, Clock(NOW), slack)
    yield made
    await made.store.close()


async def say(kit: Kit, text: str, allowed: bool = True) -> CommandReply:
    return await handle(text, allowed=allowed, user="u_ig0001", reminders=kit.reminders)


def test_only_messages_starting_with_reminder_are_commands() -> None:
    assert is_reminder_command("reminders")
    assert is_reminder_command("Reminder send x to #a")
    assert is_reminder_command("/reminders list")
    assert not is_reminder_command("can I remind the police about the request?")
    assert not is_reminder_command("the police want everything")


async def test_someone_outside_the_ig_team_is_refused_politely_and_the_attempt_logged(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        reply = await handle(
            "reminder send passwords-and-screens to everywhere",
            allowed=False,
            user="u_pseudonym42",
            reminders=kit.reminders,
        )
    assert reply.error == "refused"
    assert "Information Governance team" in reply.text
    assert kit.scheduler.deliverer.senders["slack"].received == []  # type: ignore[attr-defined]
    logged = [r.getMessage() for r in caplog.records]
    assert any("u_pseudonym42" in m and "send" in m for m in logged)
    assert not any("passwords-and-screens" in m or "everywhere" in m for m in logged)


async def test_list_shows_snippets_notes_and_schedules(kit: Kit) -> None:
    await say(kit, "reminder schedule clear-desk every Monday 9:00 to #general")
    reply = await say(kit, "reminders")
    assert reply.error is None
    assert "`passwords-and-screens`: Passwords and locking your screen" in reply.text
    assert (
        "1: `clear-desk` every Monday 9:00 to slack:#general (next Mon 30 Nov 2026 09:00 GMT)"
        in reply.text
    )


async def test_preview_gives_the_reminder_as_it_will_be_sent(kit: Kit) -> None:
    reply = await say(kit, "reminder preview passwords-and-screens")
    assert reply.preview is not None
    assert reply.preview.title == "Passwords and locking your screen"
    assert reply.preview.ask == "passwords-and-screens"  # the button opens this snippet
    assert [link.title for link in reply.preview.links] == [
        "IT policy (intranet)",
        "Information security policy (intranet)",
    ]


async def test_send_now_reports_what_was_delivered_and_what_is_gone(kit: Kit) -> None:
    reply = await say(kit, "reminder send check-recipients to #general, #old-team and C0RANDOM01")
    assert reply.error is None
    assert "2 of 3 delivered" in reply.text
    assert "slack:#old-team: gone (channel_not_found)" in reply.text
    history = await say(kit, "reminder history check-recipients")
    assert history.text.count("check-recipients") == 3
    assert "slack:#old-team: gone (channel_not_found), sent now" in history.text


async def test_a_schedule_is_confirmed_with_its_next_slots(kit: Kit) -> None:
    reply = await say(kit, "reminder schedule caldicott-3 every weekday at 8:30 to everywhere")
    assert reply.error is None
    assert "Schedule 1: `caldicott-3` every weekday at 8:30 to everywhere" in reply.text
    assert "Mon 30 Nov 2026 08:30 GMT" in reply.text
    cron = await say(kit, "reminder schedule caldicott-3 0 9 * * 1 to #general")
    assert "Schedule 2" in cron.text


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("reminder schedule caldicott-3 every Mondy 9:00 to #general", "'mondy' is not a day"),
        ("reminder schedule no-such-thing every Monday 9:00 to #general",
         "no reminder 'no-such-thing'"),
        ("reminder schedule caldicott-3 every Monday 9:00", "Write it as: reminder schedule"),
        ("reminder send caldicott-3 to general", "'general' is not a destination"),
        ("reminder pause 9", "There is no schedule 9"),
        ("reminder pause three", "'three' is not a schedule number"),
        ("reminder note Lock your screen, Jane Smith: press Windows+L", "leave out names"),
    ],
)  # fmt: skip
async def test_a_malformed_command_says_what_is_wrong_and_how_to_write_it(
    kit: Kit, typed: str, names: str
) -> None:
    reply = await say(kit, typed)
    assert reply.error == "invalid"
    assert names in reply.text
    assert "Reminder commands" in reply.text
    assert await kit.reminders.schedules() == []


async def test_an_unknown_command_gets_the_usage(kit: Kit) -> None:
    reply = await say(kit, "reminder blast everyone")
    assert reply.error == "usage"
    assert "I don't know 'blast'" in reply.text and "`reminder send ID to #channel`" in reply.text


async def test_pause_resume_and_delete_a_schedule(kit: Kit) -> None:
    await say(kit, "reminder schedule disposal every day 17:00 to #general")
    assert "paused" in (await say(kit, "reminder pause 1")).text
    assert (await kit.reminders.schedules())[0].paused
    resumed = await say(kit, "reminder resume 1")
    assert "next Fri 27 Nov 2026 17:00 GMT" in resumed.text
    assert "deleted" in (await say(kit, "reminder delete 1")).text
    assert await kit.reminders.schedules() == []


async def test_a_note_is_kept_and_can_be_sent(kit: Kit) -> None:
    reply = await say(
        kit,
        "reminder note Lock your screen: Press Windows+L every time you step away. https://intranet/it",
    )
    assert reply.preview is not None and reply.preview.id == "note-1"
    assert reply.preview.text == "Press Windows+L every time you step away."
    sent = await say(kit, "reminder send note-1 to everywhere")
    assert "2 of 2 delivered" in sent.text


async def test_a_note_is_deleted_in_chat_once_no_schedule_sends_it(kit: Kit) -> None:
    await say(kit, "reminder note Lock your screen: Press Windows+L every time.")
    await say(kit, "reminder schedule note-1 every Monday 9:00 to #general")
    kept = await say(kit, "reminder delete note-1")
    assert kept.error == "invalid"
    assert "Schedule 1 still sends note-1, so the note was kept: delete schedule 1 first" in (
        kept.text
    )
    assert (await say(kit, "reminder preview note-1")).preview is not None
    await say(kit, "reminder delete 1")
    deleted = await say(kit, "reminder delete note-1")
    assert (deleted.error, deleted.text) == (None, "Note `note-1` (Lock your screen) deleted.")
    gone = await say(kit, "reminder delete note-1")
    assert gone.error == "invalid" and "There is no note 'note-1'" in gone.text
    assert "`reminder delete note-N`" in gone.text  # the usage lists it


async def test_history_of_an_unknown_reminder_or_schedule_says_it_is_unknown(kit: Kit) -> None:
    unknown = await say(kit, "reminder history no-such-thing")
    assert unknown.error == "invalid" and "There is no reminder 'no-such-thing'" in unknown.text
    assert "There is no schedule 9" in (await say(kit, "reminder history 9")).text
    known = await say(kit, "reminder history clear-desk")
    assert (known.error, known.text) == (None, "Nothing sent yet.")


async def test_the_ig_team_can_reword_the_refusal_and_a_broken_file_names_its_line(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(knowledge.root, root)
    (root / "reminders.yaml").write_text(
        "refused: Only the IG team, sorry.\nusage: Try `reminder help`.\nunavailable: Later.\n"
    )
    reworded = dataclasses.replace(knowledge, root=root)
    kit = await build(f"sqlite:///{tmp_path / 'db'}", reworded, Clock(NOW), RecordingSender())
    try:
        assert (await say(kit, "reminders", allowed=False)).text == "Only the IG team, sorry."
        assert (await say(kit, "reminder help")).text == "Try `reminder help`."
    finally:
        await kit.store.close()

    (root / "reminders.yaml").write_text(
        "refused: Only the IG team.\nusage: x\nunavailable: Later.\nrefusd: typo\n"
    )
    load_words.cache_clear()
    with pytest.raises(KnowledgeError) as caught:
        load_words(root)
    assert [str(p) for p in caught.value.problems] == [
        "reminders.yaml:4: refusd: Extra inputs are not permitted"
    ]
    (root / "reminders.yaml").unlink()
    with pytest.raises(KnowledgeError, match="reminders.yaml: file is missing"):
        load_words(root)


async def test_a_mistyped_reminder_id_suggests_the_nearest_one(kit: Kit) -> None:
    assert "(did you mean caldicott-3?)" in (await say(kit, "reminder preview caldicot-3")).text
    reply = await say(kit, "reminder send lock-screen to #general")
    assert "There is no reminder 'lock-screen' (did you mean passwords-and-screens?)" in reply.text


async def test_a_channel_picked_from_slacks_autocomplete_is_understood(kit: Kit) -> None:
    reply = await say(kit, "reminder send clear-desk to <#C0GENERAL1|general> and <#C0RANDOM01>")
    assert "2 of 2 delivered" in reply.text
    assert kit.scheduler.deliverer.senders["slack"].received == [  # type: ignore[attr-defined]
        ("clear-desk", "C0GENERAL1"),
        ("clear-desk", "C0RANDOM01"),
    ]


async def test_history_of_one_schedule_shows_its_slots_and_what_failed(kit: Kit) -> None:
    await say(kit, "reminder schedule dpia every day 9:00 to #general and #old-team")
    await say(kit, "reminder schedule consent every day 9:00 to #general")
    kit.scheduler.clock.now = NOW.replace(day=28, hour=9, minute=0, second=5)  # type: ignore[attr-defined]
    await kit.scheduler.tick()
    reply = await say(kit, "reminder history 1")
    lines = reply.text.splitlines()[1:]
    assert len(lines) == 2 and all(
        "`dpia`" in line and "schedule 1 for Sat 28 Nov 2026 09:00 GMT" in line for line in lines
    )
    assert any("slack:#old-team: gone (channel_not_found)" in line for line in lines)


async def test_with_the_database_unreachable_the_ig_member_is_told_and_nothing_changes(
    postgres_url: str, knowledge: Knowledge
) -> None:
    kit = await build(postgres_url, knowledge, Clock(NOW), RecordingSender())
    await kit.store.close()  # its connections gone, as when the server goes away
    reply = await say(kit, "reminder schedule dpia every day 9:00 to #general")
    assert reply.error == "unavailable"
    assert "nothing was changed or sent" in reply.text
