"""Speed of sending a reminder: one reminder to N Slack channels and N Teams conversations
through the real server's senders, over real HTTP to the local Slack Web API and Bot Connector
stand-ins (in this process, on 127.0.0.1). Also how long five reminders to one Slack channel
take, which the one-a-second pacing sets. Loopback only; it stops by itself.

    python bench/reminders.py [--destinations N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.http import BACKGROUND, create_app  # noqa: E402
from adapters.reminders_runner import REMINDERS  # noqa: E402
from bot.reminders.service import Reminders, parse_targets  # noqa: E402
from tests.adapters.conftest import make_settings  # noqa: E402
from tests.adapters.teams_kit import activity  # noqa: E402
from tests.fakes.bot_connector import APP_ID, PASSWORD, TENANT, FakeBotConnector  # noqa: E402
from tests.fakes.slack_api import FakeSlackApi  # noqa: E402

SNIPPET = "caldicott-3"


@asynccontextmanager
async def server(folder: Path, slack: FakeSlackApi, teams: FakeBotConnector) -> Any:
    import aiohttp
    from aiohttp import web

    settings = make_settings(
        folder,
        slack.url,
        teams_app_id=APP_ID,
        teams_app_password=PASSWORD,
        teams_tenant_id=TENANT,
        teams_openid_metadata=teams.metadata_url,
        teams_token_url=teams.token_url,
        log_level="ERROR",
    )
    runner = web.AppRunner(create_app(settings), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    async with aiohttp.ClientSession() as http:
        try:
            yield runner.app, f"http://{host}:{port}/api/messages", http
        finally:
            await runner.cleanup()


async def timed(service: Reminders, targets: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    results = await service.send_now(SNIPPET, parse_targets(targets))
    return time.perf_counter() - start, sum(r.status == "sent" for r in results)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--destinations", type=int, default=200)
    args = parser.parse_args()
    n = args.destinations
    slack, teams = FakeSlackApi(page_size=200), FakeBotConnector()
    await slack.start()
    await teams.start()
    for i in range(n):
        slack.add_channel(f"C0BENCH{i:05d}", f"bench-{i}")
    with tempfile.TemporaryDirectory() as folder:
        async with server(Path(folder), slack, teams) as (app, url, http):
            for i in range(n):  # install the app in N Teams chats, as Teams would
                added = activity("installationUpdate", teams, f"a:1bench-chat-{i:05d}",
                                 action="add")  # fmt: skip
                headers = {"Authorization": f"Bearer {teams.issue()}"}
                async with http.post(url, json=added, headers=headers) as answer:
                    assert answer.status == 201
            await app[BACKGROUND].drain(timeout=60)
            service = app[REMINDERS].service
            slack_targets = [f"C0BENCH{i:05d}" for i in range(n)]
            slack_time, slack_sent = await timed(service, slack_targets)
            teams_targets = [f"teams:a:1bench-chat-{i:05d}" for i in range(n)]
            teams_time, teams_sent = await timed(service, teams_targets)
            both_time, both_sent = await timed(service, ["everywhere"])
            start = time.perf_counter()
            for _ in range(5):
                await service.send_now(SNIPPET, parse_targets(["C0BENCH00000"]))
            paced = time.perf_counter() - start
    await slack.stop()
    await teams.stop()
    print(f"Slack: {slack_sent}/{n} channels in {slack_time:.2f} s "
          f"({1000 * slack_time / n:.1f} ms each)")  # fmt: skip
    print(f"Teams: {teams_sent}/{n} conversations in {teams_time:.2f} s "
          f"({1000 * teams_time / n:.1f} ms each)")  # fmt: skip
    print(f"everywhere (both platforms at once): {both_sent}/{2 * n} in {both_time:.2f} s")
    print(f"five reminders to one Slack channel: {paced:.2f} s (paced to one a second)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
