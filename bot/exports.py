"""The anonymised query log as analysts take it away: CSV or JSON lines, one definition shared
by ``infoshare logs export`` and the dashboard's download button, so both give exactly the same
records (``adapters.parquet`` writes the same columns as Parquet).

Every text export (these and ``infoshare decisions export``) writes a time one way,
``utc_timestamp``: ISO 8601 in UTC ending in Z, so a record's CSV and JSON lines agree, and a
boolean as JSON does, ``true`` or ``false``. Every CSV the product writes goes through
``csv_cells``: a cell a spreadsheet would run as a formula (text starting ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, as staff may type) gets a ``'`` in front, OWASP's advice, so
Excel shows it as text. JSON lines and Parquet keep every value exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any, Literal

from pydantic import BaseModel

from bot.analytics import Filters
from bot.models import QueryRecord

QUERY_COLUMNS = list(QueryRecord.model_fields)
TextFormat = Literal["csv", "jsonl"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a formula


def utc_timestamp(time: dt.datetime) -> str:
    """``time`` in UTC as ISO 8601 ending in Z (``2026-11-24T10:30:00Z``, with microseconds
    when it has any): the form pydantic gives JSON, for CSV too."""
    return time.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def export_row(record: BaseModel) -> dict[str, Any]:
    """``record``'s fields as JSON values, each time as ``utc_timestamp`` writes it."""
    row = record.model_dump(mode="json")
    for name, value in record:
        if isinstance(value, dt.datetime):
            row[name] = utc_timestamp(value)
    return row


def csv_cells(values: Iterable[object]) -> list[str]:
    """``values`` as CSV cells: None empty, booleans ``true``/``false`` (as in JSON), times as
    ``utc_timestamp``, and text a spreadsheet would run as a formula neutralised with a
    leading ``'``."""
    cells = []
    for value in values:
        if value is None:
            cell = ""
        elif isinstance(value, bool):
            cell = "true" if value else "false"
        elif isinstance(value, dt.datetime):
            cell = utc_timestamp(value)
        else:
            cell = str(value)
            if isinstance(value, str) and cell.startswith(FORMULA_STARTS):
                cell = "'" + cell
        cells.append(cell)
    return cells


def json_line(record: BaseModel) -> str:
    """``record`` as one line of JSON lines (no newline), times as ``utc_timestamp``."""
    return json.dumps(export_row(record), ensure_ascii=False, separators=(",", ":"))


async def query_lines(records: AsyncIterator[QueryRecord], fmt: TextFormat) -> AsyncIterator[str]:
    """``records`` as text, a line at a time (CSV starts with its header line)."""
    if fmt == "jsonl":
        async for record in records:
            yield json_line(record) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[str]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(csv_cells(QUERY_COLUMNS))
    async for record in records:
        row = export_row(record)
        yield line(csv_cells(row[column] for column in QUERY_COLUMNS))


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
