"""The dashboard's HTML: the sign-in page and the dashboard itself, whole pages as strings.

Built for WCAG 2.2 AA: a language, landmarks (header, main, footer), one h1 and h2 per section,
every form control labelled, text at 4.5:1 or more, a visible focus ring, charts with names and
tables of their numbers. No script at all; the one stylesheet is inline and allowed by its hash
in the Content-Security-Policy (``CSP``), so nothing else can run or load. Stable ids and
``data-testid``s mark what browser tests look for: the filter form, the download button, each
chart (``chart-<section>``) and table (``table-<section>``).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from adapters.analytics.charts import bars, colour, columns, week_label
from bot.analytics import KNOWN_CHANNELS, NO_TOPIC, Dashboard, Table
from bot.knowledge import Knowledge
from bot.routing import HELP
from bot.suppression import Hidden, shown

BASE = "/analytics"
NO_DATA = "No data for these filters."
CSS = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;"
    "line-height:1.5}"
    "header,footer{background:#1b2a41;color:#fff;padding:.6rem 1.2rem;display:flex;"
    "justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem}"
    "header p{margin:0;font-weight:600}footer p{margin:0}footer a{color:#fff}"
    "main{max-width:60rem;margin:0 auto;padding:1rem 1.2rem 3rem}"
    "h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2.2rem}"
    "a{color:#0b4f9c}"
    ":focus-visible{outline:3px solid #b3541e;outline-offset:2px}"
    "button,.button{font:inherit;padding:.4rem .9rem;border:2px solid #0b4f9c;"
    "background:#0b4f9c;color:#fff;border-radius:4px;cursor:pointer;text-decoration:none;"
    "display:inline-block}"
    "header button{background:#fff;color:#1b2a41;border-color:#fff}"
    "form.filters{display:flex;flex-wrap:wrap;gap:.8rem 1.2rem;align-items:flex-end;"
    "padding:1rem;border:1px solid #767676;border-radius:6px}"
    "form.filters div{display:flex;flex-direction:column}"
    "label{font-weight:600}input,select,textarea{font:inherit;padding:.3rem;"
    "border:1px solid #595959;border-radius:3px;color:#1b1b1b;background:#fff}"
    "textarea{width:100%;max-width:32rem;box-sizing:border-box}"
    ".error{border-left:5px solid #a3224a;padding:.5rem 1rem;background:#fdf2f4}"
    ".note{color:#3d3d3d}"
    # The download button with its note beside it, or below it when the page is narrow.
    ".download{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:1rem 0}"
    ".download p{margin:0;flex:1 1 16rem}"
    "table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}"
    "caption{text-align:left;font-weight:600;padding:.3rem 0}"
    "th,td{border:1px solid #999;padding:.25rem .6rem;text-align:right}"
    "th[scope=row],td.text{text-align:left}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "figure{margin:1rem 0}"
    "ul.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:1rem}"
    "ul.legend span{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;"
    "vertical-align:-.1rem;border:1px solid #1b1b1b}"
    + "".join(f".s{n}{{background:{colour(n)}}}" for n in range(8))
    # The keys to the charts' markers for suppressed counts, hatched as they are.
    + "ul.legend span.few,ul.legend span.other{width:1.4rem;border:1.5px dashed #1b1b1b}"
    ".few{background:repeating-linear-gradient(45deg,#4d5560 0 2px,#fff 2px 5px)}"
    ".other{background:repeating-linear-gradient(45deg,#4d5560 0 1.5px,transparent 1.5px 5px),"
    "repeating-linear-gradient(-45deg,#4d5560 0 1.5px,#fff 1.5px 5px)}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class Labels:
    """Words for ids, from the knowledge the server runs on; an id it doesn't know (from an
    older knowledge version) is shown as itself."""

    knowledge: Knowledge

    def topic(self, topic: str) -> str:
        found = self.knowledge.topics.get(topic)
        if topic == NO_TOPIC:
            return "(no topic)"
        if topic == HELP:
            return "Greeting or asking for help"
        return found.label if found else topic

    def outcome(self, outcome: str) -> str:
        found = self.knowledge.outcomes.get(outcome)
        return found.title if found else outcome

    def question(self, key: str) -> str:
        topic, _, question = key.partition("/")
        flow = self.knowledge.flows.get(topic)
        texts = {q.id: q.text for q in flow.questions} if flow else {}
        return f"{self.topic(topic)}: {texts.get(question, question)}"


def sign_in_page(error: str | None = None) -> str:
    said = ""
    described = ""
    if error:
        said = f'<p class="error" id="sign-in-error" role="alert">{escape(error)}</p>'
        described = ' aria-describedby="sign-in-error"'
    body = (
        "<h1>Sign in to analytics</h1>"
        "<p>The analytics dashboard is for the council's analysts. Sign in with the analyst "
        "token your administrator gave you.</p>"
        f"{said}"
        f'<form id="sign-in" data-testid="sign-in" method="post" action="{BASE}/sign-in">'
        '<div><label for="token">Analyst token</label></div>'
        f'<div><input id="token" name="token" type="password" autocomplete="current-password" '
        f"required{described}></div>"
        '<p><button type="submit">Sign in</button></p></form>'
    )
    return _page("Sign in: InfoShare analytics", body, signed_in=False)


def dashboard_page(
    dashboard: Dashboard,
    labels: Labels,
    topics: list[str],
    form_token: str,
    error: str | None = None,
) -> str:
    d, k = dashboard, dashboard.threshold
    query = urlencode(d.filters.as_query())
    download = f"{BASE}/export.csv" + (f"?{query}" if query else "")
    said = f'<p class="error" id="filter-error" role="alert">{escape(error)}</p>' if error else ""
    gaps = Table(rows=[g.text for g in d.gaps], columns=["questions"],
                 cells=[[g.count] for g in d.gaps], row_totals=[g.count for g in d.gaps],
                 column_totals=[None], total=None)  # fmt: skip
    sections = [
        _weekly("questions", "Questions per week, by channel", d.questions, k,
                "Messages staff typed that the assistant read as a question."),
        _weekly("decisions", "Decisions per week, by channel", d.decisions, k,
                "Decisions recorded at the end of a guided flow."),
        _ranked("topics", "Topics asked about", d.topics, [labels.topic(t) for t in
                d.topics.rows], k, "Questions by the topic they were routed to."),
        _ranked("outcomes", "Outcomes per topic", d.outcomes, [labels.topic(t) for t in
                d.outcomes.rows], k, "Decisions by topic, split by outcome.",
                [labels.outcome(o) for o in d.outcomes.columns]),
        _ranked("gaps", "Knowledge gaps: questions the assistant could not help with",
                gaps, gaps.rows, k, "Redacted, most frequent first (ignoring case). Only "
                f"questions asked {k} or more times are listed, so no one's words stand out; "
                "the download has every record.", text_rows=True, corner="Question",
                empty=f"No question was asked {k} or more times with these filters."),
        _ranked("abandoned", "Where conversations were abandoned", d.abandoned,
                [labels.question(q) for q in d.abandoned.rows], k,
                "Guided flows left without a decision for a day or more, by the last question "
                "asked.", corner="Topic: last question asked"),
    ]  # fmt: skip
    body = (
        "<h1>Analytics</h1>"
        f"<p>Counts under {k} are shown as “&lt;{k}”, and where a total would let someone work "
        "such a count out, another count or the total is shown as “hidden” (it may be any "
        "size). Charts never draw either to size: a hatched marker, the same size whatever the "
        f"count, stands in its place, labelled “&lt;{k}” or “hidden”. A week is named by its "
        "Monday: “w/c 23 Nov 2026” is the week commencing Monday 23 November 2026.</p>"
        f"{said}{_filters(dashboard, labels, topics)}"
        f'<div class="download"><a id="download" data-testid="download" class="button" '
        f'href="{escape(download)}" download>Download these records (CSV)</a><p class="note">'
        "The anonymised query log for these filters: redacted text, pseudonymous staff ids."
        "</p></div>" + "".join(sections) + _withhold_form(form_token)
    )
    return _page("InfoShare analytics", body, signed_in=True)


def _withhold_form(form_token: str) -> str:
    return (
        '<section id="withhold" aria-labelledby="h-withhold"><h2 id="h-withhold">Withhold a '
        "record</h2><p>Found a name, an address or another identifier in a downloaded record? "
        "Give its id (the first column; several, separated by spaces, if need be). Its text "
        "becomes “[WITHHELD]”, and it still counts in every figure.</p>"
        f'<form id="withhold-form" data-testid="withhold" method="post" action="{BASE}/withhold">'
        f'<input type="hidden" name="form" value="{escape(form_token)}">'
        '<div><label for="ids">Record ids</label></div>'
        '<div><textarea id="ids" name="ids" rows="2" required spellcheck="false" '
        'aria-describedby="withhold-note"></textarea></div>'
        '<p class="note" id="withhold-note">Then tell the team that keeps the redaction rules '
        "what kind of identifier got through (never the identifier itself), so the next "
        "version catches it.</p>"
        '<p><button type="submit" id="withhold-button">Withhold</button></p></form></section>'
    )


def withheld_page(found: int, missing: list[str], error: str | None = None) -> str:
    """What the withhold form answers: how many records it withheld, and the ids it didn't
    know; or, for ids it couldn't use at all, why."""
    if error:
        said = f'<p class="error" role="alert">{escape(error)}</p>'
    else:
        records = "1 record" if found == 1 else f"{found} records"
        said = (
            f'<p role="status" id="withheld">{records} withheld: the text is now “[WITHHELD]”'
            " in the query log and every download.</p>"
        )
        if missing:
            listed = ", ".join(missing)
            said += (
                f'<p class="error" role="alert" id="not-found">Not in the query log (purged, '
                f"or mistyped): {escape(listed)}.</p>"
            )
    body = (
        f'<h1>Withhold records</h1>{said}<p><a href="{BASE}" id="back">Back to the '
        "dashboard</a></p>"
    )
    return _page("Withhold records: InfoShare analytics", body, signed_in=True)


def _filters(d: Dashboard, labels: Labels, topics: list[str]) -> str:
    f = d.filters
    return (
        f'<form id="filters" data-testid="filters" class="filters" method="get" action="{BASE}"'
        ' aria-label="Filters">'
        f"{_date('from', 'From', f.start.isoformat() if f.start else '')}"
        f"{_date('to', 'To', f.end.isoformat() if f.end else '')}"
        f"{_select('channel', 'Channel', [(c, c) for c in KNOWN_CHANNELS], f.channel)}"
        f"{_select('topic', 'Topic', [(t, labels.topic(t)) for t in topics], f.topic)}"
        '<div><button type="submit" id="apply" data-testid="apply">Apply</button></div>'
        f'<div><a href="{BASE}" id="clear">Clear filters</a></div></form>'
    )


def _date(name: str, label: str, value: str) -> str:
    return (
        f'<div><label for="f-{name}">{label}</label>'
        f'<input id="f-{name}" name="{name}" type="date" value="{escape(value)}"></div>'
    )


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None) -> str:
    items = '<option value="">All</option>' + "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(t)}</option>'
        for v, t in options
    )
    return (
        f'<div><label for="f-{name}">{label}</label>'
        f'<select id="f-{name}" name="{name}">{items}</select></div>'
    )


def _weekly(key: str, title: str, table: Table, k: int, about: str) -> str:
    if _nothing(table):
        return _section(key, title, about, _empty(key, NO_DATA))
    weeks = [week_label(week) for week in table.rows]
    numbers = _table(key, title, table, weeks, table.columns, k, "Week", open_=not _drawn(table))
    if not _drawn(table):
        return _section(key, title, about, _undrawn(key, table, k) + numbers)
    chart = columns(f"chart-{key}", title, table, k)
    return _section(key, title, about, _figure(chart, table.columns, table, k) + numbers)


def _ranked(
    key: str,
    title: str,
    table: Table,
    row_labels: list[str],
    k: int,
    about: str,
    column_labels: list[str] | None = None,
    text_rows: bool = False,
    corner: str = "Topic",
    empty: str | None = None,
) -> str:
    if _nothing(table):
        return _section(key, title, about, _empty(key, empty or NO_DATA))
    names = column_labels or table.columns
    numbers = _table(key, title, table, row_labels, names, k, corner, totals=not text_rows,
                     open_=not _drawn(table))  # fmt: skip
    if not _drawn(table):
        return _section(key, title, about, _undrawn(key, table, k) + numbers)
    chart = bars(f"chart-{key}", title, table, row_labels, k, names)
    legend = names if len(names) > 1 else []
    return _section(key, title, about, _figure(chart, legend, table, k) + numbers)


def _nothing(table: Table) -> bool:
    """Whether ``table`` has no count at all: no rows, no columns or only zeros."""
    return not any(count != 0 for row in table.cells for count in row)


def _drawn(table: Table) -> bool:
    """Whether a chart of ``table`` would draw any count to size."""
    return any(isinstance(count, int) and count > 0 for row in table.cells for count in row)


def _empty(key: str, said: str) -> str:
    return f'<p id="empty-{key}" data-testid="empty-{key}">{escape(said)}</p>'


def _undrawn(key: str, table: Table, k: int) -> str:
    """In place of a chart that would draw nothing to size: why, above its open table."""
    counts = [count for row in table.cells for count in row if count != 0]
    said = (
        f"All counts here are under {k} and not drawn."
        if all(count is None for count in counts)
        else f"All counts here are under {k} or hidden, and not drawn."
    )
    return f'<p id="undrawn-{key}" data-testid="undrawn-{key}" class="undrawn">{said}</p>'


def _section(key: str, title: str, about: str, content: str) -> str:
    return (
        f'<section id="{key}" aria-labelledby="h-{key}"><h2 id="h-{key}">{escape(title)}</h2>'
        f'<p class="note">{escape(about)}</p>{content}</section>'
    )


def _figure(chart: str, legend: list[str], table: Table, k: int) -> str:
    items = [
        f'<li><span class="s{n % 8}"></span>{escape(name)}</li>' for n, name in enumerate(legend)
    ]
    suppressed = [count for row in table.cells for count in row if not isinstance(count, int)]
    if None in suppressed:
        items.append(f'<li><span class="few"></span>“&lt;{k}”: under {k}, not drawn</li>')
    if Hidden.OTHER in suppressed:
        items.append('<li><span class="other"></span>“hidden”: any size, not drawn</li>')
    key = f'<ul class="legend" aria-label="Key">{"".join(items)}</ul>' if items else ""
    said = ""
    if suppressed:
        whose = "; the colour of their outline says whose count it is" if legend else ""
        said = (
            f'<figcaption class="note">Hatched markers stand for counts not drawn: “&lt;{k}” '
            f"under {k}, and “hidden”, hidden so that a total can't give one of those away. "
            f"Their size is fixed and says nothing about the count{whose}.</figcaption>"
        )
    return f"<figure>{key}{chart}{said}</figure>"


def _table(
    key: str,
    title: str,
    table: Table,
    row_labels: list[str],
    column_labels: list[str],
    k: int,
    corner: str,
    totals: bool = True,
    open_: bool = False,
) -> str:
    several = len(table.columns) > 1
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in column_labels)
    head = f'<th scope="col">{escape(corner)}</th>{head}'
    if several and totals:
        head += '<th scope="col">Total</th>'
    rows = []
    for r, label in enumerate(row_labels):
        cells = "".join(f"<td>{escape(shown(c, k))}</td>" for c in table.cells[r])
        if several and totals:
            cells += f"<td>{escape(shown(table.row_totals[r], k))}</td>"
        rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    if totals:
        cells = "".join(f"<td>{escape(shown(c, k))}</td>" for c in table.column_totals)
        if several:
            cells += f"<td>{escape(shown(table.total, k))}</td>"
        rows.append(f'<tr><th scope="row">Total</th>{cells}</tr>')
    return (
        f"<details{' open' if open_ else ''}><summary>The numbers</summary>"
        '<div class="scroll" tabindex="0" role="region" '
        f'aria-label="{escape(title)}: the numbers"><table id="table-{key}" '
        f'data-testid="table-{key}"><caption>{escape(title)}</caption><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div></details>"
    )


def _page(title: str, body: str, signed_in: bool) -> str:
    sign_out = (
        f'<form method="post" action="{BASE}/sign-out"><button type="submit" id="sign-out" '
        'data-testid="sign-out">Sign out</button></form>'
        if signed_in
        else ""
    )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><p>InfoShare Assistant analytics</p>{sign_out}</header>"
        f'<main id="main">{body}</main>'
        "<footer><p>Anonymised: redacted text, pseudonymous ids, small counts hidden. "
        '<a href="/privacy">Privacy notice</a></p></footer></body></html>'
    )
