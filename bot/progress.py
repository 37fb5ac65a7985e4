"""Flow progress for the analytics dashboard: how far each guided flow got, so analysts can
see which question conversations were abandoned at.

A flow gets a random id when it starts (``ConversationState.flow``), linked to no user and no
conversation key; each time the engine asks a question or reaches a decision, the flow's row
(topic, last question, outcome, on-the-hour times) is written to the query log's store. Best
effort, like the query log: a failed write is logged by type and never changes a turn.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable

from bot import messages
from bot.models import ConversationState, FlowProgress
from bot.queries import on_the_hour
from bot.types import QueryLog

log = logging.getLogger(__name__)
FLUSH_EVERY = 1.0  # seconds progress may be held before it is written
FLUSH_MOST = 500  # flows held at most


def new_flow_id() -> str:
    return uuid.uuid4().hex


def progress_of(
    before: ConversationState, after: ConversationState, channel: str, now: dt.datetime
) -> FlowProgress | None:
    """The flow's progress if this turn moved it (a new flow, another question asked, or a
    decision reached), else None."""
    if after.flow is None or after.topic is None:
        return None
    if (before.flow, before.question, before.outcome) == (after.flow, after.question,
                                                          after.outcome):  # fmt: skip
        return None
    # Once decided there is no question on screen: the last one asked is the last answered.
    question = after.question or (after.answers[-1][0] if after.answers else None)
    if question is None:
        return None
    hour = on_the_hour(now)
    return FlowProgress(id=after.flow, started=hour, channel=channel, topic=after.topic,
                        question=question, outcome=after.outcome, updated=hour)  # fmt: skip


def moved_on(known: FlowProgress | None, flow: FlowProgress) -> FlowProgress:
    """``flow`` as kept once ``known`` (the same flow, written earlier) is there: where and when
    it started, and its topic, stay as first written."""
    if known is None:
        return flow
    kept = {"started": known.started, "channel": known.channel, "topic": known.topic}
    return flow.model_copy(update=kept)


class ProgressWriter:
    """Flow progress held back and written in batches: one transaction for the turns of a
    second or so, where a write per question asked cost as much as the rest of a button press.
    Best effort, like the rows themselves: a failed write is logged by type and never reaches
    a turn, and what is held when a process dies is lost. ``flush`` writes what is held (the
    engine's owner calls it before closing the log)."""

    def __init__(
        self,
        queries: QueryLog,
        every: float = FLUSH_EVERY,
        most: int = FLUSH_MOST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.queries, self.every, self.most, self.clock = queries, every, most, clock
        self._held: dict[str, FlowProgress] = {}
        self._since: float | None = None  # when the oldest progress held came in

    async def note(
        self, before: ConversationState, after: ConversationState, channel: str, now: dt.datetime
    ) -> None:
        """Hold the flow's progress if the turn moved it; write what is held once it is due."""
        flow = progress_of(before, after, channel, now)
        if flow is not None:
            self._held[flow.id] = moved_on(self._held.get(flow.id), flow)
            self._since = self.clock() if self._since is None else self._since
        if self._since is not None and (
            len(self._held) >= self.most or self.clock() - self._since >= self.every
        ):
            await self.flush()

    async def flush(self) -> None:
        if not self._held:
            return
        batch, self._held, self._since = list(self._held.values()), {}, None
        try:
            await self.queries.progress(batch)
        except Exception as exc:  # whatever the storage raises, the turns go on
            log.error(messages.PROGRESS_NOT_LOGGED, type(exc).__name__)
