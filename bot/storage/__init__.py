"""Implementations of the core's storage Protocols (bot.types).

Embedded: ``memory`` (conversation state and the platform deliveries already handled, in the
process) and ``sqlite`` (the decision log and the conversation references in a file). Shared,
for several server instances: ``redis`` (conversation state and the deliveries handled, so a
retry landing on another instance is handled once) and ``postgres`` (the decision log and the
references).
``bot.storage.open`` picks them from URLs and imports a driver only when its URL asks for it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

HIDDEN = "***"
_PASSWORD_PARAM = re.compile(r"(?i)(password=)[^&]*")


class StorageError(Exception):
    """The database can't be opened or used; the message says which and why."""


def redact_url(url: str) -> str:
    """``url`` with its password (in the address or a ``password=`` parameter) hidden, so it
    can go into an error message or a log line."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL we can take apart: show only its scheme
        return url.split(":", 1)[0] + ":" + HIDDEN
    netloc = parts.netloc
    if password is not None:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:{HIDDEN}@{host}"
    query = _PASSWORD_PARAM.sub(rf"\g<1>{HIDDEN}", parts.query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's error message) with ``url``'s password removed, should it appear."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    secrets = [password] if password else []
    secrets += [m.group(0).split("=", 1)[1] for m in _PASSWORD_PARAM.finditer(url)]
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    return text
