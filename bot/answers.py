"""Understanding what staff type mid-conversation: a command, an answer, or neither.

An answer is read in two ways. First, a known phrase for a choice that the message is or starts
with ("yes, I called the switchboard" is yes; "no idea" is unsure, not no). Failing that, the
words: a choice whose label, id or typed words (``says``) all occur among the message's words,
grammar aside ("they are investigating a crime" names "crime"; "it's for a criminal
investigation" holds "criminal investigation"). A message whose words fit two choices, or that
negates the one it names ("it's not an investigation"), is no answer: the question is asked
again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Choice
from bot.schema import Phrases
from bot.text import normalise, stem

# Politeness around a command: "can I talk to the IG team please" is "talk to the ig team".
_FILLER = re.compile(
    r"^(?:(?:ok|okay|um|erm|sorry|hmm|right|so|and|but|please|pls|actually)\s+)*"
    r"(?:(?:can|could|may)\s+(?:i|we|you)\s+|i\s+(?:want|need|would\s+like|d\s+like)\s+to\s+|"
    r"i\s+want\s+|let\s+me\s+|lets\s+|id\s+like\s+to\s+)?"
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")  # "a court order" answers "court order"
_TRAILING = re.compile(r"(?:\s+(?:please|pls|thanks|thank\s+you|now|then))+$")
ANSWER_WORDS_MAX = 12  # longer than this and it's a new message, not an answer

# Grammar that carries no answer: "it's for a", "they are", "the". Never a word that can be an
# answer on its own ("no", "not", "all", "some", "none").
_GRAMMAR = frozenset(
    "a an the its it is was were be been being are am im for of to about on in at by with from "
    "as or and but so that thats this these those there theres they theyre them their he hes she "
    "shes him her his we were us our i me my you your just do does did have has had would will "
    "shall can could should may might must".split()
)
# "haven't" is "have not": the "not" is what answers.
_CONTRACTIONS = frozenset(
    "dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt cant couldnt wont wouldnt "
    "shouldnt mustnt neednt".split()
)
_NEGATIONS = frozenset({"not", "never"})
Words = frozenset[str]
_ANY_NEGATION = _NEGATIONS | {"no", "none", "nothing", "nope", "nah", "neither", "nor"}


@dataclass(frozen=True)
class Reading:
    """What a typed message says as an answer: the ``choice`` it picks, or None; and whether
    it only named the choice among other words (``loose``) or fitted several (``ambiguous``)."""

    choice: str | None = None
    loose: bool = False
    ambiguous: bool = False


def command(text: str, phrases: Phrases) -> str | None:
    """The command id the whole message asks for, or None."""
    said = _strip(normalise(text))
    for name, forms in phrases.commands.items():
        if any(said == normalise(form) for form in forms):
            return name
    return None


def number(text: str) -> int | None:
    """The number a message is, if it is only a number ("2", " 3. ")."""
    said = normalise(text)
    return int(said) if said.isdigit() else None


def answer(
    text: str, offered: Sequence[Choice], phrases: Phrases, says: dict[str, list[str]]
) -> str | None:
    """The offered choice id that typed ``text`` means, or None."""
    return read(text, offered, phrases, says).choice


def read(
    text: str, offered: Sequence[Choice], phrases: Phrases, says: dict[str, list[str]]
) -> Reading:
    """How typed ``text`` answers a question offering ``offered``.

    A number picks the n-th choice. Otherwise the longest known phrase for an offered choice
    that the message equals or starts with wins, so "no idea" is unsure, not no; and failing
    that, the words (see the module's docstring).
    """
    said = normalise(text)
    if said.isdigit():
        at = int(said)
        return Reading(offered[at - 1].id) if 1 <= at <= len(offered) else Reading()
    said = _strip(said)
    if not said or len(said.split()) > ANSWER_WORDS_MAX:
        return Reading()
    forms: list[tuple[str, str | None]] = []  # (phrase, the offered choice it means)
    for choice in offered:
        own = [choice.label, choice.id.replace("-", " "), *says.get(choice.id, ())]
        forms += [(p, choice.id) for p in (*own, *phrases.answers.get(choice.id, ()))]
    offered_ids = {c.id for c in offered}
    # Phrases of choices not on offer still compete, so "no idea" can't be read as "no".
    forms += [
        (p, None) for cid, ps in phrases.answers.items() if cid not in offered_ids for p in ps
    ]
    opening, rest = _opening(said, forms)
    # "Yes, I rang the switchboard" is yes; "an investigation or safeguarding" is for the words.
    if opening is not None and not {c for c, _ in _found(rest, forms)} - {None, opening}:
        return Reading(opening)
    return _by_words(said, forms)


def _opening(said: str, forms: list[tuple[str, str | None]]) -> tuple[str | None, str]:
    """The choice of the longest phrase the message is or starts with, and what follows it;
    no choice if that phrase is another question's answer, or if the message goes on to negate
    it ("definitely not")."""
    best: tuple[int, str | None, str] | None = None
    readings = {said, _ARTICLE.sub("", said)}
    for form, choice_id in forms:
        phrase = normalise(form)
        for reading in readings:
            if not phrase or not (reading == phrase or reading.startswith(phrase + " ")):
                continue
            rest = reading[len(phrase) :].strip()
            negates = rest.split(" ", 1)[0] in _NEGATIONS
            if negates and not set(phrase.split()) & _ANY_NEGATION:
                continue
            if best is None or len(phrase) > best[0]:
                best = (len(phrase), choice_id, rest)
    return (best[1], best[2]) if best else (None, "")


def _found(said: str, forms: list[tuple[str, str | None]]) -> list[tuple[str | None, Words]]:
    """The phrases whose words all occur in ``said``, as (choice, words), less those inside a
    longer phrase of another choice: "no" in "no idea" is unsure's."""
    words = set(_words(said))
    found = [(choice_id, w) for form, choice_id in forms
             if (w := _phrase_words(form)) and words.issuperset(w)]  # fmt: skip
    return [(c, w) for c, w in found if not any(o != c and w < ow for o, ow in found)]


def _by_words(said: str, forms: list[tuple[str, str | None]]) -> Reading:
    words = set(_words(said))
    kept = _found(said, forms)
    chosen = {c for c, _ in kept if c is not None}
    if len(chosen) != 1:
        return Reading(ambiguous=len(chosen) > 1)
    [choice_id] = chosen
    negated = words & _NEGATIONS
    if negated and not any(w & _NEGATIONS for c, w in kept if c == choice_id):
        return Reading()  # "it's not a criminal investigation" names one only to rule it out
    return Reading(choice_id, loose=True)


@lru_cache(maxsize=4096)  # the knowledge's phrases, read again for every typed answer
def _phrase_words(phrase: str) -> Words:
    return frozenset(_words(phrase))


def _words(text: str) -> list[str]:
    """The words of ``text`` that can carry an answer, stemmed: grammar dropped, "n't" made
    "not"."""
    out: list[str] = []
    for word in _strip(normalise(text)).split():
        if word in _CONTRACTIONS or word == "never":
            out.append("not")
        elif word not in _GRAMMAR:
            out.append(stem(word))
    return out


def _strip(said: str) -> str:
    return _TRAILING.sub("", _FILLER.sub("", said, count=1)).strip()
