"""Speed of the Slack adapter: signed conversations over real HTTP to ``infoshare serve``,
beside a bare slack-bolt app whose only listeners ack, on the same requests.

Both servers run as their own processes on 127.0.0.1 (port 0) and post to a local fake Slack
Web API in a third process, as Slack's API is elsewhere in real life (in this process, serving
our replies would slow the load generator for our server but not for the bare one). Each of N
conversations (default 50, run concurrently) opens with a direct message and presses the
choices of a knowledge/tests script, one request after another; every request is timed from
sending to Slack's ack. Loopback only; the request count is fixed and every wait has a timeout,
so it stops by itself.

    python bench/slack.py [--conversations N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.testing import load_tests  # noqa: E402
from tests.adapters.slack_kit import FORM, envelope, signed_headers  # noqa: E402
from tests.fakes.slack_api import TEAM, FakeSlackApi  # noqa: E402

SECRET = "test-signing-secret-0123456789abcdef"  # the tests' secret: slack_kit signs with it
TOKEN = "xoxb-bench-token"
TIMEOUT = 60.0  # seconds any one wait may take
Script = list[tuple[str, str]]  # ("say", text) or ("press", choice id)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=6)  # long enough to reach steady state
    parser.add_argument("--trials", type=int, default=3)  # the machine is shared: take medians
    parser.add_argument("--bare", help=argparse.SUPPRESS)  # run the bare bolt app at this API URL
    parser.add_argument("--fake", action="store_true", help=argparse.SUPPRESS)  # the fake API
    args = parser.parse_args()
    if args.bare:
        await bare_bolt(args.bare)
        return 0
    if args.fake:
        await fake_api()
        return 0
    scripts = [s for s in _scripts() if any(kind == "press" for kind, _ in s)]
    fake = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--fake", cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    assert fake.stdout is not None
    api = (await asyncio.wait_for(fake.stdout.readline(), TIMEOUT)).decode().strip()
    counts = (await asyncio.wait_for(fake.stdout.readline(), TIMEOUT)).decode().strip()
    trials: list[tuple[dict[str, float], dict[str, float]]] = []
    try:
        for _ in range(args.trials):  # ours and the bare app take turns, so both see the noise
            trials.append(await _both(api, counts, scripts, args))
    finally:
        fake.terminate()
        await asyncio.wait_for(fake.wait(), TIMEOUT)
    ours, bare = _median([o for o, _ in trials]), _median([b for _, b in trials])
    ratios = sorted(o["rps"] / b["rps"] for o, b in trials)
    print(f"medians of {args.trials} trials of {int(ours['requests'])} requests each:")
    _report("infoshare serve (Slack)", ours)
    _report("bare slack-bolt app", bare)
    print(
        f"ratio (infoshare / bare): {ours['rps'] / bare['rps']:.2f}x requests/s "
        f"(trials {', '.join(f'{r:.2f}' for r in ratios)}), "
        f"{ours['p50'] / bare['p50']:.2f}x p50, {ours['p99'] / bare['p99']:.2f}x p99"
    )
    # One core's worth of requests per second, from the CPU each took: the throughput a busy
    # server tops out at, and steadier than wall-clock figures on a shared machine.
    capacity = sorted(b["cpu_ms"] / o["cpu_ms"] for o, b in trials)
    print(
        f"ratio of capacity (requests per CPU-second, replies included): "
        f"{bare['cpu_ms'] / ours['cpu_ms']:.2f}x (trials {', '.join(f'{r:.2f}' for r in capacity)})"
    )
    return 0


def _median(figures: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(f[key] for f in figures) for key in figures[0]}


async def _both(
    api: str, counts: str, scripts: list[Script], args: Any
) -> tuple[dict[str, float], dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "INFOSHARE_DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "INFOSHARE_SLACK_SIGNING_SECRET": SECRET,
            "INFOSHARE_SLACK_BOT_TOKEN": TOKEN,
            "INFOSHARE_SLACK_API_URL": api,
            "INFOSHARE_LOG_LEVEL": "WARNING",
        }
        for name in ("INFOSHARE_SLACK_APP_TOKEN", "INFOSHARE_SLACK_IG_CHANNEL"):
            env.pop(name, None)
        ours = await _measure(
            [sys.executable, "-m", "bot", "serve", "--port", "0"], env, scripts, args, counts
        )
        bare = await _measure([sys.executable, __file__, "--bare", api], env, scripts, args, None)
    return ours, bare


async def _measure(
    command: list[str],
    env: dict[str, str],
    scripts: list[Script],
    args: Any,
    api: str | None,
) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        *command,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        url = await asyncio.wait_for(_address(process), TIMEOUT)
        before = await _posts(api, 0) if api is not None else 0
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await _one(http, url, _dm("warm-up", "hello"))  # auth.test, imports, first turn
            if api is not None:
                await asyncio.wait_for(_posts(api, before + 1), TIMEOUT)
            cpu = _cpu_seconds(process.pid)
            latencies: list[float] = []
            start = time.perf_counter()
            for round_ in range(args.rounds):
                await asyncio.gather(
                    *(
                        _conversation(
                            http, url, f"{round_}-{n}", scripts[n % len(scripts)], latencies
                        )
                        for n in range(args.conversations)
                    )
                )
            elapsed = time.perf_counter() - start
        posted = 0.0
        if api is not None:  # every reply shown, so the work after the acks did happen
            expected = before + len(latencies) + 1
            posted = await asyncio.wait_for(_posts(api, expected), TIMEOUT) - before
        cpu = _cpu_seconds(process.pid) - cpu  # all the work done, replies included
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), TIMEOUT)
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "posted": posted,
        "cpu_ms": cpu * 1000 / len(latencies),
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


async def _conversation(
    http: aiohttp.ClientSession, url: str, name: str, script: Script, latencies: list[float]
) -> None:
    for step, (kind, value) in enumerate(script):
        payload = _dm(name, value) if kind == "say" else _press(name, step, value)
        latencies.append(await _one(http, url, payload))


async def _one(http: aiohttp.ClientSession, url: str, payload: tuple[str, str]) -> float:
    body, content_type = payload
    start = time.perf_counter()
    async with http.post(url, data=body, headers=signed_headers(body, content_type)) as r:
        await r.read()
        if r.status != 200:
            raise SystemExit(f"bench: {url} answered {r.status}")
    return (time.perf_counter() - start) * 1000


def _dm(name: str, text: str) -> tuple[str, str]:
    ts = f"{time.time():.6f}"
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{name}",
        "user": f"U{name}",
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }
    return json.dumps(envelope(event)), "application/json"


def _press(name: str, step: int, choice: str) -> tuple[str, str]:
    ts = "1700000000.000001"  # each question is answered in place, in the first one's message
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": f"U{name}"},
        "trigger_id": f"trigger.{name}.{step}",
        "api_app_id": "A0BENCH",
        "container": {"type": "message", "message_ts": ts, "channel_id": f"D{name}"},
        "channel": {"id": f"D{name}", "name": "directmessage"},
        "message": {"ts": ts, "text": "", "blocks": []},
        "actions": [
            {
                "type": "button",
                "block_id": f"infoshare-choices-0-{step}",  # new buttons with each answer
                "action_id": choice,
                "value": choice,
                "text": {"type": "plain_text", "text": choice},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), FORM


def _scripts() -> list[Script]:
    return [
        [("say", test.say), *(("press", c) for c in test.choose)]
        for _, test in load_tests(ROOT / "knowledge" / "tests")
        if test.say
    ]


async def _address(process: asyncio.subprocess.Process) -> str:
    assert process.stdout and process.stderr
    streams = [process.stdout, process.stderr]
    while True:
        for stream in streams:
            try:
                line = (await asyncio.wait_for(stream.readline(), 0.1)).decode()
            except TimeoutError:
                continue
            found = re.search(r"http://[0-9.]+:[0-9]+", line)
            if found:
                return found.group(0) + "/slack/events"
        if process.returncode is not None:
            raise SystemExit("bench: the server stopped before it listened")


async def _posts(api: str, count: int) -> int:
    """Replies shown so far (posted, or answered in place), once there are ``count``."""
    async with aiohttp.ClientSession() as http:
        while True:
            posted = 0
            for method in ("chat.postMessage", "chat.update"):
                async with http.get(api + f"_count/{method}") as response:
                    posted += int(await response.text())
            if posted >= count:
                return posted
            await asyncio.sleep(0.05)


async def fake_api() -> None:
    """The fake Slack Web API in a process of its own; prints its URL, and answers
    ``GET _count/METHOD`` with how many calls METHOD has had."""
    from aiohttp import web

    fake = FakeSlackApi()
    api = await fake.start()
    counter = web.Application()

    async def count(request: web.Request) -> web.Response:
        return web.Response(text=str(len(fake.to(request.match_info["method"]))))

    counter.router.add_get("/api/_count/{method}", count)
    runner = web.AppRunner(counter, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    print(api, flush=True)
    print(f"http://{host}:{port}/api/", flush=True)
    await asyncio.sleep(TIMEOUT * 10)  # terminated by the bench long before this


async def bare_bolt(api: str) -> None:
    """The baseline: slack-bolt's own aiohttp server, listeners that only ack."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api))

    async def just_ack(ack: Any) -> None:
        await ack()

    app.event("message")(just_ack)
    app.block_action(re.compile(".*"))(just_ack)
    runner = web.AppRunner(app.web_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    print(f"serving on http://{host}:{port}", flush=True)
    await asyncio.sleep(TIMEOUT * 10)  # terminated by the bench long before this


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used: what a request costs, read
    without the noise of whatever else the machine is doing. Linux's /proc only."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report(name: str, figures: dict[str, float]) -> None:
    posted = f", {int(figures['posted'])} replies shown" if figures["posted"] else ""
    print(
        f"{name}: {int(figures['requests'])} requests, {figures['rps']:.0f} requests/s, "
        f"ack p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"{figures['cpu_ms']:.2f} ms CPU per request{posted}"
    )


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
