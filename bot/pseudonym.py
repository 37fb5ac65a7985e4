"""Keyed pseudonyms for staff ids: stable for one key, unlinkable once the key changes."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonymisation key must be at least 16 bytes")
        self._key = key

    def __call__(self, channel: str, user: str) -> str:
        mac = hmac.new(self._key, f"{channel}\0{user}".encode(), hashlib.sha256)
        return "u_" + mac.hexdigest()[:24]


def load_or_create_key(path: Path) -> bytes:
    """Read the key kept at ``path``, creating it (readable by the owner only) if absent."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key.hex() + "\n")
    return key
