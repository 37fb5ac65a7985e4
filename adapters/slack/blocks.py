"""Core replies -> Block Kit, built from slack_sdk's models so Slack's limits are checked.

The core speaks light Markdown (``**bold**``, ``- `` bullets, ``[title](url)``); Slack speaks
mrkdwn. Everything shown is escaped first (``&``, ``<``, ``>``), so no text, whoever wrote it,
can ping @channel, mention someone or forge a link; only the links we build are links.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.models import Choice, Link, Reply, Summary
from bot.schema import Messages, Snippet, Topic
from bot.summary import summary_sections

BLOCK_ID = "infoshare"  # prefix of every block holding our buttons; the app listens for it
MAX_BLOCKS = 50  # per message
MAX_HOME_BLOCKS = 100  # per App Home view
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
BUTTONS_PER_BLOCK = 25
FALLBACK_LIMIT = 300
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.M)
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.M)


def escape(text: str) -> str:
    """Text made inert for mrkdwn: Slack's three control characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(markdown: str) -> str:
    """The core's light Markdown as Slack mrkdwn, escaped."""
    text = escape(markdown)
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    text = _BOLD.sub(r"*\1*", text)
    text = _HEADING.sub(r"*\1*", text)
    return _BULLET.sub(r"\1• ", text)


def reply_blocks(reply: Reply, words: Messages, notice: str | None = None) -> list[dict[str, Any]]:
    """A whole reply as Block Kit JSON: its text (or the laid-out decision summary), then
    ``notice`` (mrkdwn the adapter wrote, shown as it is), then its buttons.

    The models check Slack's limits as they serialise, which costs more than everything else
    in a turn. A question's message is the same for everyone who reaches it, and most of a
    summary is the same for every decision on that path, so those parts are serialised once
    and kept; only a summary's reference and case note are new each time. The dicts are shared
    between messages: send them, don't change them.
    """
    if reply.summary is None:
        shown = reply.model_copy(update={"conversation": "-"}).model_dump_json()  # same for all
        return list(_serialised(shown, words, notice))
    summary = reply.summary
    lead, found, _ = reply.text.partition(f"**{summary.title}.**")  # the core's opening line
    same = summary.model_copy(update={"decision_id": "", "case_note": ""}).model_dump_json()
    body = list(_summary_head(lead.strip() if found else "", same, words))
    body += _summary_tail(summary, words, notice)
    controls = _controls_json(_ids(reply.choices), _ids(reply.actions))
    return body[: MAX_BLOCKS - len(controls)] + controls


@lru_cache(maxsize=1024)
def _serialised(reply: str, words: Messages, notice: str | None) -> list[dict[str, Any]]:
    shown = Reply.model_validate_json(reply)
    body = sections(shown.text)
    if shown.help and shown.question:
        body.append(context(shown.help))
    if shown.links:
        body += sections(_links(shown.links, words.labels.links))
    if notice:
        body.append(ContextBlock(elements=[MarkdownTextObject(text=notice)]))
    controls = _controls(shown)
    return [b.to_dict() for b in body[: MAX_BLOCKS - len(controls)] + controls]


def _controls(reply: Reply) -> list[Block]:
    return buttons("choices", reply.choices) + buttons("actions", reply.actions)


@lru_cache(maxsize=256)
def _controls_json(
    choices: tuple[tuple[str, str], ...], actions: tuple[tuple[str, str], ...]
) -> list[dict[str, Any]]:
    """A summary's buttons, the same after every decision: serialised once."""
    shown = Reply(
        conversation="-",
        text="",
        choices=[Choice(id=i, label=label) for i, label in choices],
        actions=[Choice(id=i, label=label) for i, label in actions],
    )
    return [b.to_dict() for b in _controls(shown)]


def _ids(choices: Sequence[Choice]) -> tuple[tuple[str, str], ...]:
    return tuple((c.id, c.label) for c in choices)


def fallback(reply: Reply) -> str:
    """The plain text Slack shows in notifications and to screen readers without blocks."""
    first = reply.text.strip().split("\n\n", 1)[0]
    return escape(_clip(_BOLD.sub(r"\1", first), FALLBACK_LIMIT))


def answered(original: Sequence[dict[str, Any]], label: str | None) -> list[dict[str, Any]]:
    """A pressed message as it should now look: its buttons replaced by the answer given (or
    just gone, when the core didn't take the answer and asked again below). The rest is the
    Block Kit we posted, as Slack sends it back: already checked, so passed on as it is."""
    kept = [b for b in original if isinstance(b, dict) and b.get("type") != "actions"]
    if label is None:
        return kept[:MAX_BLOCKS]
    return [*kept[: MAX_BLOCKS - 1], context(f"✓ **{label}**").to_dict()]


def is_summary(original: Sequence[dict[str, Any]]) -> bool:
    """Whether a message we posted is a decision summary (the only kind with a header)."""
    return any(isinstance(b, dict) and b.get("type") == "header" for b in original)


def in_place(
    original: Sequence[dict[str, Any]], label: str | None, shown: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A pressed question turned into the reply to it, so one Web API call both retires its
    buttons and shows what comes next: a line with the question and the answer given (none
    when the core didn't take the answer), then the reply. Its buttons get block ids of their
    own, so a press on them is told apart from a (double) press on what they replaced."""
    fresh = secrets.token_hex(4)
    body = [
        {**b, "block_id": f"{b['block_id']}-{fresh}"} if b.get("type") == "actions" else b
        for b in shown
    ]
    if label is None or len(body) >= MAX_BLOCKS:
        return body
    asked = _question(original)
    said = f"✓ {_clip(asked, HEADER_LIMIT)}  *{escape(label)}*" if asked else f"✓ *{escape(label)}*"
    return [_context_json(said), *body]


def _question(original: Sequence[dict[str, Any]]) -> str:
    """What a message we posted asked: its last paragraph with a question mark (else its first
    line), from the mrkdwn Slack sent back, already escaped."""
    paragraphs = [
        p.strip()
        for b in original
        if isinstance(b, dict) and b.get("type") == "section"
        for p in str((b.get("text") or {}).get("text", "")).split("\n\n")
        if p.strip()
    ]
    asked = [p for p in paragraphs if "?" in p]
    return (asked[-1] if asked else paragraphs[0].split("\n", 1)[0]) if paragraphs else ""


def sections(markdown: str) -> list[Block]:
    """Markdown as as many sections as Slack's 3,000-character limit needs."""
    return [SectionBlock(text=MarkdownTextObject(text=part)) for part in _chunks(mrkdwn(markdown))]


def context(markdown: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=_clip(mrkdwn(markdown), SECTION_LIMIT))])


def buttons(kind: str, choices: Sequence[Choice]) -> list[Block]:
    """Choices as buttons; each sends the core's id (``value``) and names it (``action_id``)."""
    rows = [choices[i : i + BUTTONS_PER_BLOCK] for i in range(0, len(choices), BUTTONS_PER_BLOCK)]
    return [
        ActionsBlock(block_id=f"{BLOCK_ID}-{kind}-{n}", elements=[_button(c) for c in row])
        for n, row in enumerate(rows)
    ]


def home_view(welcome: str, menu: str, topics: Iterable[Topic], principles: Snippet) -> View:
    """App Home: what the assistant does, a button to start each topic, and the Caldicott
    principles."""
    blocks: list[Block] = [*sections(welcome), *sections(menu)]
    for topic in topics:
        blocks.append(
            SectionBlock(
                block_id=f"{BLOCK_ID}-home-{topic.id}",
                text=MarkdownTextObject(text=_clip(mrkdwn(topic.description), SECTION_LIMIT)),
                accessory=_button(Choice(id=topic.id, label=topic.label)),
            )
        )
    blocks += [DividerBlock(), _header(principles.title), *sections(principles.text)]
    blocks.append(context(principles.source))
    return View(type="home", blocks=blocks[:MAX_HOME_BLOCKS])


@lru_cache(maxsize=256)
def _summary_head(lead: str, summary: str, words: Messages) -> list[dict[str, Any]]:
    """What every decision on one path shows alike: the outcome, steps, basis, rules, links."""
    shown = Summary.model_validate_json(summary)
    blocks: list[Block] = sections(lead) if lead else []
    blocks.append(_header(shown.title))
    blocks += sections(f"**{shown.headline}**\n{shown.meaning}")
    for part in summary_sections(words.labels, shown):
        blocks += sections(part)
    if shown.links:
        blocks += sections(_links(shown.links, words.labels.links))
    return [b.to_dict() for b in blocks]


def _summary_tail(summary: Summary, words: Messages, notice: str | None) -> list[dict[str, Any]]:
    """What is new with each decision: its reference and the note for the case record. Built
    as JSON directly, clipped to Slack's limits here: the models' checks cost a millisecond."""
    recorded = mrkdwn(summary.recorded)
    note = escape(summary.case_note)  # a code block: pasted as it is into the case record
    return [
        _context_json(recorded),
        {"type": "divider"},
        *(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"```{part}```"}}
            for part in _chunks(note, SECTION_LIMIT - 6)
        ),
        _context_json(mrkdwn(words.after_decision)),
        *([_context_json(notice)] if notice else []),
    ]


def _context_json(text: str) -> dict[str, Any]:
    """A context block of mrkdwn ``text`` (already escaped), clipped to Slack's limit."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}]}


def _links(links: Sequence[Link], heading: str) -> str:
    return f"**{heading}**\n" + "\n".join(f"- [{link.title}]({link.url})" for link in links)


def _button(choice: Choice) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=_clip(choice.label, BUTTON_LIMIT)),
        action_id=choice.id,
        value=choice.id,
    )


def _header(text: str) -> Block:
    return HeaderBlock(text=PlainTextObject(text=_clip(text, HEADER_LIMIT)))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split at line ends where possible so no part is over ``limit`` characters."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            candidate = line
        current = candidate
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()] or [" "]
