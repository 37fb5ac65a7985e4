"""Small-count suppression, so no individual stands out in an aggregate.

A table of counts is published with its row totals, column totals and grand total. Two rules:

- **Primary**: every count (cell or total) from 1 to ``threshold - 1`` is hidden (shown as
  "<5" at the default threshold). Zero is shown: it says nothing about anyone.
- **Secondary**: the rows and columns are sums anyone can redo and combine. So the table is
  checked the way someone trying to undo it would work, knowing that a "<5" is 1 to 4 and a
  "hidden" number is at least 1 (zeros are shown): no hidden number may be worked out, and in
  no row or column with its total shown may the hidden counts add up to less than the
  threshold. Where either happens, one more number is hidden: the smallest non-zero count shown
  in that row or column (the least information lost), else its total, else, where everything
  there is hidden already, a "<5" total is shown as "hidden" instead, so that it may be any
  size. This repeats until nothing is given away.

So the row ``<5 <5 <5 7 | 10`` (zeros shown, so each "<5" is at least 1, and 10 - 7 = 3 over
three of them) is published as ``<5 <5 <5 hidden | 10``.

Whether a hidden number can be worked out is decided exactly, not line by line. A table with
its totals is a flow: the grand total flows to each row (its total), from each row to each
column (its cells) and from each column back (its total), and each published number bounds its
flow (a shown number exactly; "<5" to 1-4; "hidden" to 1 or more). A number has another
possible value if and only if some cycle of +1/-1 changes through the network keeps every bound,
i.e. its arc lies on a cycle of the residual graph: a breadth-first search. Hiding more only
adds to the residual graph, so a number found to be safe stays safe.

At a threshold of 2 a "<2" could only be 1, so there every 1 that could be worked out is shown
as "hidden". The check assumes no one reasons from which number the rule chose to hide (the
smallest in its line): that a "hidden" count is at most the smallest shown beside it.

It protects each table on its own; comparing two views whose filters differ by little (one
day, say) can still narrow a count down, which is one reason filters work in whole days.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence
from enum import Enum

from pydantic import BaseModel


class Hidden(Enum):
    """A count hidden so that a total can't give a small one away: it may be any size, so it
    is never drawn or read as "<5"."""

    OTHER = "hidden"


Count = int | None | Hidden  # None: under the threshold ("<5"); Hidden.OTHER: hidden beside one
Place = tuple[int, int]  # (row, column) in the grid of counts and totals


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
    audit = _Audit(grid, threshold)
    while (more := audit.remedy()) is not None:
        audit.hide(more)

    def shown(r: int, c: int) -> Count:
        if (r, c) in audit.small:
            return None
        return Hidden.OTHER if (r, c) in audit.hidden else grid[r][c]

    return Suppressed(
        cells=[[shown(r, c) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(r, columns) for r in range(rows)],
        column_totals=[shown(rows, c) for c in range(columns)],
        total=shown(rows, columns),
    )


class _Audit:
    """A grid of counts and totals, what is hidden in it, and what that still gives away."""

    def __init__(self, grid: list[list[int]], threshold: int) -> None:
        self.grid = grid
        self.threshold = threshold
        self.rows, self.columns = len(grid) - 1, len(grid[0]) - 1
        places = [(r, c) for r in range(self.rows + 1) for c in range(self.columns + 1)]
        self.places = places
        self.small = {p for p in places if 0 < self.value(p) < threshold}  # shown as "<5"
        self.hidden = set(self.small)  # "<5" or "hidden"
        self.safe: set[Place] = set()  # hidden numbers that can't be worked out (stays so)
        self.lines = [[(r, c) for c in range(self.columns + 1)] for r in range(self.rows + 1)]
        self.lines += [[(r, c) for r in range(self.rows + 1)] for c in range(self.columns + 1)]

    def value(self, place: Place) -> int:
        return self.grid[place[0]][place[1]]

    def hide(self, place: Place) -> None:
        """Hide ``place`` as "hidden": a shown number, or a "<5" that must not bound its sum."""
        self.small.discard(place)
        self.hidden.add(place)

    def remedy(self) -> Place | None:
        """The next number to hide, or None when nothing is given away (or nothing is left
        to hide)."""
        for line in self.lines:
            *counts, total = line
            if total in self.hidden or not any(p in self.hidden for p in counts):
                continue
            known = sum(self.value(p) for p in counts if p not in self.hidden)
            if self.value(total) - known < self.threshold:  # the hidden ones' sum is small
                return self._shown_in([line])
        for place in sorted(self.hidden - self.safe):
            if self.movable(place):
                self.safe.add(place)
                continue
            around = [line for line in self.lines if place in line]
            # A "<5" total bounds the sum of its counts: the more of them, the tighter.
            totals = [p for p in self.small if p[0] == self.rows or p[1] == self.columns]
            widen = sorted(totals, key=lambda p: (-self._under(p), p))
            choices = [
                *self._shown_by_size(p for line in around for p in line[:-1]),
                *self._shown_by_size(line[-1] for line in around),
                *widen,
                *sorted(self.small),
                *self._shown_by_size(self.places),
            ]
            # The first that lets ``place`` move; if none does alone, hide the first anyway.
            fixes = (p for p in choices if self.movable(place, also=p))
            return next(fixes, choices[0] if choices else None)
        return None

    def _under(self, total: Place) -> int:
        """How many hidden counts ``total`` is the sum of (the most, for the grand total)."""
        return max(sum(p in self.hidden for p in line[:-1]) for line in self.lines
                   if line[-1] == total)  # fmt: skip

    def _shown_in(self, lines: list[list[Place]]) -> Place | None:
        """The smallest non-zero count shown in ``lines``, else their smallest shown total."""
        counts = self._shown_by_size(p for line in lines for p in line[:-1])
        return next(iter(counts or self._shown_by_size(line[-1] for line in lines)), None)

    def _shown_by_size(self, places: Iterable[Place]) -> list[Place]:
        shown = {p for p in places if p not in self.hidden and self.value(p) > 0}
        return sorted(shown, key=lambda p: (self.value(p), p))

    def movable(self, place: Place, also: Place | None = None) -> bool:
        """Whether ``place`` could be another number with everything published still true
        (with ``also`` hidden too): whether a cycle in the residual graph runs through it."""
        graph: dict[int, list[int]] = {}
        for p in self.places:
            if p == place:
                continue
            start, end = self._arc(p)
            low, high = self._bounds(p, also)
            if self.value(p) < high:
                graph.setdefault(start, []).append(end)
            if self.value(p) > low:
                graph.setdefault(end, []).append(start)
        start, end = self._arc(place)
        low, high = self._bounds(place, also)
        return (self.value(place) < high and _reaches(graph, end, start)) or (
            self.value(place) > low and _reaches(graph, start, end)
        )

    def _bounds(self, place: Place, also: Place | None) -> tuple[float, float]:
        if place in self.small and place != also:
            return 1, self.threshold - 1
        if place in self.hidden or place == also:
            return 1, math.inf
        return self.value(place), self.value(place)

    def _arc(self, place: Place) -> tuple[int, int]:
        """The nodes a number flows between: 0 into the grand total, 1 out of it, then the
        rows, then the columns."""
        r, c = place
        row, column = 2 + r, 2 + self.rows + c
        if r == self.rows:
            return (0, 1) if c == self.columns else (column, 0)  # grand total; column total
        return (1, row) if c == self.columns else (row, column)  # row total; a cell


def _reaches(graph: dict[int, list[int]], start: int, end: int) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            return True
        for after in graph.get(node, []):
            if after not in seen:
                seen.add(after)
                queue.append(after)
    return False


def shown(count: Count, threshold: int) -> str:
    """A count as the dashboard prints it: "<5" when small, "hidden" when hidden beside a
    small one, else with thousands separators."""
    if count is None:
        return f"<{threshold}"
    return count.value if isinstance(count, Hidden) else f"{count:,}"


def drawn(count: Count) -> int:
    """How much of a count a chart draws: nothing of a hidden one."""
    return count if isinstance(count, int) else 0
