"""Load and check everything under ``knowledge/``, all or nothing.

Every problem found is reported at once, each with its file and line, so the IG team can fix a
batch of edits in one go. The assistant never starts on half-loaded knowledge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from bot.schema import (
    DECISION_TOPICS,
    INFO_TOPICS,
    OUTCOMES,
    TOPICS,
    Contact,
    Examples,
    Flow,
    Messages,
    Organisation,
    Outcome,
    Phrases,
    PolicyLink,
    Snippet,
    Topic,
)
from bot.yamlfile import Document, KnowledgeError, Problem, read_front_matter, read_yaml, validate

M = TypeVar("M", bound=BaseModel)
FLOW_TOPICS = (*DECISION_TOPICS, "urgent")
PAGES = ("privacy", "terms")  # knowledge/pages/<name>.md
PAGE_FIELDS = ("organisation", "ig_team", "ig_contact")


@dataclass(frozen=True)
class Knowledge:
    organisation: Organisation
    outcomes: dict[str, Outcome]
    topics: dict[str, Topic]
    examples: dict[str, list[str]]  # topic -> messages staff typed about it
    flows: dict[str, Flow]
    snippets: dict[str, Snippet]
    phrases: Phrases
    messages: Messages
    pages: dict[str, str]  # name -> Markdown: the privacy notice and terms the server shows
    version: str  # changes whenever any knowledge file changes; stamped on every decision
    root: Path

    @property
    def links(self) -> dict[str, PolicyLink]:
        return {link.id: link for link in self.organisation.policy_links}

    def contact(self, who: Contact) -> str:
        """One line of contact details, whatever the organisation has filled in."""
        parts = [p for p in (who.phone, who.email, who.hours) if p]
        if not who.phone and not who.email:
            page = self.links.get("intranet-ig-team")
            parts.insert(0, f"{self.messages.contact_missing} ({page.url})" if page else "")
        return ", ".join(p for p in parts if p)

    def page(self, name: str) -> str:
        """A page of ``knowledge/pages`` as Markdown, with the organisation's details filled in."""
        org = self.organisation
        return self.pages[name].format(
            organisation=org.name, ig_team=org.ig_team.name, ig_contact=self.contact(org.ig_team)
        )

    def warnings(self, today: dt.date, review_months: int = 12) -> list[str]:
        """Things that load but need the IG team's attention."""
        found = []
        org = self.organisation
        for label, who in (("ig_team", org.ig_team), ("front_door", org.front_door)):
            if not who.phone:
                found.append(f"organisation.yaml: {label} has no phone number")
        cutoff = _months_before(today, review_months)
        for snippet in sorted(self.snippets.values(), key=lambda s: s.last_reviewed):
            if snippet.last_reviewed < cutoff:
                found.append(
                    f"snippets/{snippet.id}.md: last reviewed {snippet.last_reviewed}, "
                    f"over {review_months} months ago"
                )
        return found


def load_knowledge(root: Path) -> Knowledge:
    """Read and check every knowledge file under ``root``; raise KnowledgeError if any is wrong."""
    loader = _Loader(root)
    organisation = loader.one("organisation.yaml", Organisation)
    outcomes = loader.many("outcomes.yaml", Outcome, OUTCOMES)
    topics = loader.many("topics.yaml", Topic, TOPICS)
    phrases = loader.one("phrases.yaml", Phrases)
    examples = loader.one("examples.yaml", Examples)
    messages = loader.one("messages.yaml", Messages)
    flows = loader.each("flows", "*.yaml", Flow, lambda f: f.topic, read_yaml)
    snippets = loader.each("snippets", "*.md", Snippet, lambda s: s.id, read_front_matter)
    pages = {name: loader.page(f"pages/{name}.md") for name in PAGES}
    if loader.problems:
        raise KnowledgeError(loader.problems)
    assert organisation and outcomes is not None and topics is not None and phrases and messages
    assert examples is not None

    for topic in FLOW_TOPICS:
        if topic not in flows:
            loader.problems.append(
                Problem(
                    f"flows/{topic}.yaml", None, "missing: every topic with decisions needs a flow"
                )
            )
    for topic in INFO_TOPICS:
        if not any(s.topic == topic for s in snippets.values()):
            loader.problems.append(Problem("snippets", None, f"no snippet has topic '{topic}'"))
    links = {link.id for link in organisation.policy_links}
    loader.check_references(flows, snippets, links)
    if loader.problems:
        raise KnowledgeError(loader.problems)
    return Knowledge(
        organisation=organisation,
        outcomes=outcomes,
        topics=topics,
        examples={str(topic): said for topic, said in examples.root.items()},
        flows=flows,
        snippets=snippets,
        phrases=phrases,
        messages=messages,
        pages=pages,
        version=loader.digest.hexdigest()[:12],
        root=root,
    )


class _Loader:
    """Collects problems across files instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.docs: dict[str, Document] = {}
        self.digest = hashlib.sha256()

    def read(
        self, rel: str, reader: Callable[[Path, str], Document] = read_yaml
    ) -> Document | None:
        path = self.root / rel
        if not path.is_file():
            self.problems.append(Problem(rel, None, "file is missing"))
            return None
        self.digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
        try:
            doc = reader(path, rel)
        except KnowledgeError as exc:
            self.problems.extend(exc.problems)
            return None
        self.docs[rel] = doc
        return doc

    def page(self, rel: str) -> str:
        """A Markdown page; the only words in braces it may use are PAGE_FIELDS."""
        path = self.root / rel
        if not path.is_file():
            self.problems.append(Problem(rel, None, "file is missing"))
            return ""
        text = path.read_text(encoding="utf-8")
        self.digest.update(rel.encode() + b"\0" + text.encode() + b"\0")
        for number, line in enumerate(text.splitlines(), 1):
            for word in re.findall(r"\{([^{}]*)\}", line):
                if word not in PAGE_FIELDS:
                    can = ", ".join("{" + f + "}" for f in PAGE_FIELDS)
                    self.problems.append(
                        Problem(rel, number, f"unknown placeholder {{{word}}} (can use: {can})")
                    )
        return text

    def one(self, rel: str, model: type[M]) -> M | None:
        doc = self.read(rel)
        return self._keep(validate(model, doc)) if doc else None

    def many(self, rel: str, model: type[M], ids: Iterable[str]) -> dict[str, M] | None:
        doc = self.read(rel)
        if doc is None:
            return None
        if not isinstance(doc.data, list):
            self.problems.append(doc.problem((), "must be a list, one '- id: ...' entry each"))
            return None
        items: dict[str, M] = {}
        for i in range(len(doc.data)):
            item = self._keep(validate(model, doc, (i,)))
            if item is not None:
                key = str(item.model_dump()["id"])
                if key in items:
                    self.problems.append(doc.problem((i, "id"), f"'{key}' appears twice"))
                items[key] = item
        missing = [i for i in ids if i not in items]
        if missing and len(items) == len(doc.data):
            self.problems.append(doc.problem((), f"missing entries for: {', '.join(missing)}"))
        return items

    def each(
        self,
        folder: str,
        pattern: str,
        model: type[M],
        key: Callable[[M], str],
        reader: Callable[[Path, str], Document],
    ) -> dict[str, M]:
        items: dict[str, M] = {}
        for path in sorted((self.root / folder).glob(pattern)):
            if path.name.upper().startswith("README"):
                continue
            rel = f"{folder}/{path.name}"
            doc = self.read(rel, reader)
            item = self._keep(validate(model, doc)) if doc else None
            if doc and item is not None:
                if key(item) != path.stem:
                    self.problems.append(
                        doc.problem((), f"the file name must match its id or topic '{key(item)}'")
                    )
                items[key(item)] = item
        return items

    def check_references(
        self, flows: dict[str, Flow], snippets: dict[str, Snippet], links: set[str]
    ) -> None:
        for flow in flows.values():
            doc = self.docs[f"flows/{flow.topic}.yaml"]
            for qi, question in enumerate(flow.questions):
                self._refs(doc, ("questions", qi, "rules"), question.rules, snippets, "snippet")
            for ri, result in enumerate(flow.results):
                self._refs(doc, ("results", ri, "rules"), result.rules, snippets, "snippet")
                self._refs(doc, ("results", ri, "links"), result.links, links, "policy link")
        for snippet in snippets.values():
            doc = self.docs[f"snippets/{snippet.id}.md"]
            self._refs(doc, ("related",), snippet.related, snippets, "snippet")
            self._refs(doc, ("links",), snippet.links, links, "policy link")

    def _refs(
        self, doc: Document, path: tuple[str | int, ...], ids: list[str], known: Any, what: str
    ) -> None:
        for i, ref in enumerate(ids):
            if ref not in known:
                self.problems.append(doc.problem((*path, i), f"no {what} has the id '{ref}'"))

    def _keep(self, result: M | list[Problem]) -> M | None:
        if isinstance(result, list):
            self.problems.extend(result)
            return None
        return result


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))
