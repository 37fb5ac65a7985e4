"""Picking the policy snippet that best answers a question about security or the rules."""

from __future__ import annotations

from collections.abc import Iterable

from bot.schema import Snippet, Topic
from bot.text import normalise, stem, tokens

_KEYWORD = 3.0  # a keyword staff would type counts for more than a word of the title
_TITLE = 1.0
_STOP = set("a an and the of to for in on is are be your you it its what how do i with".split())


class SnippetFinder:
    def __init__(self, snippets: Iterable[Snippet], topics: Iterable[Topic]) -> None:
        self._snippets = list(snippets)
        self._overview: dict[str, str] = {t.id: t.overview for t in topics if t.overview}
        self._index: list[tuple[Snippet, list[tuple[tuple[str, ...], float]]]] = []
        for snippet in self._snippets:
            terms = [(_stems(k), _KEYWORD) for k in snippet.keywords]
            terms += [((stem(w),), _TITLE) for w in tokens(snippet.title) if w not in _STOP]
            self._index.append((snippet, terms))

    def best(self, topic: str, text: str | None) -> list[Snippet]:
        """Snippets of ``topic`` ranked for ``text``: the best first, then the related ones."""
        in_topic = [(s, terms) for s, terms in self._index if s.topic == topic]
        said = _stems(text or "")
        scored = sorted(
            ((sum(w for term, w in terms if _contains(said, term)), i, s)
             for i, (s, terms) in enumerate(in_topic)),
            key=lambda row: (-row[0], row[1]),
        )  # fmt: skip
        if not scored:
            return []
        top = scored[0][2] if scored[0][0] > 0 else self._start(topic, scored[0][2])
        by_id = {s.id: s for s, _ in in_topic} | {s.id: s for s in self._snippets}
        related = [by_id[r] for r in top.related if r in by_id]
        ranked = [s for score, _, s in scored if score > 0 and s is not top]
        unique = {s.id: s for s in related + ranked if s.id != top.id}
        return [top, *unique.values()]

    def around(self, snippet_id: str) -> list[Snippet]:
        """One snippet followed by its related ones."""
        by_id = {s.id: s for s in self._snippets}
        top = by_id[snippet_id]
        return [top, *(by_id[r] for r in top.related if r in by_id)]

    def _start(self, topic: str, fallback: Snippet) -> Snippet:
        overview = self._overview.get(topic)
        return next((s for s in self._snippets if s.id == overview), fallback)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise(text).split())


def _contains(words: tuple[str, ...], term: tuple[str, ...]) -> bool:
    n = len(term)
    return n > 0 and any(words[i : i + n] == term for i in range(len(words) - n + 1))
