"""Understanding what staff type mid-conversation: a command, an answer, or neither."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Choice
from bot.schema import Phrases
from bot.text import normalise

# Politeness around a command: "can I talk to the IG team please" is "talk to the ig team".
_FILLER = re.compile(
    r"^(?:(?:ok|okay|um|erm|sorry|hmm|right|so|and|but|please|pls|actually)\s+)*"
    r"(?:(?:can|could|may)\s+(?:i|we|you)\s+|i\s+(?:want|need|would\s+like|d\s+like)\s+to\s+|"
    r"i\s+want\s+|let\s+me\s+|lets\s+|id\s+like\s+to\s+)?"
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")  # "a court order" answers "court order"
_TRAILING = re.compile(r"(?:\s+(?:please|pls|thanks|thank\s+you|now|then))+$")
ANSWER_WORDS_MAX = 12  # longer than this and it's a new message, not an answer


def command(text: str, phrases: Phrases) -> str | None:
    """The command id the whole message asks for, or None."""
    said = _strip(normalise(text))
    for name, forms in phrases.commands.items():
        if any(said == normalise(form) for form in forms):
            return name
    return None


def answer(
    text: str, offered: Sequence[Choice], phrases: Phrases, says: dict[str, list[str]]
) -> str | None:
    """The offered choice id that typed ``text`` means, or None.

    A number picks the n-th choice. Otherwise the longest known phrase for an offered choice
    that the message equals or starts with wins, so "no idea" is unsure, not no.
    """
    said = normalise(text)
    if said.isdigit() and 1 <= int(said) <= len(offered):
        return offered[int(said) - 1].id
    said = _strip(said)
    if not said or len(said.split()) > ANSWER_WORDS_MAX:
        return None
    forms: list[tuple[str, str | None]] = []  # (phrase, the offered choice it means)
    for choice in offered:
        own = [choice.label, choice.id.replace("-", " "), *says.get(choice.id, ())]
        forms += [(p, choice.id) for p in (*own, *phrases.answers.get(choice.id, ()))]
    offered_ids = {c.id for c in offered}
    # Phrases of choices not on offer still compete, so "no idea" can't be read as "no".
    forms += [
        (p, None) for cid, ps in phrases.answers.items() if cid not in offered_ids for p in ps
    ]
    best: tuple[int, str | None] | None = None
    readings = {said, _ARTICLE.sub("", said)}
    for form, choice_id in forms:
        phrase = normalise(form)
        if phrase and any(r == phrase or r.startswith(phrase + " ") for r in readings):
            if best is None or len(phrase) > best[0]:
                best = (len(phrase), choice_id)
    return best[1] if best else None


def _strip(said: str) -> str:
    return _TRAILING.sub("", _FILLER.sub("", said, count=1)).strip()
