"""The analytics dashboard's data: the filters analysts choose, the counts a store returns for
them, and the published dashboard, every table passed through ``bot.suppression``.

A store (``bot.types.AnalyticsStore``) does the counting in the database; everything here is
pure, so SQLite and PostgreSQL share one definition of what the dashboard shows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.models import QueryRecord
from bot.suppression import Count, suppress
from bot.types import AnalyticsStore

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"  # channel and topic ids
KNOWN_CHANNELS = ("cli", "slack", "teams", "web")
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # the dates a filter may name
ABANDONED_AFTER = dt.timedelta(days=1)  # a flow untouched this long, undecided, was abandoned
GAPS_SHOWN = 50
NO_TOPIC = "none"  # a typed answer or command before any topic


class FilterError(ValueError):
    """A filter an analyst gave can't be used; the message says which and why."""


class Filters(BaseModel):
    """What the dashboard and its export cover: whole days (UTC) from ``start`` to ``end``,
    both included, and optionally one channel and one topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    end: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    channel: str | None = Field(default=None, pattern=ID_PATTERN)
    topic: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _in_order(self) -> Filters:
        if self.start and self.end and self.start > self.end:
            raise ValueError("the 'from' date is after the 'to' date")
        return self

    @property
    def since(self) -> dt.datetime | None:
        return _midnight(self.start) if self.start else None

    @property
    def until(self) -> dt.datetime | None:
        """The first moment after the range (midnight after ``end``), or None."""
        return _midnight(self.end + dt.timedelta(days=1)) if self.end else None

    def matches(self, record: QueryRecord) -> bool:
        """Whether the export of these filters includes ``record``."""
        return (
            (self.since is None or record.time >= self.since)
            and (self.until is None or record.time < self.until)
            and (self.channel is None or record.channel == self.channel)
            and (self.topic is None or record.topic == self.topic)
        )

    def as_query(self) -> dict[str, str]:
        """The filters as the dashboard's query string parameters (empty ones left out)."""
        found = {"from": self.start, "to": self.end, "channel": self.channel, "topic": self.topic}
        return {name: str(value) for name, value in found.items() if value}


def read_filters(
    params: Mapping[str, str], topics: Collection[str] | None = None
) -> tuple[Filters, list[str]]:
    """Filters from query string parameters ``from``, ``to`` (YYYY-MM-DD, 2000 to 2100),
    ``channel`` (one of ``KNOWN_CHANNELS``) and ``topic`` (one of ``topics``, when given);
    blank ones are no filter. Every filter that can be used is kept; for each one that can't,
    a plain-English problem naming it, and it is left out."""
    values = {
        key: params.get(key, "").strip() or None for key in ("from", "to", "channel", "topic")
    }
    problems: list[str] = []
    dates: dict[str, dt.date | None] = {"from": None, "to": None}
    for key in ("from", "to"):
        text = values[key]
        if text is None:
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(f"the '{key}' date '{text[:40]}' is not a date like 2026-01-31")
            continue
        if not EARLIEST <= day <= LATEST:
            problems.append(f"the '{key}' date {day} is not between {EARLIEST} and {LATEST}")
            continue
        dates[key] = day
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        problems.append(
            f"the 'from' date {dates['from']} is after the 'to' date {dates['to']}, so neither "
            "was used"
        )
        dates = {"from": None, "to": None}
    channel, topic = values["channel"], values["topic"]
    if channel is not None and channel not in KNOWN_CHANNELS:
        problems.append(f"'{channel[:40]}' is not a channel: choose one of "
                        f"{', '.join(KNOWN_CHANNELS)}")  # fmt: skip
        values["channel"] = None
    if topic is not None and (not _is_id(topic) or (topics is not None and topic not in topics)):
        problems.append(f"'{topic[:40]}' is not a topic the assistant knows: choose one from "
                        "the list")  # fmt: skip
        values["topic"] = None
    filters = Filters(start=dates["from"], end=dates["to"], channel=values["channel"],
                      topic=values["topic"])  # fmt: skip
    return filters, problems


def parse_filters(params: Mapping[str, str], topics: Collection[str] | None = None) -> Filters:
    """Filters as ``read_filters`` reads them; raises FilterError, in plain English, if any
    can't be used."""
    filters, problems = read_filters(params, topics)
    if problems:
        raise FilterError("; ".join(problems))
    return filters


@dataclass
class Counts:
    """What a store counted for one set of filters: the raw material of a dashboard."""

    questions: list[tuple[dt.date, str, int]] = field(default_factory=list)  # day, channel
    decisions: list[tuple[dt.date, str, int]] = field(default_factory=list)  # day, channel
    topics: list[tuple[str, int]] = field(default_factory=list)  # questions by routed topic
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)  # topic, outcome
    gaps: list[tuple[str, int]] = field(default_factory=list)  # redacted text, most first
    abandoned: list[tuple[str, str, int]] = field(default_factory=list)  # topic, question


class Table(BaseModel):
    """A published table: labelled rows and columns of counts (``None`` where suppressed)."""

    rows: list[str]
    columns: list[str]
    cells: list[list[Count]]
    row_totals: list[Count]
    column_totals: list[Count]
    total: Count


class Gap(BaseModel):
    text: str  # redacted
    count: int


class Dashboard(BaseModel):
    filters: Filters
    threshold: int
    questions: Table  # weeks (Monday, ISO date) x channels
    decisions: Table  # weeks x channels
    topics: Table  # topics x ["questions"]
    outcomes: Table  # topics x outcomes
    gaps: list[Gap]  # asked at least ``threshold`` times, most frequent first
    abandoned: Table  # "topic/question" x ["conversations"]


def build_dashboard(
    counts: Counts, filters: Filters, threshold: int, today: dt.date | None = None
) -> Dashboard:
    """The dashboard as published: every table suppressed at ``threshold``; weeks run to the
    filters' end, or ``today``'s week if that comes first (no empty weeks in the future)."""
    return Dashboard(
        filters=filters,
        threshold=threshold,
        questions=_weekly(counts.questions, filters, threshold, today),
        decisions=_weekly(counts.decisions, filters, threshold, today),
        topics=table(((t, "questions", n) for t, n in counts.topics), threshold, by_count=True),
        outcomes=table(counts.outcomes, threshold),
        gaps=[Gap(text=text, count=n) for text, n in counts.gaps if n >= threshold],
        abandoned=table(
            ((f"{t}/{q}", "conversations", n) for t, q, n in counts.abandoned),
            threshold,
            by_count=True,
        ),  # fmt: skip
    )


def table(
    entries: Iterable[tuple[str, str, int]],
    threshold: int,
    rows: list[str] | None = None,
    by_count: bool = False,
) -> Table:
    """A suppressed table from (row, column, count) entries, summing repeats; rows in the
    order given by ``rows``, else by largest total first (``by_count``) or by name."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for row, column, count in entries:
        sums[row, column] += count
    columns = sorted({column for _, column in sums})
    if rows is None:
        totals: dict[str, int] = defaultdict(int)
        for (row, _), count in sums.items():
            totals[row] += count
        rows = sorted(totals, key=lambda r: (-totals[r], r)) if by_count else sorted(totals)
    cells = [[sums.get((row, column), 0) for column in columns] for row in rows]
    published = suppress(cells, threshold)
    return Table(rows=rows, columns=columns, **published.model_dump())


async def count(store: AnalyticsStore, filters: Filters, now: dt.datetime) -> Counts:
    """Everything the dashboard shows, counted by ``store`` (at once, as far as its
    connections allow); flows untouched since ``ABANDONED_AFTER`` before ``now`` and
    undecided count as abandoned."""
    questions, decisions, topics, outcomes, gaps, abandoned = await asyncio.gather(
        store.questions(filters),
        store.decisions(filters),
        store.topics(filters),
        store.outcomes(filters),
        store.gaps(filters, GAPS_SHOWN),
        store.abandoned(filters, now - ABANDONED_AFTER),
    )
    return Counts(questions=questions, decisions=decisions, topics=topics, outcomes=outcomes,
                  gaps=gaps, abandoned=abandoned)  # fmt: skip


def week_of(day: dt.date) -> dt.date:
    """The Monday starting ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def _weekly(
    days: list[tuple[dt.date, str, int]], filters: Filters, threshold: int, today: dt.date | None
) -> Table:
    """Day counts by channel as weeks by channel, every week in range shown (empty ones too,
    so a chart's gaps are real)."""
    seen = [day for day, _, _ in days]
    first = filters.start or (min(seen) if seen else None)
    last = filters.end or (max(seen) if seen else None)
    if last and today:  # no weeks after this one (unless the records run on)
        last = min(last, max([today, *seen]))
    weeks: list[str] = []
    if first and last:
        week = week_of(first)
        while week <= last:
            weeks.append(week.isoformat())
            week += dt.timedelta(days=7)
    entries = ((week_of(day).isoformat(), channel, n) for day, channel, n in days)
    return table(entries, threshold, rows=weeks)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN.strip("^$"), text) is not None
