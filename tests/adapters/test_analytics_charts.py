"""The dashboard's SVG charts, built alone: suppressed counts are marked (pattern, label and
name) and never drawn to size, and weeks and months are named so no one reads them as dates."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from adapters.analytics.charts import PALETTE, bars, columns, month_label, week_label
from bot.analytics import Table, table
from bot.suppression import Count, Hidden

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = Hidden.OTHER
WEEKS = ["2026-11-02", "2026-11-09", "2026-11-16"]
CHANNELS = ["slack", "teams", "web"]


def weekly(cells: list[list[Count]], weeks: list[str] = WEEKS) -> Table:
    """A published weeks x channels table; its totals as suppression might leave them."""
    return Table(rows=weeks, columns=CHANNELS, cells=cells,
                 row_totals=[sum(c for c in row if isinstance(c, int)) for row in cells],
                 column_totals=[HIDDEN] * len(CHANNELS), total=HIDDEN)  # fmt: skip


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def markers(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f".//{SVG}g[@data-testid='suppressed']")


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def solid_bars(svg: ET.Element) -> list[ET.Element]:
    """The bars drawn to size: filled in a series' colour (not in a marker or a pattern)."""
    return [r for r in svg.findall(f"{SVG}rect") if r.get("fill") in PALETTE]


def test_weeks_are_named_by_their_monday_and_months_with_the_whole_year() -> None:
    assert week_label("2026-11-23") == "w/c 23 Nov 2026"
    assert week_label("2027-01-04") == "w/c 4 Jan 2027"
    assert month_label("2026-11-23") == "Nov 2026"
    assert month_label("2027-01-04") == "Jan 2027"


def test_a_few_weeks_are_each_labelled_on_the_chart_never_as_a_day_and_month() -> None:
    svg = parse(columns("c", "Questions", weekly([[12, 6, 8], [9, 11, 7], [14, 9, 6]]), 5))
    said = texts(svg)
    for week in ("w/c 2 Nov 2026", "w/c 9 Nov 2026", "w/c 16 Nov 2026"):
        assert week in said
    assert not [t for t in said if re.fullmatch(r"[A-Z][a-z]{2} \d{2}", t)]  # "Nov 26"


def test_many_weeks_are_labelled_by_month_and_year() -> None:
    weeks = [(dt.date(2026, 10, 5) + dt.timedelta(weeks=n)).isoformat() for n in range(15)]
    svg = parse(columns("c", "Questions", weekly([[9, 9, 9]] * len(weeks), weeks), 5))
    said = texts(svg)
    assert [t for t in said if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)] == [
        "Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027"]  # fmt: skip
    assert not [t for t in said if re.fullmatch(r"[A-Z][a-z]{2} \d{2}", t)]


def test_a_week_whose_other_channels_are_suppressed_shows_a_labelled_marker_for_each() -> None:
    cells: list[list[Count]] = [[12, HIDDEN, HIDDEN], [14, None, HIDDEN], [7, 5, 6]]
    svg = parse(columns("chart-questions", "Questions per week", weekly(cells), 5))
    found = markers(svg)
    names = [m.get("aria-label", "") for m in found]
    assert names == [
        "teams, w/c 2 Nov 2026: hidden, not drawn",
        "web, w/c 2 Nov 2026: hidden, not drawn",
        "teams, w/c 9 Nov 2026: <5, not drawn",
        "web, w/c 9 Nov 2026: hidden, not drawn",
    ]
    labels, boxes = [], []
    for marker, name in zip(found, names, strict=True):
        assert marker.get("role") == "img"
        assert marker.findtext(f"{SVG}title") == name  # a tooltip too
        labels.append(marker.findtext(f"{SVG}text"))
        (box,) = marker.findall(f"{SVG}rect")
        boxes.append(box)
        assert box.get("fill", "").startswith("url(#chart-questions-")  # hatched
        assert box.get("stroke-dasharray")  # and outlined in dashes
    assert labels == ["hidden", "hidden", "<5", "hidden"]
    # Every marker is the same size, whatever it stands for; only shown counts are bars.
    assert len({(box.get("width"), box.get("height")) for box in boxes}) == 1
    assert len(solid_bars(svg)) == 5  # 12, 14, 7, 5, 6
    # "<5" and "hidden" are hatched differently, and the patterns are defined in the chart.
    fills = {label: box.get("fill") for label, box in zip(labels, boxes, strict=True)}
    assert fills["<5"] != fills["hidden"]
    ids = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert {f"url(#{i})" for i in ids} >= set(fills.values())


def test_the_description_says_which_counts_are_marked_and_what_the_labels_mean() -> None:
    cells: list[list[Count]] = [[12, HIDDEN, HIDDEN], [14, None, HIDDEN], [7, 5, 6]]
    svg = parse(columns("c", "Questions", weekly(cells), 5))
    description = svg.findtext(f"{SVG}desc") or ""
    assert "w/c 2 Nov 2026: teams hidden, web hidden; w/c 9 Nov 2026: teams <5, web hidden" in (
        description
    )
    assert "the same size whatever the count" in description
    assert "“<5” is under 5" in description and "may be any size" in description
    clear = parse(columns("c", "Questions", weekly([[7, 5, 6]], WEEKS[:1]), 5))
    assert "marked" not in (clear.findtext(f"{SVG}desc") or "")
    assert markers(clear) == []


def test_the_chart_is_the_same_whatever_the_suppressed_counts_were() -> None:
    """Two weeks of counts that differ only inside suppressed cells (teams 3 or 1 and the web
    count hidden beside it 12 or 14, so the week's total stays 55) draw one and the same
    chart, though the tables' column totals differ."""

    def chart(teams: int, web: int) -> str:
        entries = [("2026-11-02", "slack", 40), ("2026-11-02", "teams", teams),
                   ("2026-11-02", "web", web), ("2026-11-09", "slack", 20),
                   ("2026-11-09", "teams", 30), ("2026-11-09", "web", 25)]  # fmt: skip
        published = table(entries, 5, rows=WEEKS[:2])
        assert published.cells == [[40, None, HIDDEN], [20, HIDDEN, HIDDEN]]
        return columns("c", "Questions", published, 5)

    assert chart(3, 12) == chart(1, 14)
    svg = parse(chart(3, 12))
    said = " ".join([*svg.itertext(), *(m.get("aria-label", "") for m in markers(svg))])
    assert not re.search(r"\b(12|14|3|1)\b", said)  # no label, name or description says them


def test_ranked_bars_mark_a_suppressed_count_in_place_of_its_bar() -> None:
    topics = Table(rows=["police", "family"], columns=["questions"], cells=[[30], [None]],
                   row_totals=[30, None], column_totals=[HIDDEN], total=HIDDEN)  # fmt: skip
    svg = parse(bars("chart-topics", "Topics", topics, ["Police request", "Family"], 5))
    (marker,) = markers(svg)
    assert marker.get("aria-label") == "questions, Family: <5, not drawn"
    assert texts(svg).count("<5") == 1  # the marker says it; no total repeats it
    assert len(solid_bars(svg)) == 1

    outcomes = Table(rows=["police"], columns=["do-not-share", "share", "not-yet"],
                     cells=[[None, HIDDEN, 9]], row_totals=[21], column_totals=[None, HIDDEN, 9],
                     total=21)  # fmt: skip
    names = ["Don't share", "Share", "Not yet"]
    svg = parse(bars("chart-outcomes", "Outcomes", outcomes, ["Police request"], 5, names))
    assert [m.get("aria-label") for m in markers(svg)] == [
        "Don't share, Police request: <5, not drawn",
        "Share, Police request: hidden, not drawn",
    ]
    assert "21" in texts(svg)  # the row's total, shown in the table too
    assert "Police request: Don't share <5, Share hidden" in (svg.findtext(f"{SVG}desc") or "")


def test_long_row_labels_wrap_in_full_beside_their_bars_and_rows_grow_to_fit() -> None:
    label = "Police request: Have you verified the officer is who they say they are?"
    abandoned = Table(rows=["police/identity-verified", "family/requester"],
                      columns=["conversations"], cells=[[12], [7]], row_totals=[12, 7],
                      column_totals=[19], total=19)  # fmt: skip
    svg = parse(bars("chart-abandoned", "Abandoned", abandoned, [label, "Family: Who?"], 5))
    lines = [t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    words = " ".join(t.text or "" for t in lines)
    assert words == label + " Family: Who?"  # every word, none cut off
    assert "…" not in words and len(lines) == 4  # three lines, then the short one
    assert all(len(t.text or "") <= 36 for t in lines)
    # The label's lines sit around the middle of its bar.
    bar = solid_bars(svg)[0]
    middle = float(bar.get("y", 0)) + float(bar.get("height", 0)) / 2
    assert [float(t.get("y", 0)) for t in lines[:3]] == [middle - 14, middle, middle + 14]
    _, _, _, height = (svg.get("viewBox") or "").split()
    assert float(height) > 2 * 26 + 4  # taller than two one-line rows


def test_a_label_too_long_for_six_lines_is_cut_short_there() -> None:
    label = " ".join(["word"] * 60)
    one = Table(rows=["x"], columns=["n"], cells=[[9]], row_totals=[9], column_totals=[9],
                total=9)  # fmt: skip
    lines = [t.text or "" for t in parse(bars("c", "C", one, [label], 5)).iter(f"{SVG}text")
             if t.get("text-anchor") == "end"]  # fmt: skip
    assert len(lines) == 6 and lines[-1].endswith("…")
