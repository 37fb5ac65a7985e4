"""In-process state: the default conversation store (with the platform deliveries already
taken and the adapters' shelf), and a decision log and a query log for dry runs and tests."""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence

from bot.models import ConversationState, DecisionRecord, FlowProgress, QueryRecord
from bot.progress import moved_on
from bot.types import RETRY_WINDOW

MAX_CONVERSATIONS = 10_000  # the oldest idle conversations are forgotten first
SEEN_LIMIT = 10_000  # claimed keys kept at most (a few minutes' deliveries); the oldest go first
SHELF_LIMIT = 10_000  # values and claims kept at most, each; the oldest go first


class MemorySeenKeys:
    """Keys claimed in this process (``bot.types.SeenKeys``): each for ``ttl``, and the most
    recent ``limit`` at most."""

    def __init__(
        self,
        limit: int = SEEN_LIMIT,
        ttl: dt.timedelta = RETRY_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # key -> when its claim ends, in the order claimed: with one ttl, also the order they end
        self._ends: OrderedDict[str, float] = OrderedDict()
        self._limit = limit
        self._ttl = ttl.total_seconds()
        self._clock = clock

    async def first_time(self, key: str) -> bool:
        now = self._clock()
        while self._ends and next(iter(self._ends.values())) <= now:
            self._ends.popitem(last=False)
        if key in self._ends:
            return False
        self._ends[key] = now + self._ttl
        if len(self._ends) > self._limit:
            self._ends.popitem(last=False)
        return True


class MemoryShelf:
    """Values and claims in this process (``bot.types.Shelf``): each until its ttl ends, and
    the most recent ``limit`` of each at most."""

    def __init__(self, limit: int = SHELF_LIMIT, clock: Callable[[], float] = time.monotonic):
        # key -> (when it ends, value), in the order put
        self._values: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._claims: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._limit = limit
        self._clock = clock

    async def put(self, key: str, value: str, ttl: dt.timedelta) -> None:
        self._keep(self._values, key, value, ttl)

    async def get(self, key: str) -> str | None:
        return self._live(self._values, key)

    async def claim(self, key: str, ttl: dt.timedelta) -> bool:
        if self._live(self._claims, key) is not None:
            return False
        self._keep(self._claims, key, "", ttl)
        return True

    async def release(self, key: str) -> None:
        self._claims.pop(key, None)

    def _keep(
        self, kept: OrderedDict[str, tuple[float, str]], key: str, value: str, ttl: dt.timedelta
    ) -> None:
        kept.pop(key, None)
        kept[key] = (self._clock() + ttl.total_seconds(), value)
        while len(kept) > self._limit:
            kept.popitem(last=False)

    def _live(self, kept: OrderedDict[str, tuple[float, str]], key: str) -> str | None:
        held = kept.get(key)
        if held is None:
            return None
        if held[0] <= self._clock():
            del kept[key]
            return None
        return held[1]


class MemoryConversationStore:
    def __init__(self, limit: int = MAX_CONVERSATIONS) -> None:
        self._states: OrderedDict[str, str] = OrderedDict()
        self._limit = limit
        self._seen = MemorySeenKeys()
        self._shelf = MemoryShelf()

    async def get(self, key: str) -> ConversationState | None:
        raw = self._states.get(key)
        if raw is None:
            return None
        self._states.move_to_end(key)
        return ConversationState.model_validate_json(raw)

    async def put(self, key: str, state: ConversationState) -> None:
        # Stored as JSON, as a shared store would, so nothing relies on sharing live objects.
        self._states[key] = state.model_dump_json()
        self._states.move_to_end(key)
        while len(self._states) > self._limit:
            self._states.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._states.pop(key, None)

    async def ping(self) -> None:
        return None

    def seen_keys(self) -> MemorySeenKeys:
        return self._seen

    def shelf(self) -> MemoryShelf:
        return self._shelf

    async def close(self) -> None:
        return None


class MemoryDecisionLog:
    """Keeps decisions in a list: for conversation tests and ``knowledge test`` dry runs."""

    def __init__(self) -> None:
        self.records: list[DecisionRecord] = []

    async def record(self, decision: DecisionRecord) -> None:
        self.records.append(decision)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[DecisionRecord]:
        for record in list(self.records):
            if since is None or record.time >= since:
                yield record

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


class MemoryQueryLog:
    """Keeps query records in a list: for tests and ``knowledge test`` dry runs."""

    def __init__(self) -> None:
        self.records: list[QueryRecord] = []
        self.flows: dict[str, FlowProgress] = {}
        self.rules: str | None = None

    async def record(self, query: QueryRecord) -> None:
        self.records.append(query)

    async def progress(self, flows: Sequence[FlowProgress]) -> None:
        for flow in flows:
            self.flows[flow.id] = moved_on(self.flows.get(flow.id), flow)

    async def export(self, since: dt.datetime | None = None) -> AsyncIterator[QueryRecord]:
        for record in sorted(self.records, key=lambda r: (r.time, r.id)):
            if since is None or record.time >= since:
                yield record

    async def purge(self, before: dt.datetime) -> int:
        kept = [r for r in self.records if r.time >= before]
        gone, self.records = len(self.records) - len(kept), kept
        old = [key for key, flow in self.flows.items() if flow.updated < before]
        for key in old:
            del self.flows[key]
        return gone + len(old)

    async def amend(self, texts: Mapping[str, str]) -> set[str]:
        found = set()
        for i, record in enumerate(self.records):
            if record.id in texts:
                self.records[i] = record.model_copy(update={"text": texts[record.id]})
                found.add(record.id)
        return found

    async def redacted_with(self) -> str | None:
        return self.rules

    async def mark_redacted_with(self, version: str) -> None:
        self.rules = version

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None
