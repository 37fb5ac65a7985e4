"""Core replies -> Adaptive Cards (schema 1.5): pure functions building card JSON, no SDK.

The core speaks light Markdown; a card's TextBlock reads nearly the same subset (``**bold**``,
``- `` bullets, ``[title](url)``), so text passes through with headings made bold and each
paragraph its own block. Buttons are Action.Execute: the verb is the core's choice or action id,
the data names the card. Pressing one sends an ``adaptiveCard/action`` invoke, and the bot
answers with the card as it should now look (the answer given, no buttons). Every card carries
plain text for where cards aren't shown: ``fallbackText`` on the card, ``summary`` on the
message (notifications and previews).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from bot.models import Choice, Link, Reply, Summary
from bot.schema import Messages
from bot.summary import summary_sections

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"  # the newest schema Teams renders everywhere, mobile included
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ACTIONS_PER_SET = 5  # Teams shows a handful of buttons in a row and drops the rest
FALLBACK_LIMIT = 300
Card = dict[str, Any]
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.M)
_BULLET = re.compile(r"^\s*[-*]\s+")


def reply_card(reply: Reply, words: Messages, card_id: str, notice: str | None = None) -> Card:
    """A whole reply: its text (or the laid-out decision summary), ``notice`` (the adapter's
    own words), then its buttons, each naming ``card_id``."""
    if reply.summary is not None:
        body = _summary(reply, reply.summary, words)
    else:
        body = blocks(reply.text)
        if reply.help and reply.question:
            body.append(text_block(reply.help, isSubtle=True))
        if reply.links:
            body += blocks(_links(reply.links, words.labels.links))
    if notice:
        body.append(text_block(notice, isSubtle=True, separator=True))
    body += buttons(reply.choices, card_id) + buttons(reply.actions, card_id)
    return card(body, fallback(reply))


def card(body: list[dict[str, Any]], fallback_text: str) -> Card:
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": fallback_text,
        "body": body,
        "msteams": {"width": "Full"},
    }


def message(shown: Card, summary: str) -> dict[str, Any]:
    """An activity carrying ``shown``, with ``summary`` for notifications and previews."""
    return {
        "type": "message",
        "summary": summary,
        "attachments": [{"contentType": CARD_TYPE, "content": shown}],
    }


def answered(original: Card, label: str | None) -> Card:
    """A pressed card as it should now look: its buttons replaced by the answer given (or just
    gone, when the core didn't take the answer and asked again in a new message)."""
    shown = copy.deepcopy(original)
    shown["body"] = [b for b in shown.get("body", []) if b.get("type") != "ActionSet"]
    shown.pop("actions", None)
    shown.pop("refresh", None)
    if label is not None:
        shown["body"].append(text_block(f"✓ **{label}**", separator=True))
    return shown


def fallback(reply: Reply) -> str:
    """Plain text standing in for the card: its first paragraph and any decision reference."""
    first = reply.text.strip().split("\n\n", 1)[0]
    plain = _BOLD.sub(r"\1", _LINK.sub(r"\1", first))
    if reply.decision_id and reply.decision_id not in plain:
        plain = f"{_clip(plain, FALLBACK_LIMIT - 14)} {reply.decision_id}"
    return _clip(plain, FALLBACK_LIMIT)


def blocks(markdown: str) -> list[dict[str, Any]]:
    """Markdown as TextBlocks, a paragraph at a time. In a TextBlock Teams breaks a list at
    ``\r`` and any other line at a blank line, so bullets and plain lines go in runs."""
    found = []
    for paragraph in _HEADING.sub(r"**\1**", markdown).split("\n\n"):
        runs: list[tuple[bool, list[str]]] = []
        for line in paragraph.strip().split("\n"):
            bullet = bool(_BULLET.match(line))
            if not runs or runs[-1][0] != bullet:
                runs.append((bullet, []))
            runs[-1][1].append(_BULLET.sub("- ", line) if bullet else line)
        for n, (bullet, lines) in enumerate(runs):
            text = ("\r" if bullet else "\n\n").join(lines)
            if text.strip():
                found.append(text_block(text, spacing="Small") if n else text_block(text))
    return found


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def buttons(choices: Sequence[Choice], card_id: str) -> list[dict[str, Any]]:
    """Choices as rows of Action.Execute buttons: the verb is the core's id."""
    rows = [choices[i : i + ACTIONS_PER_SET] for i in range(0, len(choices), ACTIONS_PER_SET)]
    return [{"type": "ActionSet", "actions": [_button(c, card_id) for c in row]} for row in rows]


def hello(welcome: str, intro: str) -> Card:
    """What the bot says when it is installed somewhere."""
    return card([text_block(welcome, weight="Bolder"), text_block(intro)], welcome)


def _summary(reply: Reply, summary: Summary, words: Messages) -> list[dict[str, Any]]:
    labels = words.labels
    found: list[dict[str, Any]] = []
    lead, seen, _ = reply.text.partition(f"**{summary.title}.**")  # the core's opening line
    if seen and lead.strip():
        found += blocks(lead.strip())
    heading = [
        text_block(summary.title, size="Large", weight="Bolder"),
        text_block(f"**{summary.headline}**"),
        text_block(summary.meaning),
        {"type": "FactSet", "facts": [{"title": labels.reference, "value": summary.decision_id}]},
    ]
    found.append({"type": "Container", "style": "emphasis", "items": heading})
    for part in summary_sections(labels, summary):
        found += blocks(part)
    if summary.links:
        found += blocks(_links(summary.links, labels.links))
    found.append(text_block(summary.recorded))
    note = [
        text_block(words.platform.case_note, weight="Bolder"),
        text_block(summary.case_note.replace("\n", "\n\n"), fontType="Monospace", size="Small"),
    ]
    found.append({"type": "Container", "separator": True, "items": note})
    found.append(text_block(words.after_decision, isSubtle=True))
    return found


def _links(links: Sequence[Link], heading: str) -> str:
    return f"**{heading}**\n" + "\n".join(f"- [{link.title}]({link.url})" for link in links)


def _button(choice: Choice, card_id: str) -> dict[str, Any]:
    return {
        "type": "Action.Execute",
        "title": choice.label,
        "verb": choice.id,
        "data": {"card": card_id, "label": choice.label},
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
