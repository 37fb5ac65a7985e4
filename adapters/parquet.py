"""The anonymised query log as a Parquet file, for analysts' own tools (pandas, R, Power BI,
DuckDB): the same records and columns as the CSV and JSON lines exports (``bot.exports``),
typed, written a batch at a time so a large log never sits in memory.

pyarrow is imported only here, and only when Parquet is asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from bot.exports import QUERY_COLUMNS
from bot.models import QueryRecord

BATCH = 10_000
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("time", pa.timestamp("s", tz="UTC")),
        ("channel", pa.string()),
        ("user", pa.string()),
        ("text", pa.string()),
        ("kind", pa.string()),
        ("topic", pa.string()),
        ("confidence", pa.float64()),
        ("helped", pa.bool_()),
    ]
)
assert SCHEMA.names == QUERY_COLUMNS, "the Parquet columns are the other exports' columns"


async def write_parquet(records: AsyncIterator[QueryRecord], path: Path) -> int:
    """Write ``records`` to ``path`` (replacing it); how many were written."""
    written = 0
    columns: dict[str, list[Any]] = {name: [] for name in QUERY_COLUMNS}
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:

        async def flush() -> None:
            table = pa.table(columns, schema=SCHEMA)
            await asyncio.to_thread(writer.write_table, table)
            for values in columns.values():
                values.clear()

        async for record in records:
            for name in QUERY_COLUMNS:
                columns[name].append(getattr(record, name))
            written += 1
            if written % BATCH == 0:
                await flush()
        await flush()
    return written
