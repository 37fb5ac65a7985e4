"""The web pages in a real headless Chromium: ``infoshare serve`` runs as a subprocess on a
fresh SQLite database, the Playwright specs in ``tests/browser/specs`` run against it (Debian's
Chromium, axe-core scans), and the decisions they were shown must be in the decision log.

Skipped, saying why, without node, the npm packages (``npm ci`` here; ``make test`` does it) or
Chromium; where the environment variable CI is set, those are failures instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.seed import seed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PACKAGES = ("@playwright/test", "@axe-core/playwright")
START_TIMEOUT = 30.0  # seconds for the server to say where it listens
RUN_TIMEOUT = 600.0  # seconds for every spec together


def _missing() -> str | None:
    """Why the browser tests can't run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    for package in PACKAGES:
        if not (HERE / "node_modules" / package / "package.json").is_file():
            return f"{package} is not installed: run `npm ci` in tests/browser (make test does)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
    return None


@pytest.fixture(scope="module")
def browser_ready() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI, but {reason}")
        pytest.skip(reason)


def _env(database: Path) -> dict[str, str]:
    """The developer's environment less any INFOSHARE_ setting of theirs, plus ``server.env``,
    on ``database``. The server and the specs both get it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOSHARE_")}
    for line in (HERE / "server.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env | {"PYTHONPATH": str(ROOT), "INFOSHARE_DATABASE_URL": f"sqlite:///{database}"}


def seeded(env: dict[str, str]) -> dict[str, str]:
    """Seed the database ``env`` names (``seed.py``); what tells the specs where its weeks are."""
    today = dt.datetime.now(dt.UTC).date()
    key = env["INFOSHARE_PSEUDONYM_KEY"].encode()
    mondays = asyncio.run(seed(env["INFOSHARE_DATABASE_URL"], today, key))
    return {"INFOSHARE_BROWSER_WEEKS": ",".join(m.isoformat() for m in mondays)}


@contextmanager
def serving(env: dict[str, str], cwd: Path) -> Iterator[tuple[str, list[str]]]:
    """``infoshare serve --port 0``: its address, and what it has logged so far."""
    command = [sys.executable, "-m", "adapters.cli", "serve", "--port", "0"]
    server = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    logged: list[str] = []

    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            logged.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        address = None
        while address is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail("the server didn't start:\n" + "".join(logged))
            if line.startswith("serving on "):
                address = line.split()[2]
        yield address, logged
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_pages_work_in_chromium_by_keyboard_and_pass_axe(
    browser_ready: None, tmp_path: Path
) -> None:
    env = _env(tmp_path / "decisions.db")
    shown = tmp_path / "shown.txt"
    shown.touch()
    weeks = seeded(env)
    playwright = HERE / "node_modules" / "@playwright" / "test" / "cli.js"
    with serving(env, tmp_path) as (address, logged):
        node_env = env | {
            "INFOSHARE_BASE_URL": address,
            "INFOSHARE_BROWSER_DECISIONS": str(shown),
            "INFOSHARE_BROWSER_RESULTS": str(tmp_path / "results"),
            "CHROMIUM_PATH": CHROMIUM,
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
            **weeks,
        }
        started = time.monotonic()
        run = subprocess.run(
            ["node", str(playwright), "test"],
            cwd=HERE,
            env=node_env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
        took = time.monotonic() - started
    print(run.stdout[-20_000:], f"\nbrowser specs took {took:.1f} s", sep="")
    if run.returncode != 0:
        pytest.fail(
            f"the browser specs failed (exit {run.returncode}):\n{run.stdout[-20_000:]}\n"
            f"{run.stderr[-5_000:]}\nserver log:\n{''.join(logged)[-5_000:]}",
            pytrace=False,
        )

    # Every decision the page showed is in the log, from the web, under a pseudonym.
    references = shown.read_text().split()
    assert len(references) >= 2, "the specs should have reached decisions"
    exported = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "decisions", "export"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    records = {r["id"]: r for r in map(json.loads, exported.stdout.splitlines())}
    for reference in references:
        assert reference in records, f"{reference} was shown but not logged"
        record = records[reference]
        assert record["channel"] == "web" and record["topic"] == "police"
        assert record["user"].startswith("u_")
    assert records[references[0]]["outcome"] == "share-minimum"
