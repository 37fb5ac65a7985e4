"""What a reminder is, where it goes and what became of it: the words the reminder core and the
platform senders (``adapters/*/reminders.py``) speak. Ids and error codes, never a staff
member's message text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.models import Link

Platform = Literal["slack", "teams"]
PLATFORMS: tuple[Platform, ...] = ("slack", "teams")
EVERYWHERE = "everywhere"
NOTE_PREFIX = "note-"  # a one-off note's id is this and its number: note-1, note-2, ...
_SLACK_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_ID = re.compile(r"[CGD][A-Z0-9]{6,}")  # public, private and direct channels


class Reminder(BaseModel):
    """A rendered reminder, ready to send: a policy snippet or a one-off text.

    ``ask`` is what the "Ask me about this" button chooses from the assistant's menu: the
    snippet's id, which opens it; None for a one-off text with no snippet behind it (the button
    then opens the menu).
    ``text`` is light Markdown, as in ``bot.models.Reply``.
    """

    model_config = ConfigDict(frozen=True)

    id: str  # the snippet id, or "note-N" for a one-off text
    title: str
    text: str
    links: list[Link] = []
    snippet: str | None = None
    ask: str | None = None


class Destination(BaseModel):
    """One place a reminder goes. Slack: a channel id ("C0123") or name ("#general"); Teams:
    the key of a conversation reference kept at installation (``ConversationReferences``)."""

    model_config = ConfigDict(frozen=True)

    platform: Platform
    target: str = Field(min_length=1, max_length=300)

    @property
    def key(self) -> str:
        """How the destination is written and stored: "slack:#general", "teams:KEY"."""
        return f"{self.platform}:{self.target}"

    @classmethod
    def parse(cls, text: str) -> Destination:
        """``#name``, a Slack channel id or mention (``<#C0123|general>``), ``slack:X`` or
        ``teams:KEY``; ValueError otherwise."""
        text = text.strip()
        mention = _SLACK_MENTION.fullmatch(text)  # how Slack sends a typed #channel
        if mention:
            return cls(platform="slack", target=mention.group(1))
        platform, sep, target = text.partition(":")
        if sep and platform.lower() in PLATFORMS:
            if not target.strip():
                raise ValueError(f"'{text}' names no {platform.lower()} destination")
            return cls(platform=platform.lower(), target=target.strip())
        if text.startswith("#") and len(text) > 1:
            return cls(platform="slack", target=text)
        if _SLACK_ID.fullmatch(text):
            return cls(platform="slack", target=text)
        raise ValueError(
            f"'{text}' is not a destination: write #channel-name, a Slack channel id like "
            "C0123ABCD, teams:KEY, or everywhere"
        )


DeliveryStatus = Literal["sent", "gone", "failed", "missed"]


class DeliveryResult(BaseModel):
    """What a sender made of one destination. ``gone``: the channel or conversation no longer
    takes messages from the app (channel_not_found, not_in_channel, Teams 403/404), recorded
    and skipped; ``failed``: anything else, after the sender's own retries. ``detail`` is an
    error code or HTTP status, never message text."""

    model_config = ConfigDict(frozen=True)

    destination: Destination
    status: Literal["sent", "gone", "failed"]
    detail: str | None = None


class Note(BaseModel):
    """A one-off reminder text an IG member wrote (stored, so a schedule can send it again)."""

    model_config = ConfigDict(frozen=True)

    id: str  # "note-N"
    title: str
    text: str
    link: str | None = None
    created_by: str  # pseudonym
    created: dt.datetime


class Schedule(BaseModel):
    """A reminder sent on a rule. ``destinations`` empty with ``everywhere`` True sends to every
    destination each sender knows of when the slot comes."""

    model_config = ConfigDict(frozen=True)

    id: int
    reminder: str  # snippet id or note id
    rule: str  # as written: "0 9 * * 1" or "every Monday 9:00"
    destinations: list[Destination] = []
    everywhere: bool = False
    paused: bool = False
    created_by: str  # pseudonym
    created: dt.datetime
    next_slot: dt.datetime | None  # UTC; None once a rule has no slot left


class Delivery(BaseModel):
    """One line of delivery history: one reminder to one destination (or a missed slot)."""

    model_config = ConfigDict(frozen=True)

    reminder: str
    schedule: int | None  # None: sent now, not on a schedule; 0: the review digest
    slot: dt.datetime | None  # the scheduled time it was for, UTC
    destination: str  # Destination.key, or "" for a slot missed as a whole
    status: DeliveryStatus
    detail: str | None
    time: dt.datetime  # when it was attempted, UTC
