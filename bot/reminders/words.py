"""The reminder commands' words to staff, from ``knowledge/reminders.yaml``, so the IG team can
reword them like everything else the assistant says."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.yamlfile import KnowledgeError, Problem, read_yaml, validate

FILE = "reminders.yaml"


class ReminderWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    refused: str = Field(min_length=1)  # to anyone outside the IG team
    usage: str = Field(min_length=1)  # the commands, for help and a command not understood
    unavailable: str = Field(min_length=1)  # the database can't be reached


@lru_cache(maxsize=4)
def load_words(knowledge_root: Path) -> ReminderWords:
    """The words in ``knowledge_root``; KnowledgeError naming the file and line if they are
    missing or malformed."""
    if not (knowledge_root / FILE).is_file():
        raise KnowledgeError([Problem(FILE, None, "file is missing")])
    doc = read_yaml(knowledge_root / FILE, FILE)
    found = validate(ReminderWords, doc)
    if isinstance(found, list):
        raise KnowledgeError(found)
    return found
