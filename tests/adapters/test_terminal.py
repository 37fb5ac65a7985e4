"""How replies look in the terminal."""

from __future__ import annotations

from adapters.terminal import render
from bot.models import Choice, Reply


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
