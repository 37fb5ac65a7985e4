"""Free text to a topic id, offline, from weighted terms the IG team keeps in ``topics.yaml``.

Each topic lists words and phrases with weights. A message scores, per topic, the weight of
its strongest term plus half the weights of the others it contains, after spelling correction
and light stemming, so "polce want recrods" still reads as the police asking for records. A
term written with "..." lets a few words stand in between: "left ... on the train" matches
"left a bag with files on the train". Words inside a longer phrase of another topic count only
for that phrase ("press release" is not the press). The best-scoring topic wins; a message
that scores too little, or scores highest for ``unknown`` (leave, parking, payslips), is
outside the assistant's job, and one that only greets gets the menu.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files

from bot.classifier import ExampleModel
from bot.schema import Topic
from bot.text import Speller, normalise, stem, tokens

HELP = "help"  # not a topic: the message only greets or asks what the assistant does
MIN_SCORE = 1.5  # below this nothing in the message is about information sharing
CONFIDENT = 4.0  # a score this high is as sure as the lexicon can be
GAP = 4  # how many words may stand where a term has "..."
LEARNED = 6.0  # what the examples add at full certainty: more than one decisive term

# Everyday English that must never be "corrected" into a domain word: "polite" is not "police",
# "case" is not a "cafe", "colleague" is not a "college", "contact" is not a "contract".
_COMMON = [
    line.strip()
    for line in (files("bot") / "common_words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


_Term = tuple[tuple[str, ...], ...]  # a term's parts, with up to GAP words between them


@dataclass(frozen=True)
class Route:
    topic: str  # a topic id, or HELP
    confidence: float  # 0..1
    scores: dict[str, float]


class Router:
    def __init__(
        self,
        topics: Iterable[Topic],
        greetings: Iterable[str],
        vocabulary: Iterable[str],
        examples: Mapping[str, Iterable[str]] | None = None,
    ):
        weights: dict[tuple[_Term, str], float] = {}
        words: set[str] = set()  # the words of the terms: what a misspelling is corrected to
        for topic in topics:
            for phrase, weight in topic.terms.items():
                words.update(normalise(phrase).split())
                parts = (normalise(part).split() for part in phrase.split("..."))
                term = tuple(tuple(stem(w) for w in part) for part in parts if part)
                if term:  # "record" and "records" are one term: it keeps the higher weight
                    weights[term, topic.id] = max(weight, weights.get((term, topic.id), 0.0))
        self._terms: dict[str, list[tuple[_Term, str, float]]] = defaultdict(list)
        for (term, topic_id), weight in weights.items():
            self._terms[term[0][0]].append((term, topic_id, weight))
        self._greeting_words = {w for g in greetings for w in normalise(g).split()}
        self._greeting_words.update({"there", "all", "team", "bot", "infoshare", "again"})
        words.update(w for v in vocabulary for w in normalise(v).split())
        self._speller = Speller(words | set(_COMMON), targets=words)
        # Examples are read as messages are, typos and all, so both meet the model corrected
        # the same way.
        self._model = ExampleModel(
            {t: [self._stems(tokens(e)) for e in said] for t, said in (examples or {}).items()}
        )

    def route(self, text: str) -> Route:
        words = tokens(text)
        if not words or all(w in self._greeting_words for w in words):
            return Route(HELP, 1.0, {})
        stems = self._stems(words)
        terms = self.scores(stems)
        learned = self._model.probabilities(stems)
        scores = {
            t: round(terms.get(t, 0.0) + LEARNED * learned.get(t, 0.0), 3)
            for t in terms.keys() | learned.keys()
        }
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked or ranked[0][1] < MIN_SCORE:
            return Route("unknown", 0.0, scores)
        (top, best), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        confidence = min(1.0, best / CONFIDENT) * best / (best + runner_up)
        return Route(top, round(confidence, 3), scores)

    def scores(self, stems: list[str]) -> dict[str, float]:
        """Per topic: its strongest matching term, plus half the weight of the others.

        Halving the rest keeps one decisive word ("ISA") from being outvoted by several weak
        ones that merely describe the people involved ("school", "nursing", "service").
        """
        scores: dict[str, float] = {}
        for topic, weights in self.matches(stems).items():
            ordered = sorted(weights.values(), reverse=True)
            scores[topic] = ordered[0] + sum(ordered[1:]) / 2
        return scores

    def matches(self, stems: list[str]) -> dict[str, dict[str, float]]:
        """Per topic, the terms found in ``words`` and their weights: why a message routed.

        Words inside a longer phrase of another topic count only as that phrase: "press
        release" is statistics, not also the press; "annual leave" is not an annual return.
        """
        hits: list[tuple[str, str, float, range | None]] = []  # topic, term, weight, words
        for i, first in enumerate(stems):
            for term, topic, weight in self._terms.get(first, ()):
                if end := _occurs(term, stems, i):
                    name = " ... ".join(" ".join(part) for part in term)
                    span = range(i, end) if len(term) == 1 else None  # None: a term with "..."
                    hits.append((topic, name, weight, span))
        phrases = [(topic, span) for topic, _, _, span in hits if span and len(span) > 1]
        found: dict[str, dict[str, float]] = defaultdict(dict)
        for topic, name, weight, span in hits:
            if span is None or not any(
                other != topic and _inside(span, phrase) for other, phrase in phrases
            ):
                found[topic][name] = weight
        return dict(found)

    def _stems(self, words: Iterable[str]) -> list[str]:
        return [stem(self._speller.correct(w)) for w in words]


def _inside(span: range, phrase: range) -> bool:
    return phrase.start <= span.start and span.stop <= phrase.stop and len(phrase) > len(span)


def _occurs(term: _Term, stems: list[str], start: int) -> int:
    """Where ``term`` ends if it occurs in ``stems`` from ``start`` (its parts at most GAP words
    apart), else 0."""
    first, *rest = term
    end = start + len(first)
    if tuple(stems[start:end]) != first:
        return 0
    for part in rest:
        for at in range(end, min(end + GAP, len(stems)) + 1):
            if tuple(stems[at : at + len(part)]) == part:
                end = at + len(part)
                break
        else:
            return 0
    return end
