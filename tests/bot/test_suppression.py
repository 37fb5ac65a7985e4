"""Small-count suppression: no published number, nor any sum that can be redone from the
published ones, gives away a count under the threshold. The published tables are checked
against an exhaustive search of every table consistent with them."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Sequence

import pytest

from bot.suppression import Count, Hidden, Suppressed, shown, suppress

H = Hidden.OTHER
Place = tuple[int, int]


def lines(published: Suppressed) -> list[list[Count]]:
    """Every row and column of the published grid, each with its total last."""
    grid = published_grid(published)
    return grid + [list(column) for column in zip(*grid, strict=True)]


def published_grid(published: Suppressed) -> list[list[Count]]:
    """The published table with its row totals last in each row and its column totals (and
    the grand total) as a last row."""
    grid = [row + [total] for row, total in zip(published.cells, published.row_totals,
                                                strict=True)]  # fmt: skip
    return grid + [published.column_totals + [published.total]]


def assert_safe(published: Suppressed) -> None:
    for line in lines(published):
        assert sum(not isinstance(value, int) for value in line) != 1, line


# The exhaustive check -------------------------------------------------------------------------


def worked_out(
    published: Suppressed, cells: Sequence[Sequence[int]], threshold: int
) -> list[Place]:
    """Every suppressed number (cell or total) that has only one possible value, found by
    searching every table consistent with what is published: each "<5" 1 to threshold - 1,
    each "hidden" 1 or more (zeros are shown, so a hidden number is never 0), every shown
    number as shown, every row, column and the grand total adding up. "hidden" numbers are
    searched up to the grand total plus the threshold: capping can only make a number look
    pinned that isn't, never the reverse."""
    grid = published_grid(published)
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    truth = [list(row) + [sum(row)] for row in cells]
    truth.append([sum(truth[r][c] for r in range(rows)) for c in range(columns + 1)])
    cap = truth[rows][columns] + threshold

    def bounds(count: Count) -> tuple[int, int]:
        if isinstance(count, int):
            return count, count
        return (1, threshold - 1) if count is None else (1, cap)

    unknown = [(r, c) for r in range(rows) for c in range(columns)
               if not isinstance(grid[r][c], int)]  # fmt: skip
    index = {place: i for i, place in enumerate(unknown)}
    # Each sum anyone can redo: its total, the unknown cells in it, the range their part must
    # fall in (its total's bounds less its shown cells), and its shown cells' part.
    sums: list[tuple[Place, list[int], int, int, int]] = []
    for total, members in (
        *(((r, columns), [(r, c) for c in range(columns)]) for r in range(rows)),
        *(((rows, c), [(r, c) for r in range(rows)]) for c in range(columns)),
        ((rows, columns), list(itertools.product(range(rows), range(columns)))),
    ):
        low, high = bounds(grid[total[0]][total[1]])
        known = sum(v for r, c in members if isinstance(v := grid[r][c], int))
        unknowns = [index[p] for p in members if p in index]
        sums.append((total, unknowns, low - known, high - known, known))
    through: list[list[int]] = [[] for _ in unknown]
    for k, (_, indices, _, _, _) in enumerate(sums):
        for i in indices:
            through[i].append(k)

    def another(target: Place) -> bool:
        """Whether some consistent table gives ``target`` another value than the truth:
        a depth-first search over the unknown cells, trying values near the truth first and
        dropping any branch whose sums can no longer fall in range."""
        domains = [bounds(grid[r][c]) for r, c in unknown]
        partial = [0] * len(sums)
        least = [sum(domains[i][0] for i in indices) for _, indices, *_ in sums]
        most = [sum(domains[i][1] for i in indices) for _, indices, *_ in sums]

        def fits(k: int) -> bool:
            _, _, low, high, _ = sums[k]
            return partial[k] + least[k] <= high and partial[k] + most[k] >= low

        def search(i: int) -> bool:
            if i == len(unknown):
                if target in index:  # its true value was left out of its values below
                    return True
                k = next(k for k, entry in enumerate(sums) if entry[0] == target)
                return sums[k][4] + partial[k] != truth[target[0]][target[1]]
            low, high = domains[i]
            here = truth[unknown[i][0]][unknown[i][1]]
            values = sorted(range(low, high + 1), key=lambda v: abs(v - here))
            if unknown[i] == target:
                values.remove(here)
            for k in through[i]:
                least[k] -= low
                most[k] -= high
            found = False
            for value in values:
                for k in through[i]:
                    partial[k] += value
                found = all(fits(k) for k in through[i]) and search(i + 1)
                for k in through[i]:
                    partial[k] -= value
                if found:
                    break
            for k in through[i]:
                least[k] += low
                most[k] += high
            return found

        return all(fits(k) for k in range(len(sums))) and search(0)

    suppressed = [(r, c) for r in range(rows + 1) for c in range(columns + 1)
                  if not isinstance(grid[r][c], int)]  # fmt: skip
    return [place for place in suppressed if not another(place)]


def small_sums(
    published: Suppressed, cells: Sequence[Sequence[int]], threshold: int
) -> list[list[Place]]:
    """Lines whose total is shown and whose hidden counts add up to less than the threshold
    (that sum can be redone: the total less the shown counts)."""
    found = []
    truth = [list(row) + [sum(row)] for row in cells]
    truth.append([sum(column) for column in zip(*truth, strict=True)])
    grid = published_grid(published)
    places = [[(r, c) for c in range(len(grid[0]))] for r in range(len(grid))]
    for line in places + [list(column) for column in zip(*places, strict=True)]:
        *counts, (tr, tc) = line
        hidden = [truth[r][c] for r, c in counts if not isinstance(grid[r][c], int)]
        if isinstance(grid[tr][tc], int) and hidden and sum(hidden) < threshold:
            found.append(line)
    return found


def assert_nothing_worked_out(cells: Sequence[Sequence[int]], threshold: int) -> Suppressed:
    published = suppress(cells, threshold)
    assert worked_out(published, cells, threshold) == [], (cells, threshold, published)
    assert small_sums(published, cells, threshold) == [], (cells, threshold, published)
    return published


def test_the_exhaustive_check_finds_what_the_old_rule_gave_away() -> None:
    # The row the QA tester reversed: with one hidden number beside them, the three "<5"
    # add up to 10 - 7 = 3, so each is 1. Published the old way, the search pins all three.
    old = Suppressed(cells=[[None, None, None, 7]], row_totals=[10],
                     column_totals=[None, None, None, 7], total=10)  # fmt: skip
    assert worked_out(old, [[1, 1, 1, 7]], 5) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert small_sums(old, [[1, 1, 1, 7]], 5) != []


# Published tables ----------------------------------------------------------------------------


def test_counts_under_the_threshold_are_hidden_and_zero_and_larger_ones_shown() -> None:
    published = suppress([[0, 4, 5, 12]], threshold=5)
    assert published.cells[0][0] == 0
    assert published.cells[0][1] is None
    assert published.cells[0][3] == 12


def test_three_small_counts_a_total_could_give_back_take_the_next_smallest_with_them() -> None:
    # "Police request | <5 | <5 | <5 | 7 | 10": zeros are shown, so each "<5" is at least 1,
    # and 10 - 7 = 3 over three of them pins each at 1. The 7 is hidden too.
    published = assert_nothing_worked_out([[1, 1, 1, 7]], threshold=5)
    assert published.cells == [[None, None, None, H]] and published.row_totals == [10]
    # With another topic below, the same: and the columns' totals protect them too.
    published = assert_nothing_worked_out([[1, 1, 1, 7, 0], [9, 12, 6, 30, 8]], threshold=5)
    assert published.cells[0] == [None, None, None, H, 0]


def test_small_counts_that_must_each_be_the_largest_small_count_are_protected() -> None:
    # 16 over four "<5" would make each 4.
    assert_nothing_worked_out([[4, 4, 4, 4, 20]], threshold=5)
    assert_nothing_worked_out([[4, 4, 9], [6, 7, 8]], threshold=5)


def test_four_small_counts_under_a_small_total_show_the_total_as_hidden() -> None:
    # Four counts of at least 1 adding up to under 5 are each 1: the total can't be "<5".
    published = assert_nothing_worked_out([[1], [1], [1], [1]], threshold=5)
    assert [row[0] for row in published.cells] == [None] * 4
    assert published.column_totals == [H]


def test_counts_given_away_only_by_combining_rows_and_columns_are_protected() -> None:
    # No single line pins a count here, but the middle row (a + h + b = 11) and the middle and
    # last columns (h + c + b = 14, from the shown totals) together give c - a = 3: a = 1, c = 4.
    assert_nothing_worked_out([[9, 0, 0], [1, 9, 1], [6, 4, 0]], threshold=5)
    assert_nothing_worked_out([[1, 0, 9], [2, 5, 9], [1, 0, 2]], threshold=5)


def test_one_hidden_count_in_a_row_takes_the_smallest_other_with_it() -> None:
    # 3 hidden alone, the row total 3+9+20+40=72 would give it back: 9 goes too, not 20 or 40.
    published = assert_nothing_worked_out([[3, 9, 20, 40]], threshold=5)
    assert published.cells == [[None, H, 20, 40]]  # 9 isn't small: never shown as "<5"
    assert published.row_totals == [72]
    assert_safe(published)


def test_a_total_is_hidden_when_no_other_count_can_be() -> None:
    published = assert_nothing_worked_out([[3], [50], [60]], threshold=5)
    # the column: 3 hidden, so the smallest other count (50) goes; each row's total equals its
    # only count, so a hidden count hides its row total too
    assert published.cells == [[None], [H], [60]]
    assert published.row_totals == [None, H, 60]
    assert published.total == 113
    assert_safe(published)


def test_a_small_total_is_hidden_and_protected_like_a_count() -> None:
    published = assert_nothing_worked_out([[1, 1], [20, 30]], threshold=5)
    assert published.row_totals[0] is None
    assert_safe(published)


def test_suppression_in_rows_and_columns_settles_with_no_line_giving_a_count_away() -> None:
    published = assert_nothing_worked_out([[2, 30, 40], [25, 35, 45], [50, 60, 3]], threshold=5)
    assert published.cells[0][0] is None and published.cells[2][2] is None
    assert_safe(published)


def random_table(rng: random.Random) -> list[list[int]]:
    """A small table, mostly small counts and zeros, at most nine cells."""
    rows = rng.randint(1, 4)
    columns = rng.randint(1, max(1, min(4, 9 // rows)))
    values = [0, 0, 1, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12]
    return [[rng.choice(values) for _ in range(columns)] for _ in range(rows)]


@pytest.mark.parametrize("seed", range(10))
def test_no_suppressed_number_in_a_random_table_has_only_one_possible_value(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        cells, threshold = random_table(rng), rng.choice([3, 4, 5])
        published = assert_nothing_worked_out(cells, threshold)
        assert_safe(published)
        for r, c in itertools.product(range(len(cells)), range(len(cells[0]))):
            value = published.cells[r][c]
            assert value in (None, H) or value == cells[r][c]
            if value is None:  # "<5" only ever says under 5, and every count under 5 is hidden
                assert 0 < cells[r][c] < threshold
            if 0 < cells[r][c] < threshold:
                assert value in (None, H)
            if value is H:  # and a hidden number is never 0: zeros are shown
                assert cells[r][c] > 0


@pytest.mark.parametrize("shape", [(1, 3), (3, 1), (2, 2)])
def test_every_small_table_of_small_counts_gives_nothing_away(shape: tuple[int, int]) -> None:
    rows, columns = shape
    for values in itertools.product([0, 1, 2, 4, 6], repeat=rows * columns):
        cells = [list(values[r * columns : (r + 1) * columns]) for r in range(rows)]
        assert_nothing_worked_out(cells, threshold=5)


def test_at_a_threshold_of_two_a_1_is_shown_as_hidden_since_under_2_could_only_be_1() -> None:
    published = assert_nothing_worked_out([[1, 0, 5], [3, 1, 1]], threshold=2)
    assert None not in published.cells[0] + published.cells[1]


def test_a_year_of_weeks_is_suppressed_in_well_under_a_second() -> None:
    rng = random.Random(1)
    cells = [[rng.choice([0, 1, 2, 3, 4, 5, 8, 20]) for _ in range(4)] for _ in range(53)]
    started = time.perf_counter()
    published = suppress(cells, threshold=5)
    assert time.perf_counter() - started < 1.0
    assert_safe(published)


def test_nothing_is_hidden_when_every_count_is_large_enough() -> None:
    published = suppress([[5, 6], [7, 8]], threshold=5)
    assert published.cells == [[5, 6], [7, 8]] and published.total == 26


def test_an_empty_table_publishes_a_zero_total() -> None:
    assert suppress([], threshold=5).total == 0


def test_ragged_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        suppress([[1, 2], [3]], threshold=5)


def test_shown_prints_hidden_counts_with_the_threshold() -> None:
    assert shown(None, 5) == "<5"
    assert shown(None, 10) == "<10"
    assert shown(12345, 5) == "12,345"
    assert shown(H, 5) == "hidden"
