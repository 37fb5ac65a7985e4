"""What the core needs from the outside world, as Protocols.

Storage and adapters implement these; the core depends only on them, so a shared store
(Redis, PostgreSQL) can replace the embedded ones without touching the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from bot.models import ConversationState, DecisionRecord, FlowProgress, QueryRecord

if TYPE_CHECKING:  # bot.analytics speaks these Protocols itself
    from bot.analytics import Filters


# How long a claimed key stays claimed (``SeenKeys``). Slack retries an unacknowledged event
# three times over about five minutes (at once, after a minute, after five), and Teams resends
# an activity on a similar scale: fifteen minutes covers both with room to spare, and keeps few
# keys.
RETRY_WINDOW = dt.timedelta(minutes=15)


class SeenKeys(Protocol):
    """The platform deliveries already taken, so a retry (Slack's, Teams') is acknowledged
    rather than handled again. A key is made of the ids a platform repeats when it retries (an
    event, activity or message id), never of anything anyone typed."""

    async def first_time(self, key: str) -> bool:
        """Claim ``key``: True the first time within ``RETRY_WINDOW``, False after. Atomic:
        of two claims at the same moment (two instances, say), exactly one is True. When the
        claim can't be checked it is True, and the failure logged: a rare duplicate beats a lost
        message."""
        ...


class Shelf(Protocol):
    """Small things an adapter keeps for a while, shared as widely as the conversations are (in
    this process, or in Redis for every instance): text by key, each with its own lifetime, and
    claims. For what the platforms need remembered between requests (the Teams cards with
    buttons, and which were answered), never for anything anyone typed. Best effort: a failure
    is logged, a lost value reads as missing and a claim that can't be checked is granted."""

    async def put(self, key: str, value: str, ttl: dt.timedelta) -> None: ...

    async def get(self, key: str) -> str | None: ...

    async def claim(self, key: str, ttl: dt.timedelta) -> bool:
        """True for the first claim of ``key`` within ``ttl``, atomically (see ``SeenKeys``)."""
        ...

    async def release(self, key: str) -> None:
        """Give up a claim, so the next one is granted."""
        ...


class ConversationStore(Protocol):
    """Conversation state by key (channel and conversation id)."""

    async def get(self, key: str) -> ConversationState | None: ...

    async def put(self, key: str, state: ConversationState) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def ping(self) -> None:
        """Raise if the store can't be reached."""
        ...

    def seen_keys(self) -> SeenKeys:
        """Where the adapters remember the platform deliveries they took, shared as widely as
        the conversations are: a store in this process remembers them in this process, a shared
        store for every instance, so a retry landing on another instance is still handled once.
        Closed with the store."""
        ...

    def shelf(self) -> Shelf:
        """Where the adapters keep what they need between requests, shared like ``seen_keys``.
        Closed with the store."""
        ...

    async def close(self) -> None: ...


class DecisionLog(Protocol):
    """Durable record of every decision. ``record`` returns only once the record is safe."""

    async def record(self, decision: DecisionRecord) -> None: ...

    def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]: ...

    async def ping(self) -> None:
        """Raise if the log can't be reached."""
        ...

    async def close(self) -> None: ...


class QueryLog(Protocol):
    """The anonymised query log: what staff typed, redacted, by the hour. Unlike the decision
    log it is best effort: the engine carries on if a write fails."""

    async def record(self, query: QueryRecord) -> None: ...

    def export(self, since: dt.datetime | None = None) -> AsyncIterator[QueryRecord]: ...

    async def progress(self, flows: Sequence[FlowProgress]) -> None:
        """Keep how far each flow got, in one transaction: insert it, or update its question,
        outcome and ``updated`` (never ``started``) if its id is known."""
        ...

    async def purge(self, before: dt.datetime) -> int:
        """Delete the records (and flow progress last updated) older than ``before``; how
        many went."""
        ...

    async def amend(self, texts: Mapping[str, str]) -> set[str]:
        """Replace the text of the records with these ids, in one transaction; the ids that
        were stored (one purged meanwhile, or mistyped, is passed over)."""
        ...

    async def redacted_with(self) -> str | None:
        """The version of the redaction rules (``bot.redaction.RULES``) that every stored text
        has been through, or None if none was ever marked."""
        ...

    async def mark_redacted_with(self, version: str) -> None: ...

    async def ping(self) -> None:
        """Raise if the log can't be reached."""
        ...

    async def close(self) -> None: ...


class AnalyticsStore(Protocol):
    """The analytics dashboard's counts, done in the database over the query log, the flow
    progress and the decision log; each takes ``bot.analytics.Filters`` and never returns a
    row about one person, only counts (and, for gaps, the redacted texts asked often)."""

    async def questions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        """Typed questions by day and channel."""
        ...

    async def decisions(self, filters: Filters) -> list[tuple[dt.date, str, int]]:
        """Decisions by day and channel."""
        ...

    async def topics(self, filters: Filters) -> list[tuple[str, int]]:
        """Typed questions by the topic they were routed to."""
        ...

    async def outcomes(self, filters: Filters) -> list[tuple[str, str, int]]:
        """Decisions by topic and outcome."""
        ...

    async def gaps(self, filters: Filters, limit: int) -> list[tuple[str, int]]:
        """The questions the assistant could not help with, as redacted text (those differing
        only in case counted as one, shown in the spelling first in byte order) with how often
        each was asked, most frequent first, at most ``limit``."""
        ...

    async def abandoned(self, filters: Filters, before: dt.datetime) -> list[tuple[str, str, int]]:
        """Flows with no outcome last moved before ``before``, by topic and last question."""
        ...

    async def close(self) -> None: ...


class Clock(Protocol):
    def __call__(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class ConversationReferences(Protocol):
    """Where the assistant can reach a conversation later (a reminder, say): the platform's own
    reference to it, as JSON, by key. Kept from when the app is installed until it is removed;
    the stores in ``bot.storage`` keep it in the database, so a restart loses none."""

    async def put(self, key: str, reference: dict[str, Any]) -> bool:
        """Keep ``reference``; True if ``key`` was not known before."""
        ...

    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def delete(self, key: str) -> bool:
        """Forget ``key``; True if it was known."""
        ...

    def all(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Every reference kept, with its key, in key order; read a batch at a time, so a
        reminder to everywhere never holds them all in memory."""
        ...

    async def close(self) -> None: ...
