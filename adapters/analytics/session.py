"""Analysts' sign-in: the token checked in constant time, a stateless signed session cookie,
and a per-address throttle on failed attempts.

The cookie is ``<expiry>.<nonce>.<signature>``: the expiry (Unix seconds) is inside what is
signed, and the signing key is derived from the analyst token, so every instance with the same
token accepts the same cookie without sharing any state, and changing the token ends every
session at once. Signing out clears the cookie in the browser; a copied cookie stays valid
until it expires (``INFOSHARE_ANALYST_SESSION_MINUTES``), the price of keeping no state.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

COOKIE = "infoshare_analyst"
_CONTEXT = b"infoshare analytics session v1"


def session_key(token: str) -> bytes:
    """The cookie signing key for ``token``: never the token itself, so a leaked key (in a
    memory dump, say) doesn't sign anyone in."""
    return hmac.new(token.encode(), _CONTEXT, hashlib.sha256).digest()


def token_matches(given: str, token: str) -> bool:
    """Constant time, whatever the lengths, so timing says nothing about the token."""
    return hmac.compare_digest(
        hashlib.sha256(given.encode()).digest(), hashlib.sha256(token.encode()).digest()
    )


def issue(key: bytes, now: dt.datetime, minutes: int) -> str:
    """A session cookie value that expires ``minutes`` after ``now``."""
    expires = int((now + dt.timedelta(minutes=minutes)).timestamp())
    payload = f"{expires}.{secrets.token_urlsafe(12)}"
    return f"{payload}.{_sign(key, payload)}"


def valid(key: bytes, cookie: str | None, now: dt.datetime) -> bool:
    """Whether ``cookie`` was issued with ``key`` and has not expired by ``now``."""
    if not cookie or cookie.count(".") != 2:
        return False
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(signature.encode(), _sign(key, payload).encode()):
        return False
    expires = payload.split(".", 1)[0]
    return expires.isdigit() and now.timestamp() < int(expires)


def form_token(key: bytes, cookie: str) -> str:
    """What a dashboard form that changes something carries, tied to the session that showed
    it: a page from another site can't know it, even if a browser sent the cookie along."""
    return _sign(key, f"form.{cookie}")


def form_token_matches(key: bytes, cookie: str | None, given: object) -> bool:
    if not cookie or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode(), form_token(key, cookie).encode())


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class Throttle:
    """Failed sign-ins per address: after ``limit`` failures within ``window``, that address
    is refused (even the right token) until the window has passed since its first failure.
    Memory stays bounded: stale addresses are dropped, and at ``capacity`` the oldest go."""

    limit: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    capacity: int = 10_000
    _failures: dict[str, tuple[dt.datetime, int]] = field(default_factory=dict)

    def wait(self, address: str, now: dt.datetime) -> dt.timedelta | None:
        """How long ``address`` must wait before trying again, or None if it may try now."""
        found = self._failures.get(address)
        if found is None:
            return None
        first, count = found
        if now - first >= self.window:
            del self._failures[address]
            return None
        return self.window - (now - first) if count >= self.limit else None

    def failed(self, address: str, now: dt.datetime) -> int:
        """Count a failure; how many ``address`` has had in this window."""
        first, count = self._failures.get(address, (now, 0))
        if now - first >= self.window:
            first, count = now, 0
        self._failures.pop(address, None)  # re-inserted last: dicts keep insertion order
        self._failures[address] = (first, count + 1)
        while len(self._failures) > self.capacity:
            del self._failures[next(iter(self._failures))]
        return count + 1

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
