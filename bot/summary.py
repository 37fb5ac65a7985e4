"""The decision summary: what staff read at the end of a flow, and the note for the case record."""

from __future__ import annotations

import datetime as dt
import secrets

from bot.flows import Answers, FlowMap
from bot.knowledge import Knowledge
from bot.models import Link, Rule, Summary
from bot.schema import Labels, PolicyLink, ResultSpec

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O or U to misread


def new_decision_id() -> str:
    """A reference staff can read out over the phone: ``D-7K3M-Q9XA``."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"D-{chars[:4]}-{chars[4:]}"


def build_summary(
    knowledge: Knowledge,
    flow: FlowMap,
    result: ResultSpec,
    answers: Answers,
    decision_id: str,
    time: dt.datetime,
    revises: str | None = None,
) -> Summary:
    outcome = knowledge.outcomes[result.outcome]
    rules = [
        Rule(id=s.id, title=s.title, source=s.source)
        for s in (knowledge.snippets[r] for r in result.rules)
    ]
    summary = Summary(
        outcome=result.outcome,
        title=outcome.title,
        meaning=outcome.meaning,
        headline=result.headline,
        do=list(result.do),
        share=list(result.share),
        send=list(result.send),
        record=list(result.record),
        basis=result.basis,
        rules=rules,
        links=[Link(title=link.title, url=str(link.url)) for link in _links(knowledge, result)],
        decision_id=decision_id,
        recorded=recorded_line(knowledge, decision_id, revises),
        case_note="",
    )
    return summary.model_copy(
        update={"case_note": case_note(knowledge, flow, summary, answers, time, revises)}
    )


def recorded_line(knowledge: Knowledge, decision_id: str, revises: str | None) -> str:
    """The line that says a decision is recorded, and which earlier one it replaces."""
    words = knowledge.messages
    if revises:
        return words.recorded_revision.format(decision_id=decision_id, revises=revises)
    return words.recorded.format(decision_id=decision_id)


def render_summary(knowledge: Knowledge, summary: Summary) -> str:
    """The summary as light Markdown, for every channel's text fallback."""
    parts = [f"**{summary.title}.** {summary.headline}", summary.meaning]
    parts += summary_sections(knowledge.messages.labels, summary)
    parts.append(summary.recorded)
    return "\n\n".join(parts)


def summary_sections(labels: Labels, summary: Summary) -> list[str]:
    """The body of a summary as Markdown paragraphs, each a bold heading and its lines: what to
    do, share, send and record, the basis and the rules. Every platform lays these out alike."""
    sections = []
    for heading, items in (
        (labels.do, summary.do),
        (labels.share, summary.share),
        (labels.send, summary.send),
        (labels.record, summary.record),
    ):
        if items:
            sections.append(f"**{heading}**\n" + "\n".join(f"- {item}" for item in items))
    sections.append(f"**{labels.basis}**\n{summary.basis}")
    if summary.rules:
        rules = "\n".join(f"- {rule.title} ({rule.source})" for rule in summary.rules)
        sections.append(f"**{labels.rules}**\n{rules}")
    return sections


def answer_lines(knowledge: Knowledge, topic: str | None, answers: Answers) -> list[str]:
    """Each (question id, choice id) as "- short: label", as the case note and the IG team's
    hand-off show them; ids the knowledge no longer has are passed over."""
    flow = knowledge.flows.get(topic) if topic else None
    if flow is None:
        return []
    questions = {q.id: q for q in flow.questions}
    lines = []
    for question_id, choice_id in answers:
        question = questions.get(question_id)
        if question is not None:
            label = next((c.label for c in question.choices if c.id == choice_id), choice_id)
            lines.append(f"- {question.short}: {label}")
    return lines


def case_note(
    knowledge: Knowledge,
    flow: FlowMap,
    summary: Summary,
    answers: Answers,
    time: dt.datetime,
    revises: str | None = None,
) -> str:
    """Plain text for the case record, in the fields of the ICO's data sharing request form
    that the conversation answered."""
    labels = knowledge.messages.labels
    requester, purpose = flow.flow.requester, flow.flow.purpose
    for question_id, choice_id in answers:
        question = flow.questions[question_id]
        label = next(c.label for c in question.choices if c.id == choice_id)
        if question.fills == "requester":
            requester = label
        elif question.fills == "purpose":
            purpose = label
    shared = " ".join(summary.share) or labels.nothing_shared
    lines = [
        f"{knowledge.messages.case_note_title} ({knowledge.organisation.name})",
        f"{labels.reference}: {summary.decision_id}",
        *([f"{labels.replaces}: {revises}"] if revises else []),
        f"{labels.date}: {time.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"{labels.requester}: {requester}",
        f"{labels.purpose}: {purpose}",
        f"{labels.basis}: {summary.basis}",
        f"{labels.shared}: {shared}",
        f"{labels.decision}: {summary.title}. {summary.headline}",
        f"{labels.reasons}:",
        *answer_lines(knowledge, flow.flow.topic, answers),
        f"{labels.rules}: " + "; ".join(rule.title for rule in summary.rules),
        f"{labels.version}: {knowledge.version}",
    ]
    return "\n".join(lines)


def _links(knowledge: Knowledge, result: ResultSpec) -> list[PolicyLink]:
    links = knowledge.links
    ids = list(result.links)
    for rule in result.rules:
        ids.extend(knowledge.snippets[rule].links)
    return [links[i] for i in dict.fromkeys(ids)]
