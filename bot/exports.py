"""The anonymised query log as analysts take it away: CSV or JSON lines, one definition shared
by ``infoshare logs export`` and the dashboard's download button, so both give exactly the same
records (``adapters.parquet`` writes the same columns as Parquet)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Literal

from bot.analytics import Filters
from bot.models import QueryRecord

QUERY_COLUMNS = list(QueryRecord.model_fields)
TextFormat = Literal["csv", "jsonl"]


async def query_lines(records: AsyncIterator[QueryRecord], fmt: TextFormat) -> AsyncIterator[str]:
    """``records`` as text, a line at a time (CSV starts with its header line)."""
    if fmt == "jsonl":
        async for record in records:
            yield record.model_dump_json() + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[object]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(list(QUERY_COLUMNS))
    async for record in records:
        row = record.model_dump(mode="json")
        yield line(["" if row[c] is None else row[c] for c in QUERY_COLUMNS])


async def matching(
    records: AsyncIterator[QueryRecord], filters: Filters
) -> AsyncIterator[QueryRecord]:
    """The records (in time order, from ``filters.since``) that ``filters`` covers; stops
    reading at the end of its date range."""
    until = filters.until
    async for record in records:
        if until is not None and record.time >= until:
            return
        if filters.matches(record):
            yield record
