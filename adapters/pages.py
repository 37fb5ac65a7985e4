"""The privacy notice and terms of use that app stores link to (``/privacy``, ``/terms``),
rendered from ``knowledge/pages`` so the IG team keeps them with the rest of the words."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache

from bot.knowledge import Knowledge

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1b1b1b}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem}"
)


def page_html(knowledge: Knowledge, name: str) -> str:
    """A whole HTML page from the Markdown page ``name``: headings, paragraphs, bullets, bold."""
    parts: list[str] = []
    title = name
    for block in knowledge.page(name).strip().split("\n\n"):
        lines = block.strip().splitlines()
        if lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")), 3)
            text = _inline(lines[0].lstrip("#").strip())
            title = text if level == 1 else title
            parts.append(f"<h{level}>{text}</h{level}>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(' '.join(lines))}</p>")
    return (
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>"
    )


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text))


@lru_cache(maxsize=1)
def page_policy() -> str:
    """The pages' Content-Security-Policy: no script, and only their own inline style."""
    digest = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )
