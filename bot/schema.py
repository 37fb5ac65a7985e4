"""The shape of the knowledge files the IG team edits, as pydantic models.

Each model mirrors one kind of file under ``knowledge/``. Checks that span
several files (a flow naming a snippet that does not exist, say) live in
``bot.knowledge``; the checks here are the ones a single file can fail.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    RootModel,
    model_validator,
)

TOPICS = (
    "police", "professional", "family", "own-records", "statistics", "routine",
    "breach", "security", "principles", "urgent", "unknown",
)  # fmt: skip
OUTCOMES = (
    "act-now", "share", "share-minimum", "not-yet", "do-not-share",
    "subject-access", "refer-ig", "report-breach",
)  # fmt: skip
DECISION_TOPICS = (
    "police",
    "professional",
    "family",
    "own-records",
    "statistics",
    "routine",
    "breach",
)
INFO_TOPICS = ("security", "principles")

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be lower-case words joined by hyphens, like 'court-order'")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
TopicId = Literal[
    "police", "professional", "family", "own-records", "statistics", "routine",
    "breach", "security", "principles", "urgent", "unknown",
]  # fmt: skip
OutcomeId = Literal[
    "act-now", "share", "share-minimum", "not-yet", "do-not-share",
    "subject-access", "refer-ig", "report-breach",
]  # fmt: skip
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Unknown keys are typos in an IG-edited file: refuse them rather than ignore them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyLink(Strict):
    id: Id
    title: Text
    url: HttpUrl


class Contact(Strict):
    name: Text
    email: str | None = None
    phone: str | None = None
    hours: str | None = None


class Organisation(Strict):
    """``knowledge/organisation.yaml``: who the assistant speaks for."""

    name: Text
    short_name: Text
    ig_team: Contact
    front_door: Contact
    caldicott_guardian: Text
    dpo: Contact | None = None
    policy_links: list[PolicyLink] = Field(min_length=1)


class Outcome(Strict):
    """``knowledge/outcomes.yaml``: the meaning of each outcome id, shown with every result."""

    id: OutcomeId
    title: Text
    meaning: Text


class Branch(Strict):
    """One arm of a conditional ``then``: go to ``go`` when earlier answers match ``when``."""

    when: dict[Id, Id | list[Id]] = {}
    go: Id


class ChoiceSpec(Strict):
    id: Id
    label: Text
    says: list[Text] = []  # extra typed words that mean this choice
    go: Id | None = None
    then: list[Branch] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ChoiceSpec:
        if (self.go is None) == (self.then is None):
            raise ValueError(f"choice '{self.id}' needs exactly one of 'go' or 'then'")
        if self.then is not None and self.then[-1].when:
            raise ValueError(f"choice '{self.id}': the last arm of 'then' must have no 'when'")
        return self

    def targets(self) -> list[str]:
        return [self.go] if self.go is not None else [arm.go for arm in self.then or []]


class QuestionSpec(Strict):
    id: Id
    text: Text
    help: Text
    why: Text
    short: Text  # how the answer reads in the case record, e.g. "Officer's identity verified"
    fills: Literal["requester", "purpose"] | None = None
    rules: list[Id] = []
    choices: list[ChoiceSpec] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_choices(self) -> QuestionSpec:
        _refuse_duplicates([c.id for c in self.choices], f"question '{self.id}' choice")
        return self


class ResultSpec(Strict):
    """An ending of a flow: one outcome id with guidance for the path that led there."""

    id: Id
    outcome: OutcomeId
    headline: Text
    do: list[Text] = Field(min_length=1)
    share: list[Text] = []
    send: list[Text] = []
    record: list[Text] = Field(min_length=1)
    basis: Text
    rules: list[Id] = []
    links: list[Id] = []

    @model_validator(mode="after")
    def _whole_sentences(self) -> ResultSpec:
        for name in ("do", "share", "send", "record"):
            for item in getattr(self, name):
                if not item[0].isupper() and not item[0].isdigit() and item[0] not in "\"'":
                    raise ValueError(
                        f"{name}: '{item}' should start with a capital letter. If a comma split "
                        "a sentence in a [..] list, put each item on its own '- ' line"
                    )
        return self


class Flow(Strict):
    """``knowledge/flows/<topic>.yaml``: the questions of one topic and where they lead."""

    topic: TopicId
    title: Text
    opening: Text
    requester: Text
    purpose: Text
    start: Id
    questions: list[QuestionSpec] = []
    results: list[ResultSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _graph(self) -> Flow:
        ids = [q.id for q in self.questions] + [r.id for r in self.results]
        _refuse_duplicates(ids, "question or result id")
        known = set(ids)
        if self.start not in known:
            raise ValueError(f"start '{self.start}' is not a question or result of this flow")
        asked: set[str] = set()
        for question in self.questions:
            asked.add(question.id)
            for choice in question.choices:
                for arm in choice.then or []:
                    for earlier in arm.when:
                        if earlier not in asked:
                            raise ValueError(
                                f"question '{question.id}' choice '{choice.id}': 'when' names "
                                f"'{earlier}', which is not asked before it"
                            )
                for target in choice.targets():
                    if target not in known:
                        raise ValueError(
                            f"question '{question.id}' choice '{choice.id}' goes to '{target}', "
                            "which is not a question or result of this flow"
                        )
        return self


class Topic(Strict):
    """``knowledge/topics.yaml``: how each topic is offered and recognised in free text."""

    id: TopicId
    label: Text  # short button label
    description: Text
    overview: Id | None = None  # for security and principles: the snippet to start from
    terms: dict[str, float] = {}  # word or phrase -> weight when it appears in a message


class Examples(RootModel[dict[TopicId, list[Text]]]):
    """``knowledge/examples.yaml``: messages as staff phrase them, under the topic each is about.

    The router learns from them; a phrasing that went to the wrong topic is fixed by adding it
    under the right one.
    """

    @model_validator(mode="after")
    def _every_topic(self) -> Examples:
        present = {str(topic) for topic, said in self.root.items() if said}
        missing = [t for t in TOPICS if t not in present]
        if missing:
            raise ValueError(f"every topic needs examples; none for: {', '.join(missing)}")
        return self


class Snippet(Strict):
    """``knowledge/snippets/*.md``: front matter plus a Markdown body (the ``text``)."""

    id: Id
    title: Text
    topic: TopicId
    keywords: list[Text] = []
    related: list[Id] = []
    links: list[Id] = []
    source: Text
    last_reviewed: dt.date
    text: Text


def _refuse_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} '{item}' appears twice")
        seen.add(item)


COMMANDS = ("start-over", "back", "cancel", "help", "why", "talk-to-ig")
CommandId = Literal["start-over", "back", "cancel", "help", "why", "talk-to-ig"]


class Phrases(Strict):
    """``knowledge/phrases.yaml``: typed answers, commands and greetings."""

    answers: dict[Id, list[Text]]
    commands: dict[CommandId, list[Text]]
    command_labels: dict[CommandId, Text]
    greetings: list[Text]

    @model_validator(mode="after")
    def _every_command(self) -> Phrases:
        for name, table in (("commands", self.commands), ("command_labels", self.command_labels)):
            missing = [c for c in COMMANDS if c not in table]
            if missing:
                raise ValueError(f"{name} is missing {', '.join(missing)}")
        return self


# The placeholders each message may use; anything else in braces is a typo.
MESSAGE_FIELDS: dict[str, set[str]] = {
    "unknown": {"ig_team", "ig_contact"},
    "not_understood": {"question"},
    "ambiguous": {"question"},
    "why_decision": {"decision_id"},
    "decision_intro": {"decision_id"},
    "ig_contact": {"ig_team", "ig_contact", "caldicott_guardian"},
    "recorded": {"decision_id"},
    "recorded_revision": {"decision_id", "revises"},
    "back_after_decision": {"decision_id"},
    "cancelled_after_decision": {"decision_id"},
    "restarted_after_decision": {"decision_id"},
    "record_failed": {"ig_team", "ig_contact"},
    "handoff_sent": {"where"},
}


def _check_placeholders(model: BaseModel) -> None:
    for name, value in model:
        if not isinstance(value, str):
            continue
        allowed = MESSAGE_FIELDS.get(name, set())
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        unknown = used - allowed
        if unknown:
            words = ", ".join("{" + u + "}" for u in sorted(unknown))
            can = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            raise ValueError(f"{name}: unknown placeholder {words} (can use: {can})")


class Labels(Strict):
    """Headings of the decision summary and the fields of the case-record note."""

    do: Text
    share: Text
    send: Text
    record: Text
    basis: Text
    rules: Text
    links: Text
    reference: Text
    replaces: Text
    date: Text
    requester: Text
    purpose: Text
    shared: Text
    decision: Text
    reasons: Text
    nothing_shared: Text
    version: Text


class PlatformWords(Strict):
    """What the chat platforms (Slack, Teams) say around the core's replies."""

    intro_personal: Text  # said when the app is added for one person
    intro_shared: Text  # said when it is added to a channel or group chat
    continued_in_dm: Text  # /infoshare used in a channel: the answer went to direct messages
    handoff_title: Text
    handoff_from: Text
    handoff_topic: Text
    handoff_answers: Text
    handoff_outcome: Text
    handoff_link: Text
    handoff_sent: Text
    case_note: Text
    someone: Text
    not_yet: Text
    # Policy reminders, as the platforms show them.
    reminder_ask: Text = "Ask me about this"  # the button under every reminder
    reminder_footer: Text = "A reminder from the Information Governance team"

    @model_validator(mode="after")
    def _placeholders(self) -> PlatformWords:
        _check_placeholders(self)
        return self


class WebWords(Strict):
    """What the web chat page (``/chat``) says around the core's replies."""

    title: Text
    intro: Text
    message_label: Text
    message_hint: Text
    send: Text
    you: Text  # before each thing the staff member said, for screen readers
    assistant: Text
    choices: Text  # names the group of answer buttons
    actions: Text  # names the group of command buttons
    copy_note: Text
    copied_note: Text
    copy_failed: Text
    new_tab: Text  # after a link's title, for screen readers
    working: Text
    offline: Text
    failed: Text
    bad_request: Text
    too_long: Text
    no_script: Text


class HelpWords(Strict):
    """What "help" says: where the conversation stands, then a line for each command that
    works there (Markdown; each line becomes a bullet)."""

    question_intro: Text  # mid-flow, before the commands; the question follows
    decision_intro: Text  # after a decision, before the commands
    menu_intro: Text  # at the menu, between the welcome and the topics
    why: Text
    why_decision: Text  # "why" once a decision is made
    back: Text
    back_decision: Text  # "back" once a decision is made: it stays, a new one replaces it
    start_over: Text
    cancel: Text
    talk_to_ig: Text

    @model_validator(mode="after")
    def _placeholders(self) -> HelpWords:
        _check_placeholders(self)
        return self


class Messages(Strict):
    """``knowledge/messages.yaml``: what the assistant says outside flows and snippets."""

    welcome: Text
    menu: Text
    unknown: Text
    not_understood: Text
    ambiguous: Text  # a typed answer that fits more than one choice
    unknown_choice: Text
    no_numbered_choices: Text  # a number typed when nothing numbered is on offer
    new_topic: Text
    cancelled: Text
    restarted: Text
    cancelled_after_decision: Text  # the decision made stays recorded: never "nothing was"
    restarted_after_decision: Text
    nothing_to_undo: Text
    back_after_decision: Text  # going back from a decision: it stays, a new one replaces it
    why_nothing: Text
    why_decision: Text  # "why" after a decision: what it rests on
    ig_contact: Text
    recorded: Text
    recorded_revision: Text  # a decision made after going back from an earlier one
    record_failed: Text
    after_decision: Text
    info_more: Text
    no_identifiers_needed: Text  # said once per conversation when a name or identifier is typed
    contact_missing: Text
    case_note_title: Text
    help: HelpWords
    labels: Labels
    platform: PlatformWords
    web: WebWords

    @model_validator(mode="after")
    def _placeholders(self) -> Messages:
        _check_placeholders(self)
        return self
