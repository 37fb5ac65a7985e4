"""Small-count suppression, so no individual stands out in an aggregate.

A table of counts is published with its row totals, column totals and grand total. Two rules:

- **Primary**: every count (cell or total) from 1 to ``threshold - 1`` is hidden (shown as
  "<5" at the default threshold). Zero is shown: it says nothing about anyone.
- **Secondary**: each row and each column, with its total, is a sum that anyone can redo. Where
  exactly one of its numbers is hidden, the others would give it away by subtraction, so one
  more is hidden: the smallest non-zero visible count in that line (the least information
  lost), or the line's total when no count is left to hide. Hiding one number can leave
  another line with a single hidden number, so the rule is applied until every line has none
  or at least two.

It protects each table on its own; comparing two views whose filters differ by little (one
day, say) can still narrow a count down, which is one reason filters work in whole days.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from pydantic import BaseModel


class Hidden(Enum):
    """A count hidden only so that a total can't give a small one away: it may be any size,
    so it is never shown as "<5"."""

    OTHER = "hidden"


Count = int | None | Hidden  # None: under the threshold ("<5"); Hidden.OTHER: hidden beside one


class Suppressed(BaseModel):
    """A table of counts as published: ``None`` where a number is under the threshold,
    ``Hidden.OTHER`` where a number is hidden so that a total can't give one of those away."""

    cells: list[list[Count]]
    row_totals: list[Count]
    column_totals: list[Count]
    total: Count


def suppress(cells: Sequence[Sequence[int]], threshold: int) -> Suppressed:
    """``cells`` (rows of equal length) and their totals, with small counts and whatever would
    reveal them hidden. A ``threshold`` of 1 or less hides nothing."""
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if any(len(row) != columns for row in cells):
        raise ValueError("every row needs the same number of cells")
    # The table with its totals as one (rows + 1) x (columns + 1) grid: the last column holds
    # the row totals, the last row the column totals, the corner the grand total.
    grid = [list(row) + [sum(row)] for row in cells]
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(columns + 1)])
    hidden = {
        (r, c) for r in range(rows + 1) for c in range(columns + 1) if 0 < grid[r][c] < threshold
    }
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    small = set(hidden)
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            if sum(place in hidden for place in line) == 1:
                hidden.add(_partner(line, grid, hidden))
                changed = True

    def shown(r: int, c: int) -> Count:
        if (r, c) in small:
            return None
        return Hidden.OTHER if (r, c) in hidden else grid[r][c]

    return Suppressed(
        cells=[[shown(r, c) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(r, columns) for r in range(rows)],
        column_totals=[shown(rows, c) for c in range(columns)],
        total=shown(rows, columns),
    )


def _partner(
    line: list[tuple[int, int]], grid: list[list[int]], hidden: set[tuple[int, int]]
) -> tuple[int, int]:
    """What to hide beside a line's one hidden number: its smallest non-zero visible count,
    else its total, else (a line of zeros and a hidden total) its first visible count."""
    *counts, total = line
    visible = [p for p in counts if p not in hidden]
    non_zero = [p for p in visible if grid[p[0]][p[1]] > 0]
    if non_zero:
        return min(non_zero, key=lambda p: (grid[p[0]][p[1]], p))
    if total not in hidden:
        return total
    return visible[0]


def shown(count: Count, threshold: int) -> str:
    """A count as the dashboard prints it: "<5" when small, "hidden" when hidden beside a
    small one, else with thousands separators."""
    if count is None:
        return f"<{threshold}"
    return count.value if isinstance(count, Hidden) else f"{count:,}"


def drawn(count: Count) -> int:
    """How much of a count a chart draws: nothing of a hidden one."""
    return count if isinstance(count, int) else 0
