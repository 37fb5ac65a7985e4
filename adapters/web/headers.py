"""Security headers for the web pages: scripts and styles from this server only, never inline,
so a reply that somehow carried markup could not run; no framing, no sniffing, no referrer."""

from __future__ import annotations

from aiohttp import web

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def secured(response: web.StreamResponse, cache: bool = False) -> web.StreamResponse:
    """``response`` with the headers above; ``cache`` allows caching (static files only)."""
    response.headers.update(HEADERS)
    response.headers["Cache-Control"] = "public, max-age=3600" if cache else "no-store"
    return response
