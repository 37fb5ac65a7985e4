"""A reply as JSON: the one shape ``infoshare chat --json`` writes and the web chat returns."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bot.models import Reply


def reply_json(reply: Reply) -> dict[str, Any]:
    """Every field of ``reply``; ``error`` is None unless the core refused the turn."""
    return reply.model_dump(mode="json")


def error_json(conversation: str | None, code: str, message: str) -> dict[str, Any]:
    """A refusal before the core saw the turn, in the shape of a reply: ``error`` is ``code``
    and ``text`` says what was wrong."""
    return {
        "conversation": conversation,
        "topic": None,
        "question": None,
        "text": message,
        "choices": [],
        "links": [],
        "outcome": None,
        "decision_id": None,
        "error": code,
    }


def too_long(exc: ValidationError) -> bool:
    """Was the turn refused for text over the core's limit? Both chats answer that
    ``too-long``, in the same words, rather than ``malformed``."""
    return any(e["loc"] == ("text",) and e["type"] == "string_too_long" for e in exc.errors())


def describe(error: Any) -> str:
    """One pydantic validation error as "field: what is wrong"."""
    where = ".".join(str(p) for p in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
