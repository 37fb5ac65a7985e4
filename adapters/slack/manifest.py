"""``infoshare manifest slack``: the Slack app manifest with this deployment's address."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from adapters.slack import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[2] / "manifest" / "slack" / "manifest.yaml"
PLACEHOLDER = "https://infoshare.example.org"


class ManifestError(ValueError):
    """The address given can't be used; the message says why."""


def render(url: str | None, socket_mode: bool = False, source: Path = MANIFEST) -> str:
    """The manifest for a server at ``url`` (HTTPS), or for Socket Mode (no URLs at all)."""
    text = source.read_text()
    if socket_mode:
        manifest = yaml.safe_load(text)
        for command in manifest["features"]["slash_commands"]:
            command.pop("url", None)
        manifest["settings"]["event_subscriptions"].pop("request_url", None)
        manifest["settings"]["interactivity"].pop("request_url", None)
        manifest["settings"]["socket_mode_enabled"] = True
        return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
    if url is None:
        raise ManifestError("give the server's address with --url https://HOST, or --socket-mode")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ManifestError(f"--url must be an https:// address like https://infoshare.example.org"
                            f", not '{url}' (Slack sends events over HTTPS only)")  # fmt: skip
    base = url.rstrip("/")
    if base.endswith(EVENTS_PATH):
        base = base.removesuffix(EVENTS_PATH)
    return text.replace(PLACEHOLDER, base)
