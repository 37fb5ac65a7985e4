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
import uuid

from bot import messages
from bot.models import ConversationState, FlowProgress
from bot.queries import on_the_hour
from bot.types import QueryLog

log = logging.getLogger(__name__)


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


async def note(
    queries: QueryLog,
    before: ConversationState,
    after: ConversationState,
    channel: str,
    now: dt.datetime,
) -> None:
    """Write the flow's progress if the turn moved it; never raises."""
    flow = progress_of(before, after, channel, now)
    if flow is None:
        return
    try:
        await queries.progress(flow)
    except Exception as exc:  # whatever the storage raises, the turn goes on
        log.error(messages.PROGRESS_NOT_LOGGED, type(exc).__name__)
