"""``make screenshots``: start ``infoshare serve`` on a fresh database holding the browser
tests' seeded records (``seed.py``) and take the README's screenshots (``screenshots.mjs``) in
Chromium."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.test_browser import CHROMIUM, HERE, _env, _missing, seeded, serving


def main() -> int:
    reason = _missing()
    if reason is not None:
        print(f"can't take screenshots: {reason}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        env = _env(Path(folder) / "decisions.db")
        seeded(env)
        with serving(env, Path(folder)) as (address, _):
            shot_env = env | {"INFOSHARE_BASE_URL": address, "CHROMIUM_PATH": CHROMIUM}
            return subprocess.run(["node", "screenshots.mjs"], cwd=HERE, env=shot_env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
