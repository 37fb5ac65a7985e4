"""Plain-text helpers shared by routing and answer matching: normalise, tokenise, stem, correct."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_TOKENS = 300  # a rambling message is still read; a pasted document is not


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), everything else non-alphanumeric
    to single spaces."""
    text = _APOSTROPHES.sub("", text.lower().replace("&", " and "))
    return _NON_WORD.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return normalise(text).split()[:MAX_TOKENS]


# Words the stemmer leaves whole, because their ending changes what they mean: "housing" is
# not a "house", "training" is not a "train", "stats" are not a "state", and "numbers" are
# figures where a "number" is often a phone number or a house.
_WHOLE = {"housing", "training", "evening", "morning", "rounding", "parking", "parenting"}
_WHOLE |= {"neighbouring", "news", "stats", "numbers", "charged", "wedding"}


@lru_cache(maxsize=100_000)  # staff use a few thousand words; each is stemmed many times
def stem(word: str) -> str:
    """A deliberately light stemmer: enough to join "records", "recorded" and "recording".

    A final "e" is dropped only from a word that stays four letters long, so "care" and "car",
    "note" and "not", "site" and "sit" stay apart.
    """
    if len(word) <= 3 or word.isdigit() or word in _WHOLE:
        return word
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


class Speller:
    """Corrects a misspelt word to the closest known one (one edit, two for long words).

    Only words it does not know are corrected, and only towards words that share their first
    letter: staff mistype the middle of "safegaurding", rarely its start. Another form of a
    known word ("referrals", "shared") is known too, so it is left alone. ``targets``, if given,
    are the only words worth correcting to (the rest of the vocabulary is only known).
    """

    def __init__(self, vocabulary: Iterable[str], targets: Iterable[str] | None = None) -> None:
        self.known = {w for w in vocabulary if w.isalpha()}
        self._known_stems = {stem(w) for w in self.known}
        self._by_start: dict[tuple[str, int], list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for word in sorted(self.known if targets is None else set(targets) & self.known):
            if len(word) >= 4:
                self._by_start[(word[0], len(word))].append((word, frozenset(word)))
        self._corrected: dict[str, str] = {}

    def correct(self, word: str) -> str:
        if word in self.known or len(word) < 5 or not word.isalpha():
            return word
        if word not in self._corrected:
            if len(self._corrected) > 10_000:  # staff type many names: keep memory bounded
                self._corrected.clear()
            self._corrected[word] = self._closest(word)
        return self._corrected[word]

    def _closest(self, word: str) -> str:
        if stem(word) in self._known_stems:
            return word
        limit = 1 if len(word) < 10 else 2
        letters = frozenset(word)
        best: tuple[int, bool, int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate, its_letters in self._by_start.get((word[0], length), ()):
                if len(letters ^ its_letters) > 2 * limit:
                    continue  # one edit changes at most two of the letters used
                distance = edit_distance(word, candidate, limit)
                if distance <= limit:
                    # Ties go to the word that ends the same way, then to the longer word:
                    # "leavr" is "leaver", not "leave".
                    key = (distance, candidate[-1] != word[-1], -len(candidate), candidate)
                    best = key if best is None or key < best else best
        return best[3] if best else word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost one), giving up past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]
