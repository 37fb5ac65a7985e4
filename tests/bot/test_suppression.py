"""Small-count suppression: no published number, nor any sum that can be redone from the
published ones, gives away a count under the threshold."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.suppression import Count, Hidden, Suppressed, shown, suppress

H = Hidden.OTHER


def lines(published: Suppressed) -> list[list[Count]]:
    """Every row and column of the published grid, each with its total last."""
    grid = [row + [total] for row, total in zip(published.cells, published.row_totals,
                                                strict=True)]  # fmt: skip
    grid.append(published.column_totals + [published.total])
    return grid + [list(column) for column in zip(*grid, strict=True)]


def assert_safe(published: Suppressed) -> None:
    for line in lines(published):
        assert sum(not isinstance(value, int) for value in line) != 1, line


def test_counts_under_the_threshold_are_hidden_and_zero_and_larger_ones_shown() -> None:
    published = suppress([[0, 4, 5, 12]], threshold=5)
    assert published.cells[0][0] == 0
    assert published.cells[0][1] is None
    assert published.cells[0][3] == 12


def test_one_hidden_count_in_a_row_takes_the_smallest_other_with_it() -> None:
    # 3 hidden alone, the row total 3+9+20+40=72 would give it back: 9 goes too, not 20 or 40.
    published = suppress([[3, 9, 20, 40]], threshold=5)
    assert published.cells == [[None, H, 20, 40]]  # 9 isn't small: never shown as "<5"
    assert published.row_totals == [72]
    assert_safe(published)


def test_a_total_is_hidden_when_no_other_count_can_be() -> None:
    published = suppress([[3], [50], [60]], threshold=5)
    # the column: 3 hidden, so the smallest other count (50) goes; each row's total equals its
    # only count, so a hidden count hides its row total too
    assert published.cells == [[None], [H], [60]]
    assert published.row_totals == [None, H, 60]
    assert published.total == 113
    assert_safe(published)


def test_a_small_total_is_hidden_and_protected_like_a_count() -> None:
    published = suppress([[1, 1], [20, 30]], threshold=5)
    assert published.row_totals[0] is None
    assert_safe(published)


def test_suppression_in_rows_and_columns_settles_with_no_line_giving_a_count_away() -> None:
    published = suppress([[2, 30, 40], [25, 35, 45], [50, 60, 3]], threshold=5)
    assert published.cells[0][0] is None and published.cells[2][2] is None
    assert_safe(published)


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_leave_a_line_with_one_hidden_number(seed: int) -> None:
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 6), rng.randint(1, 6)
    cells = [[rng.choice([0, 1, 2, 3, 4, 5, 8, 13, 40]) for _ in range(columns)]
             for _ in range(rows)]  # fmt: skip
    published = suppress(cells, threshold=5)
    assert_safe(published)
    for r, c in itertools.product(range(rows), range(columns)):
        value = published.cells[r][c]
        assert value in (None, H) or value == cells[r][c]
        assert (value is None) == (0 < cells[r][c] < 5)  # "<5" exactly when it is


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
