"""``infoshare manifest teams``: the Teams app package (manifest.json and both icons, zipped)
with this bot's app id and, optionally, this deployment's address."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SOURCE = Path(__file__).resolve().parents[2] / "manifest" / "teams"
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_URL = "https://infoshare.example.org"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class ManifestError(ValueError):
    """The app id or address given can't be used; the message says why."""


def render(app_id: str, url: str | None = None, source: Path = SOURCE) -> dict[str, Any]:
    """The manifest for the bot ``app_id`` (the Azure Bot's Microsoft App ID), served at
    ``url`` if given (its host becomes the valid domain and the developer links)."""
    if not _GUID.match(app_id) or app_id == PLACEHOLDER_ID:
        raise ManifestError(f"--app-id must be the Azure Bot's Microsoft App ID, a GUID like "
                            f"6f1c2a9e-0b7d-4e51-9a3c-2d8e4f6a1b07, not '{app_id}'")  # fmt: skip
    text = (source / "manifest.json").read_text()
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ManifestError(f"--url must be an https:// address like {PLACEHOLDER_URL}, "
                                f"not '{url}'")  # fmt: skip
        host = parts.hostname
        text = text.replace(PLACEHOLDER_URL, f"https://{host}").replace(
            urlsplit(PLACEHOLDER_URL).netloc, host
        )
    manifest: dict[str, Any] = json.loads(text.replace(PLACEHOLDER_ID, app_id.lower()))
    return manifest


def package(app_id: str, out: Path, url: str | None = None, source: Path = SOURCE) -> Path:
    """Write the app package Teams side-loads: manifest.json and the icons, at the zip's root."""
    manifest = render(app_id, url, source)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.write(source / icon, icon)
    return out
