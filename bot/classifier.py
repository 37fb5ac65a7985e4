"""Learning which topic a message is about from example messages (``knowledge/examples.yaml``).

A naive Bayes model over the words of a message and the pairs of neighbouring words, after the
same spelling correction and stemming as the weighted terms. It hears the words around the
decisive ones ("left ... on the bus", "wants to see what we hold about her") that no list of
terms anticipates, and the IG team improves it by adding the phrasings staff really type.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from bot.text import stem

SMOOTHING = 0.3  # pseudo-count for a word a topic's examples never used
EVIDENCE = 5  # familiar words and pairs a message needs before its probabilities count in full
# Too common to say anything about the topic; they only add noise to the counts.
_STOP = frozenset(
    stem(w)
    for w in """a an and are as at be been but by can could do does for from has have he her him
    his how i if in is it its me my of on or our she so that the their them they this to up was
    we what when where which who will with would you your""".split()
)


def features(stems: Sequence[str]) -> set[str]:
    """The words and neighbouring pairs of words a message is judged on."""
    kept = [s for s in stems if s not in _STOP and not s.isdigit()]
    return set(kept) | {f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)}


class ExampleModel:
    """Per topic, how likely each feature is in its examples (Bernoulli-style: a feature counts
    once per example, so one long rambling example can't dominate)."""

    def __init__(self, examples: Mapping[str, Iterable[Sequence[str]]]) -> None:
        self.topics = sorted(examples)
        counts: dict[str, Counter[str]] = {t: Counter() for t in self.topics}
        sizes: dict[str, int] = {}
        for topic in self.topics:
            n = 0
            for stems in examples[topic]:
                counts[topic].update(features(stems))
                n += 1
            sizes[topic] = n
        self.vocabulary = frozenset(f for c in counts.values() for f in c)
        total = sum(sizes.values()) or 1
        self._prior = {
            t: math.log((sizes[t] + 1) / (total + len(self.topics))) for t in self.topics
        }
        self._log_seen: dict[str, dict[str, float]] = {}
        self._log_unseen: dict[str, float] = {}
        for topic in self.topics:
            denominator = sizes[topic] + 2 * SMOOTHING
            self._log_seen[topic] = {
                f: math.log((c + SMOOTHING) / denominator) for f, c in counts[topic].items()
            }
            self._log_unseen[topic] = math.log(SMOOTHING / denominator)

    def probabilities(self, stems: Sequence[str]) -> dict[str, float]:
        """Each topic's probability for a message, scaled down when the message has little the
        examples have seen: one familiar word ("ok") is no evidence of a topic."""
        found = features(stems) & self.vocabulary
        if not found:
            return {}
        scores = {
            t: self._prior[t] + sum(self._log_seen[t].get(f, self._log_unseen[t]) for f in found)
            for t in self.topics
        }
        # Naive Bayes is famously over-sure; dividing by the evidence's size tempers it so a
        # long message doesn't make it certain.
        temper = max(1.0, math.sqrt(len(found)))
        top = max(scores.values())
        weights = {t: math.exp((s - top) / temper) for t, s in scores.items()}
        total = sum(weights.values()) / min(1.0, len(found) / EVIDENCE)
        return {t: w / total for t, w in weights.items()}
