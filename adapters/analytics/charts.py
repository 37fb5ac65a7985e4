"""Charts as inline SVG, drawn on the server: no script, no CDN, nothing for a browser to fetch.

Each chart is an image with an accessible name and description (``role="img"`` with its
``<title>`` and ``<desc>``); the page puts the same numbers in a table beside it. Bars are
stacked by series (channel, outcome); a suppressed count is not drawn, and a row's label says
"<5" where its total is suppressed. Colours are told apart by a legend in the page, and each
has at least 3:1 contrast with the white background (WCAG 1.4.11).
"""

from __future__ import annotations

from html import escape

from bot.analytics import Table
from bot.suppression import drawn, shown

# Each at least 4.5:1 on white, in an order where neighbours differ in lightness and hue.
PALETTE = ("#1f5fa8", "#b3541e", "#1b7a4c", "#6b3fa0", "#a3224a", "#4d5560", "#00707a", "#7a5c00")
WIDTH = 720
TEXT = "#1b1b1b"
GRID = "#767676"
LABEL_WIDTH = 270
VALUE_WIDTH = 70
ROW_HEIGHT = 26
COLUMN_HEIGHT = 220


def colour(series: int) -> str:
    return PALETTE[series % len(PALETTE)]


def bars(chart_id: str, name: str, table: Table, row_labels: list[str], threshold: int) -> str:
    """Horizontal bars, one per row of ``table``, stacked by its columns, with each row's
    label on the left and its total on the right."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = _largest(table)
    height = ROW_HEIGHT * len(table.rows) + 4
    parts = []
    for r, label in enumerate(row_labels):
        y = r * ROW_HEIGHT + 2
        middle = y + ROW_HEIGHT / 2
        parts.append(_text(LABEL_WIDTH - 8, middle, _clip(label, 40), anchor="end"))
        x = float(LABEL_WIDTH)
        for c, count in enumerate(table.cells[r]):
            if not drawn(count):
                continue
            width = plot * drawn(count) / top
            parts.append(_rect(x, y + 3, width, ROW_HEIGHT - 6, colour(c)))
            x += width
        parts.append(_text(x + 6, middle, shown(table.row_totals[r], threshold)))
    description = _describe(table, row_labels, threshold)
    return _svg(chart_id, name, description, height, "".join(parts))


def columns(chart_id: str, name: str, table: Table, threshold: int) -> str:
    """Vertical columns, one per row of ``table`` (a week), stacked by its columns, with a
    scale on the left and the first week of each month along the bottom."""
    left, bottom = 48.0, 28.0
    plot_width = WIDTH - left - 8
    top = _largest(table)
    step = plot_width / max(len(table.rows), 1)
    parts = [
        _line(left, COLUMN_HEIGHT, WIDTH - 8, COLUMN_HEIGHT),
        _text(left - 6, 8, f"{top:,}", anchor="end"),
        _line(left - 3, 8, left, 8),
        _text(left - 6, COLUMN_HEIGHT, "0", anchor="end"),
    ]
    month, labelled = "", -100.0
    for r, week in enumerate(table.rows):
        x = left + r * step
        y = float(COLUMN_HEIGHT)
        for c, count in enumerate(table.cells[r]):
            if not drawn(count):
                continue
            height = (COLUMN_HEIGHT - 8) * drawn(count) / top
            y -= height
            parts.append(_rect(x + step * 0.1, y, max(step * 0.8, 1.0), height, colour(c)))
        if week[:7] != month and x - labelled > 56:  # no label over another
            month, labelled = week[:7], x
            parts.append(_text(x, COLUMN_HEIGHT + 16, _month(week)))
    description = _describe(table, table.rows, threshold, noun="week")
    return _svg(chart_id, name, description, COLUMN_HEIGHT + bottom, "".join(parts))


def _largest(table: Table) -> int:
    """The longest bar: the largest sum of a row's drawn (unsuppressed) counts, at least 1."""
    return max([sum(drawn(c) for c in row) for row in table.cells] + [1])


def _describe(
    table: Table, labels: list[str], threshold: int, noun: str = "row"
) -> str:  # fmt: skip
    if not table.rows:
        return "No data."
    said = f"Total {shown(table.total, threshold)}."
    totals = [(t, label) for t, label in zip(table.row_totals, labels, strict=True)
              if isinstance(t, int)]  # fmt: skip
    if totals:  # only a total that is shown may be named
        most, where = max(totals)
        said += f" The most in one {noun}: {where}, {most:,}."
    if any(not isinstance(c, int) for row in table.cells for c in row):
        said += f" Counts under {threshold}, and those hidden beside them, are not drawn."
    return said


def _svg(chart_id: str, name: str, description: str, height: float, body: str) -> str:
    return (
        f'<svg id="{chart_id}" data-testid="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" font-family="system-ui, sans-serif" font-size="12" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(name)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{body}</svg>'
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{fill}" stroke="#ffffff" stroke-width="0.5"/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{GRID}"/>'


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" fill="{TEXT}" text-anchor="{anchor}" '
        f'dominant-baseline="middle">{escape(text)}</text>'
    )


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _month(week: str) -> str:
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{months[int(week[5:7]) - 1]} {week[2:4]}"
