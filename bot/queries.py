"""What the anonymised query log keeps of a typed message, and when a message identifies
someone. The text is redacted (``bot.redaction``) before a record is made of it; nothing here
ever sees the raw text go anywhere but ``redact``."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from bot import messages
from bot.models import QueryKind, QueryRecord, Turn
from bot.redaction import RULES, Redacted, redact
from bot.types import QueryLog

log = logging.getLogger(__name__)

WITHHELD = "[WITHHELD]"  # the whole text of a record an analyst found an identifier in
AMEND_BATCH = 500  # rewritten texts written at a time
YIELD_EVERY = 20  # records redacted between yields to the event loop (about 20 ms)

# Ages are kept as bands by redaction and change the advice ("a 15 year old"): typing one is
# no reason to tell a staff member off. Every other kind found identifies someone.
NOT_IDENTIFYING = frozenset({"age"})


@dataclass
class Heard:
    """How the engine read a typed message: filled in as the turn is handled."""

    kind: QueryKind
    topic: str | None  # the route's topic for a question, else the conversation's
    confidence: float | None = None  # the router's, for a question
    logged: bool = True  # False for a message with nothing in it to learn from


def helped(heard: Heard) -> bool:
    """False only for a real question the assistant could not route (outside its job): a
    command, an answer or a greeting is never a gap in what it knows."""
    return not (heard.kind == "question" and heard.topic == "unknown")


def identifies(redacted: Redacted) -> bool:
    """Whether the message named or otherwise identified someone (not just an age)."""
    return bool(redacted.found - NOT_IDENTIFYING)


def on_the_hour(time: dt.datetime) -> dt.datetime:
    """``time`` in UTC, rounded down to the hour: the log says when, but not to the minute."""
    return time.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def query_record(
    turn: Turn, user: str, redacted: Redacted, heard: Heard, now: dt.datetime
) -> QueryRecord:
    return QueryRecord(
        id=uuid.uuid4().hex,
        time=on_the_hour(now),
        channel=turn.channel,
        user=user,
        text=redacted.text,
        kind=heard.kind,
        topic=heard.topic,
        confidence=heard.confidence,
        helped=helped(heard),
    )


async def log_query(queries: QueryLog, record: QueryRecord) -> None:
    """Write ``record``; a failure is logged (its type only) and goes no further, because the
    query log must never fail or change a staff member's turn."""
    try:
        await queries.record(record)
    except Exception as exc:  # whatever the storage raises, the turn goes on
        log.error(messages.QUERY_NOT_LOGGED, type(exc).__name__)


def purge_before(now: dt.datetime, days: int) -> dt.datetime:
    """The oldest time a record may have and be kept, ``days`` days of retention before ``now``."""
    return now - dt.timedelta(days=days)


async def redact_again(queries: QueryLog, batch: int = AMEND_BATCH) -> tuple[int, int]:
    """Run the current redaction rules over every stored text and rewrite those they change,
    then mark the log as redacted with these rules; (records read, records rewritten).

    Texts already went through the rules of their day, and placeholders are read as what they
    stand for, so only what older rules let through changes. Yields to the event loop as it
    goes, so a server doing this between turns keeps answering.
    """
    read = rewritten = 0
    changed: dict[str, str] = {}
    async for record in queries.export():
        read += 1
        if (text := redact(record.text).text) != record.text:
            changed[record.id] = text
        if len(changed) >= batch:
            rewritten += len(await queries.amend(changed))
            changed = {}
        if read % YIELD_EVERY == 0:
            await asyncio.sleep(0)
    if changed:
        rewritten += len(await queries.amend(changed))
    await queries.mark_redacted_with(RULES)
    return read, rewritten


async def withhold(queries: QueryLog, ids: Collection[str]) -> set[str]:
    """Replace the text of these records with ``[WITHHELD]``, for a text in which someone has
    spotted an identifier the rules missed; the record's other fields keep the counts right.
    The ids that were stored."""
    return await queries.amend(dict.fromkeys(ids, WITHHELD))
