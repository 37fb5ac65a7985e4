"""The words the core and its adapters speak: a turn in, a reply out, a decision record kept."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Channel = str  # "cli", "slack", "teams", "web": where a turn came from


class Turn(BaseModel):
    """One thing a staff member did: typed ``text`` or pressed the button ``choice``."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = "cli"
    conversation: str = Field(min_length=1, max_length=200)
    user: str = Field(min_length=1, max_length=200)
    text: str | None = Field(default=None, max_length=4000)
    choice: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _text_or_choice(self) -> Turn:
        if (self.text is None) == (self.choice is None):
            raise ValueError("a turn needs exactly one of 'text' or 'choice'")
        return self


class Choice(BaseModel):
    id: str
    label: str


class Link(BaseModel):
    title: str
    url: str


class Rule(BaseModel):
    """A rule a decision relied on: a policy snippet's id, title and source."""

    id: str
    title: str
    source: str


class Summary(BaseModel):
    """The decision summary shown at the end of a flow, in parts a renderer can lay out."""

    outcome: str
    title: str
    meaning: str
    headline: str
    do: list[str]
    share: list[str]
    send: list[str]
    record: list[str]
    basis: str
    rules: list[Rule]
    links: list[Link]
    decision_id: str
    recorded: str  # the line saying it is recorded (and what it replaces), Markdown
    case_note: str  # plain text, ready to paste into the case record


class Handoff(BaseModel):
    """What a platform passes to the IG team when a staff member asks for them (no free text)."""

    topic: str | None
    answers: list[tuple[str, str]]
    outcome: str | None
    decision_id: str | None


class Reply(BaseModel):
    """Everything an adapter needs to show the core's answer; platform-neutral.

    ``text`` is light Markdown (``**bold**``, ``- `` bullets, blank-line paragraphs) that each
    platform renders in its own way.
    """

    conversation: str
    topic: str | None = None
    question: str | None = None
    text: str
    help: str | None = None
    choices: list[Choice] = []
    actions: list[Choice] = []  # commands offered beside the choices: why, back, start over...
    links: list[Link] = []
    outcome: str | None = None
    decision_id: str | None = None
    summary: Summary | None = None
    handoff: Handoff | None = None
    error: str | None = None


class DecisionRecord(BaseModel):
    """One logged decision (golden rule 7). Ids only: never a staff member's free text."""

    model_config = ConfigDict(frozen=True)

    id: str
    time: dt.datetime
    channel: Channel
    user: str  # keyed hash of the platform's user id
    topic: str
    answers: list[tuple[str, str]]  # (question id, choice id), in the order asked
    outcome: str
    knowledge_version: str
    revises: str | None = None  # the decision this replaces: made, then gone back from


QueryKind = Literal["question", "answer", "command"]


class QueryRecord(BaseModel):
    """One message a staff member typed, for the anonymised query log: its text only after
    redaction (``bot.redaction``), the hour it came in, and where it went.

    ``kind`` is "question" for free text the router read (``topic`` is the topic it routed to,
    or "help" for a greeting, and ``confidence`` the router's), "answer" for a typed answer to
    the question on screen and "command" for a typed command (``topic`` is then the
    conversation's topic, or None, and ``confidence`` None). ``helped`` is False when the
    message was outside what the assistant can help with (topic ``unknown``).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    time: dt.datetime  # UTC, rounded down to the hour
    channel: Channel
    user: str  # keyed hash of the platform's user id
    text: str  # redacted
    kind: QueryKind
    topic: str | None
    confidence: float | None
    helped: bool


class FlowProgress(BaseModel):
    """How far one guided flow got, for the analytics dashboard's "where conversations were
    abandoned". ``id`` is random, made when the flow starts and linked to no user or
    conversation; times are on the hour, like the query log's."""

    model_config = ConfigDict(frozen=True)

    id: str
    started: dt.datetime  # UTC, on the hour; kept from the first write
    channel: Channel
    topic: str
    question: str  # the last question asked
    outcome: str | None  # set once the flow reaches a decision
    updated: dt.datetime  # UTC, on the hour


Mode = Literal["idle", "menu", "question", "info", "done"]


class ConversationState(BaseModel):
    """Where a conversation stands. Ids only, so a shared store never holds free text."""

    topic: str | None = None
    question: str | None = None
    answers: list[tuple[str, str]] = []
    mode: Mode = "idle"
    offered: list[str] = []  # choice ids the last reply offered
    outcome: str | None = None
    decision_id: str | None = None
    revising: str | None = None  # the decision gone back from, which a new one will replace
    identifiers_noted: bool = False  # told once that names and identifiers aren't needed
    flow: str | None = None  # the running flow's random progress id (bot.progress)

    def copied(self) -> ConversationState:
        """A copy to change, lists included: a tenth of the cost of a deep copy, because the
        fields are flat (strings, and lists of strings or of string pairs)."""
        return self.model_copy(update={n: list(getattr(self, n)) for n in _LISTS})

    def reset(self) -> None:
        """Forget the conversation so far, in place (but not what it has been told once)."""
        for name, info in type(self).model_fields.items():
            if name not in _KEPT_ON_RESET:
                setattr(self, name, info.get_default(call_default_factory=True))


_KEPT_ON_RESET = frozenset({"identifiers_noted"})
_LISTS = tuple(n for n, f in ConversationState.model_fields.items() if f.annotation is not None
               and getattr(f.annotation, "__origin__", None) is list)  # fmt: skip
