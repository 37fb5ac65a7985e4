"""Charts as inline SVG, drawn on the server: no script, no CDN, nothing for a browser to fetch.

Each chart is an image with an accessible name and description (``role="img"`` with its
``<title>`` and ``<desc>``); the page puts the same numbers in a table beside it. Bars are
stacked by series (channel, outcome). A suppressed count is never drawn to size and never left
out: in its place goes a marker of a fixed size, outlined and hatched in its series' colour
(diagonal lines for "<5", crossed for "hidden"), labelled "<5" or "hidden" where the bar is wide
enough, with its own accessible name; the description lists them. Colours are told apart by a
legend in the page, and each has at least 3:1 contrast with the white background (WCAG 1.4.11).
Weeks are named by their Monday, "w/c 23 Nov 2026", and months as "Nov 2026".
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from html import escape

from bot.analytics import Table
from bot.suppression import Count, Hidden, drawn, shown

# Each at least 4.5:1 on white, in an order where neighbours differ in lightness and hue.
PALETTE = ("#1f5fa8", "#b3541e", "#1b7a4c", "#6b3fa0", "#a3224a", "#4d5560", "#00707a", "#7a5c00")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # not %b: no locale
WIDTH = 720
TEXT = "#1b1b1b"
GRID = "#767676"
LABEL_WIDTH = 270
LABEL_CHARACTERS = 36  # a line of a row's label: what LABEL_WIDTH holds, by ``_width``
LABEL_LINES = 6  # lines of a row's label at most (the longest question today takes five)
LINE_HEIGHT = 14
VALUE_WIDTH = 70
ROW_HEIGHT = 26
COLUMN_HEIGHT = 220
COLUMN_TOP = 8.0
FONT = 12
MARK_FONT = 11
GAP = 2.0  # between a bar and a marker, and between markers
LISTED = 12  # suppressed counts a chart's description names before saying how many more


def colour(series: int) -> str:
    return PALETTE[series % len(PALETTE)]


def week_label(week: str) -> str:
    """A week by its Monday (an ISO date): "w/c 23 Nov 2026", never mistaken for a date."""
    day = dt.date.fromisoformat(week)
    return f"w/c {day.day} {MONTHS[day.month - 1]} {day.year}"


def month_label(day: str) -> str:
    """The month of an ISO date: "Nov 2026"."""
    when = dt.date.fromisoformat(day)
    return f"{MONTHS[when.month - 1]} {when.year}"


def bars(
    chart_id: str,
    name: str,
    table: Table,
    row_labels: list[str],
    threshold: int,
    column_labels: list[str] | None = None,
) -> str:
    """Horizontal bars, one per row of ``table``, stacked by its columns, then a marker for
    each suppressed count, with each row's label on the left and its total on the right."""
    names = column_labels or table.columns
    marks = [_marked(row) for row in table.cells]
    size = _width(_longest(table, threshold), MARK_FONT) + 12
    extents = [len(row) * (size + GAP) for row in marks]
    plot = max(WIDTH - LABEL_WIDTH - VALUE_WIDTH, max(extents, default=0) + 100.0)
    scale = _scale(table, extents, plot)
    parts = []
    y = 2.0
    for r, label in enumerate(row_labels):
        lines = _wrap(label)
        height = max(ROW_HEIGHT, LINE_HEIGHT * len(lines) + 8)  # a long label wraps: a taller row
        middle = y + height / 2
        top = middle - (ROW_HEIGHT - 6) / 2  # bars and markers in the middle of the row
        for n, line in enumerate(lines):
            shift = (n - (len(lines) - 1) / 2) * LINE_HEIGHT
            parts.append(_text(LABEL_WIDTH - 8, middle + shift, line, anchor="end"))
        x = float(LABEL_WIDTH)
        for c, count in enumerate(table.cells[r]):
            if drawn(count):
                width = drawn(count) * scale
                parts.append(_rect(x, top, width, ROW_HEIGHT - 6, colour(c)))
                x += width
        for c in marks[r]:
            x += GAP
            box = (x, top, size, ROW_HEIGHT - 6)
            parts.append(_marker(chart_id, box, c, table.cells[r][c], threshold,
                                 f"{names[c]}, {label}", Fit(size)))  # fmt: skip
            x += size
        if len(names) > 1 or not marks[r]:  # a single count's marker already says it
            parts.append(_text(x + 6, middle, shown(table.row_totals[r], threshold)))
        y += height
    description = _describe(table, row_labels, names, threshold)
    body = _patterns(chart_id, table) + "".join(parts)
    return _svg(chart_id, name, description, LABEL_WIDTH + plot + VALUE_WIDTH, y + 2, body)


def columns(chart_id: str, name: str, table: Table, threshold: int) -> str:
    """Vertical columns, one per row of ``table`` (a week, by its Monday), stacked by its
    columns and then a marker for each suppressed count, with a scale on the left and along
    the bottom each week, or where they are too narrow for that the first week of each month."""
    left, bottom = 48.0, 28.0
    plot_width = WIDTH - left - 8
    plot_height = COLUMN_HEIGHT - COLUMN_TOP
    step = plot_width / max(len(table.rows), 1)
    bar = max(step * 0.8, 1.0)
    marks = [_marked(row) for row in table.cells]
    fit = _fit(bar, _longest(table, threshold), max(map(len, marks), default=0))
    scale = _scale(table, [len(row) * (fit.size + GAP) for row in marks], plot_height)
    top = max([sum(drawn(c) for c in row) for row in table.cells] + [0])
    parts = [_line(left, COLUMN_HEIGHT, WIDTH - 8, COLUMN_HEIGHT),
             _text(left - 6, COLUMN_HEIGHT, "0", anchor="end")]  # fmt: skip
    if top:
        y = COLUMN_HEIGHT - top * scale
        parts += [_text(left - 6, y, f"{top:,}", anchor="end"), _line(left - 3, y, left, y)]
    weeks = [week_label(week) for week in table.rows]
    every_week = step >= _width(max(map(len, weeks), default=0), FONT) + 8
    month, labelled = "", -100.0
    for r, week in enumerate(table.rows):
        x = left + r * step + step * 0.1
        y = float(COLUMN_HEIGHT)
        for c, count in enumerate(table.cells[r]):
            if drawn(count):
                height = drawn(count) * scale
                y -= height
                parts.append(_rect(x, y, bar, height, colour(c)))
        for c in marks[r]:
            y -= GAP + fit.size
            parts.append(_marker(chart_id, (x, y, bar, fit.size), c, table.cells[r][c],
                                 threshold, f"{table.columns[c]}, {weeks[r]}", fit))  # fmt: skip
        if every_week:
            parts.append(_text(x + bar / 2, COLUMN_HEIGHT + 16, weeks[r], anchor="middle"))
        elif week[:7] != month:  # a month's first week, labelled if not over another label
            month, said = week[:7], month_label(week)
            start = min(x, WIDTH - _width(len(said), FONT))
            if start - labelled > _width(len(said), FONT) + 8:
                labelled = start
                parts.append(_text(start, COLUMN_HEIGHT + 16, said))
    description = _describe(table, weeks, table.columns, threshold, noun="week")
    body = _patterns(chart_id, table) + "".join(parts)
    return _svg(chart_id, name, description, WIDTH, COLUMN_HEIGHT + bottom, body)


def _marked(row: list[Count]) -> list[int]:
    """The columns of a row's suppressed counts."""
    return [c for c, count in enumerate(row) if not isinstance(count, int)]


def _longest(table: Table, threshold: int) -> int:
    """The most characters in a suppressed count's label ("<5", "hidden")."""
    return max([len(shown(count, threshold)) for row in table.cells for count in row
                if not isinstance(count, int)] + [0])  # fmt: skip


@dataclass(frozen=True)
class Fit:
    """How a chart's markers are drawn: their size (height in columns, width in bars), their
    labels' font size, and how the labels run: "across", "up" or not at all (None)."""

    size: float
    font: int = MARK_FONT
    turn: str | None = "across"


def _fit(bar: float, characters: int, most: int) -> Fit:
    """Markers for columns ``bar`` wide, with labels of up to ``characters`` and up to
    ``most`` in one column: labelled across where the bar is wide enough (in a smaller font
    if need be), else up the bar where a week's markers still leave room for its bars, else
    unlabelled (the pattern, the legend and the table say which)."""
    for font in (MARK_FONT, MARK_FONT - 1):
        if bar >= _width(characters, font):  # the estimate has a few pixels to spare
            return Fit(18.0, font)
    tall = _width(characters, MARK_FONT) + 8
    if bar >= MARK_FONT - 1 and most * (tall + GAP) <= 0.6 * (COLUMN_HEIGHT - COLUMN_TOP):
        return Fit(tall, turn="up")
    return Fit(10.0, turn=None)


def _scale(table: Table, markers: list[float], room: float) -> float:
    """Length per count: the most that leaves every row's drawn counts and markers in ``room``."""
    sums = [sum(drawn(c) for c in row) for row in table.cells]
    return min([max(room - m, room * 0.2) / s for s, m in zip(sums, markers, strict=True) if s]
               + [room])  # fmt: skip


def _marker(
    chart_id: str,
    box: tuple[float, float, float, float],
    series: int,
    count: Count,
    threshold: int,
    where: str,
    fit: Fit,
) -> str:
    """What stands in for a suppressed count: the same size whatever the count was."""
    x, y, width, height = box
    said = shown(count, threshold)
    name = f"{where}: {said}, not drawn"
    label = ""
    cx, cy = x + width / 2, y + height / 2
    if fit.turn == "across":
        label = _text(cx, cy, said, "middle", fit.font, halo=True)
    elif fit.turn == "up":
        label = _text(cx, cy, said, "middle", fit.font, halo=True,
                      turn=f"rotate(-90 {cx:.1f} {cy:.1f})")  # fmt: skip
    return (
        f'<g role="img" aria-label="{escape(name)}" class="suppressed" '
        f'data-testid="suppressed"><title>{escape(name)}</title>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="url(#{chart_id}-{_kind(count)}-{series})" stroke="{colour(series)}" '
        f'stroke-width="1.5" stroke-dasharray="4 2"/>{label}</g>'
    )


def _kind(count: Count) -> str:
    return "other" if isinstance(count, Hidden) else "few"


def _patterns(chart_id: str, table: Table) -> str:
    """The hatching of the markers this chart draws: diagonal for "<5", crossed for "hidden"."""
    used = sorted({(_kind(count), c) for row in table.cells for c, count in enumerate(row)
                   if not isinstance(count, int)})  # fmt: skip
    defs = []
    for kind, series in used:
        ink = colour(series)
        lines = f'<rect width="2" height="6" fill="{ink}"/>'
        if kind == "other":
            lines = (f'<rect width="1.5" height="6" fill="{ink}"/>'
                     f'<rect width="6" height="1.5" fill="{ink}"/>')  # fmt: skip
        defs.append(
            f'<pattern id="{chart_id}-{kind}-{series}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="#ffffff"/>{lines}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _describe(
    table: Table, labels: list[str], names: list[str], threshold: int, noun: str = "row"
) -> str:
    if not table.rows:
        return "No data."
    said = f"Total {shown(table.total, threshold)}."
    totals = [(t, label) for t, label in zip(table.row_totals, labels, strict=True)
              if isinstance(t, int)]  # fmt: skip
    if totals:  # only a total that is shown may be named
        most, where = max(totals)
        said += f" The most in one {noun}: {where}, {most:,}."
    marked = []
    for row, label in zip(table.cells, labels, strict=True):
        counts = [(names[c], shown(row[c], threshold)) for c in _marked(row)]
        if counts:
            each = [f"{n} {s}" if len(names) > 1 else s for n, s in counts]
            marked.append(f"{label}: {', '.join(each)}")
    if marked:
        more = len(marked) - LISTED
        said += (
            f" Not drawn, and marked instead by a hatched box the same size whatever the count: "
            f"{'; '.join(marked[:LISTED])}{f'; and {more} more {noun}s' if more > 0 else ''}."
            f" “<{threshold}” is under {threshold}; “hidden” is hidden so that a total can't"
            " give one of those away, and may be any size."
        )
    return said


def _svg(chart_id: str, name: str, description: str, width: float, height: float, body: str) -> str:
    return (
        f'<svg id="{chart_id}" data-testid="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" '
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


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    size: int = FONT,
    halo: bool = False,
    turn: str | None = None,
) -> str:
    extra = f' font-size="{size}"' if size != FONT else ""
    if halo:  # legible over hatching: a white outline painted under the letters
        extra += ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    if turn:
        extra += f' transform="{turn}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" fill="{TEXT}" text-anchor="{anchor}" '
        f'dominant-baseline="middle"{extra}>{escape(text)}</text>'
    )


def _width(characters: int, size: int) -> float:
    """Roughly how wide a label is: generous, as system fonts differ (DejaVu Sans is wide)."""
    return characters * size * 0.62


def _wrap(label: str) -> list[str]:
    """A row's label in lines that fit beside the bars (the last cut short, past
    ``LABEL_LINES``; the table below the chart has every label whole)."""
    lines = textwrap.wrap(label, LABEL_CHARACTERS) or [""]
    if len(lines) > LABEL_LINES:
        last = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*lines[: LABEL_LINES - 1], last[: LABEL_CHARACTERS - 1].rstrip() + "…"]
    return lines
