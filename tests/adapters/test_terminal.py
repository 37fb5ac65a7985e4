"""How replies look in the terminal, and the interactive chat around them."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from adapters.terminal import LEAVE_HINT, chat_interactive, render, typed
from bot.models import Choice, Reply
from bot.settings import Settings
from tests.conftest import KNOWLEDGE

PURPOSE = "What do the police need the information for?"


def test_long_lines_wrap_at_words_with_bullets_indented() -> None:
    reply = Reply(
        conversation="c",
        text="A first paragraph that goes on well past the width of a narrow terminal window.\n\n"
        "- A bullet that is also far too long to fit on one line of forty characters.",
        choices=[Choice(id="yes", label="Yes")],
    )
    shown = render(reply, width=40).splitlines()
    assert max(len(line) for line in shown) <= 40
    bullet = shown.index(next(line for line in shown if line.startswith("- A bullet")))
    assert shown[bullet + 1].startswith("  ") and not shown[bullet + 1].startswith("   ")
    assert "  [1] Yes" in shown


def test_bold_is_plain_when_not_a_terminal_and_highlighted_when_it_is() -> None:
    reply = Reply(conversation="c", text="**Don't share.** Not yet.")
    assert render(reply).startswith("bot> Don't share. Not yet.")
    assert "\033[1mDon't share.\033[0m" in render(reply, bold=True)


# The interactive chat, end to end on a fresh SQLite database --------------------------------


async def chat_in_terminal(tmp_path: Path, *lines: str) -> tuple[int, str]:
    """Type ``lines`` into ``infoshare chat``; its exit code and everything it showed."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        redis_url=None,
        pseudonym_key="test-pseudonym-key-0123",
        knowledge_dir=KNOWLEDGE,
    )
    out = io.StringIO()
    code = await chat_interactive(settings, io.StringIO("".join(f"{x}\n" for x in lines)), out)
    return code, out.getvalue()


async def test_the_opening_says_how_to_leave_and_exit_or_quit_leaves(tmp_path: Path) -> None:
    for leave in ["exit", "Quit", "exit()"]:
        code, shown = await chat_in_terminal(tmp_path, "police want info", leave, "no")
        assert code == 0
        assert shown.count(LEAVE_HINT) == 1 and "Ctrl-D" in LEAVE_HINT
        assert "is anyone at immediate risk" in shown
        assert PURPOSE not in shown and "Cancelled" not in shown  # gone before "no"


async def test_control_characters_typed_never_reach_the_conversation(tmp_path: Path) -> None:
    # Ctrl-L, then an arrow key's escape sequence, before what was meant.
    code, shown = await chat_in_terminal(tmp_path, "police want info", "\x0cno", "\x1b[Aback")
    assert code == 0 and PURPOSE in shown
    assert "Sorry, I didn't catch that" not in shown
    assert shown.count("is anyone at immediate risk") == 2  # back went back
    assert typed("\x0c\x1b[A  start over\r") == "start over"


async def test_help_mid_flow_shows_the_questions_hint_once(tmp_path: Path) -> None:
    code, shown = await chat_in_terminal(tmp_path, "police want info", "no", "help")
    hint = "Ask the officer. Safeguarding means protecting a child"
    after_help = shown.split("you> ")[-2]  # the reply to "help" (the last is Ctrl-D's)
    assert after_help.count(hint) == 1
    assert "start over" in after_help and "cancel" in after_help and PURPOSE in after_help


async def test_after_cancel_a_number_picks_from_the_menu_shown(tmp_path: Path) -> None:
    code, shown = await chat_in_terminal(tmp_path, "police want info", "cancel", "1")
    *_, after_cancel, after_one, _ = shown.split("you> ")
    assert "Cancelled. Nothing was recorded." in after_cancel
    assert "[1] Police request" in after_cancel
    assert after_one.lstrip().startswith("bot> Request from the police.")


async def test_only_what_the_staff_member_typed_is_logged(tmp_path: Path) -> None:
    # The opening menu is asked for as a press, so nobody appears to have typed "help".
    await chat_in_terminal(tmp_path, "police want info", "exit")
    with sqlite3.connect(tmp_path / "x.db") as db:
        logged = [row[0] for row in db.execute("SELECT text FROM queries")]
    assert logged == ["police want info"]
