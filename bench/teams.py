"""Speed of the Teams adapter: signed activities over real HTTP to ``infoshare serve``'s
``/api/messages``, beside a bare botbuilder bot (CloudAdapter, same token validation) that
only echoes, on the same requests.

Both servers run as their own processes on 127.0.0.1 (port 0); the fake Bot Connector (signing
keys, the bot's token, the connector API) runs in this process. Each of N conversations (default
50, run concurrently) opens with a message and presses the choices of a knowledge/tests script
(Action.Execute invokes), one request after another; every request is timed from sending to the
HTTP response. Loopback only; the request count is fixed and every wait has a timeout, so it
stops by itself.

    python bench/teams.py [--conversations N] [--rounds R]
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

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.testing import load_tests  # noqa: E402
from tests.fakes.bot_connector import APP_ID, PASSWORD, TENANT, FakeBotConnector  # noqa: E402

TIMEOUT = 60.0  # seconds any one wait may take
Script = list[tuple[str, str]]  # ("say", text) or ("press", choice id)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        await bare_bot()
        return 0
    scripts = [s for s in _scripts() if any(kind == "press" for kind, _ in s)]
    fake = FakeBotConnector()
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INFOSHARE_")}
        env.update({
            "INFOSHARE_DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "INFOSHARE_TEAMS_APP_ID": APP_ID,
            "INFOSHARE_TEAMS_APP_PASSWORD": PASSWORD,
            "INFOSHARE_TEAMS_TENANT_ID": TENANT,
            "INFOSHARE_TEAMS_OPENID_METADATA": fake.metadata_url,
            "INFOSHARE_TEAMS_TOKEN_URL": fake.token_url,
            "INFOSHARE_LOG_LEVEL": "ERROR",
        })  # fmt: skip
        ours = await _measure(
            [sys.executable, "-m", "bot", "serve", "--port", "0"], env, scripts, args, fake
        )
        bare = await _measure([sys.executable, __file__, "--bare"], env, scripts, args, fake)
    await fake.stop()
    _report("infoshare serve (Teams)", ours)
    _report("bare botbuilder echo bot", bare)
    print(
        f"ratio (infoshare / bare): {ours['rps'] / bare['rps']:.2f}x requests/s, "
        f"{ours['p50'] / bare['p50']:.2f}x p50, {ours['p99'] / bare['p99']:.2f}x p99"
    )
    return 0


async def _measure(
    command: list[str],
    env: dict[str, str],
    scripts: list[Script],
    args: Any,
    fake: FakeBotConnector,
) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    before = len(fake.sent())
    try:
        url = await asyncio.wait_for(_address(process), TIMEOUT)
        token = fake.issue()  # one token serves every request, as Bot Connector reuses them
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await _one(http, url, token, _message(fake, "warm-up", "hello"))  # keys, imports
            latencies: list[float] = []
            start = time.perf_counter()
            for round_ in range(args.rounds):
                await asyncio.gather(
                    *(
                        _conversation(
                            http,
                            url,
                            token,
                            fake,
                            f"{round_}-{n}",
                            scripts[n % len(scripts)],
                            latencies,
                        )  # fmt: skip
                        for n in range(args.conversations)
                    )
                )
            elapsed = time.perf_counter() - start
        expected = before + 1 + args.rounds * args.conversations  # at least one reply each
        deadline = time.monotonic() + TIMEOUT
        while len(fake.sent()) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # replies sent after the answers, so the work did happen
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), TIMEOUT)
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "sent": len(fake.sent()) - before,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


async def _conversation(
    http: aiohttp.ClientSession,
    url: str,
    token: str,
    fake: FakeBotConnector,
    name: str,
    script: Script,
    latencies: list[float],
) -> None:
    for step, (kind, value) in enumerate(script):
        body = _message(fake, name, value) if kind == "say" else _press(fake, name, step, value)
        latencies.append(await _one(http, url, token, body))


async def _one(http: aiohttp.ClientSession, url: str, token: str, body: dict[str, Any]) -> float:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    async with http.post(url, data=json.dumps(body), headers=headers) as r:
        await r.read()
        if r.status >= 300:
            raise SystemExit(f"bench: {url} answered {r.status}")
    return (time.perf_counter() - start) * 1000


_ids = iter(range(10**9))


def _activity(fake: FakeBotConnector, who: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"bench-{next(_ids)}",
        "serviceUrl": fake.service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{who}", "aadObjectId": f"aad-{who}", "name": "Bench"},
        "conversation": {"id": f"a:{who}", "conversationType": "personal", "tenantId": TENANT},
        "recipient": {"id": f"28:{APP_ID}", "name": "InfoShare"},
        **fields,
    }


def _message(fake: FakeBotConnector, name: str, text: str) -> dict[str, Any]:
    return _activity(fake, name, type="message", text=text)


def _press(fake: FakeBotConnector, name: str, step: int, choice: str) -> dict[str, Any]:
    action = {"type": "Action.Execute", "verb": choice,
              "data": {"card": f"{name}-{step}", "label": choice}}  # fmt: skip
    return _activity(fake, name, type="invoke", name="adaptiveCard/action",
                     value={"action": action, "trigger": "manual"})  # fmt: skip


def _scripts() -> list[Script]:
    return [
        [("say", test.say), *(("press", c) for c in test.choose)]
        for _, test in load_tests(ROOT / "knowledge" / "tests")
        if test.say
    ]


async def _address(process: asyncio.subprocess.Process) -> str:
    assert process.stdout and process.stderr
    while True:
        for stream in (process.stdout, process.stderr):
            try:
                line = (await asyncio.wait_for(stream.readline(), 0.1)).decode()
            except TimeoutError:
                continue
            found = re.search(r"http://[0-9.]+:[0-9]+", line)
            if found:
                return found.group(0) + "/api/messages"
        if process.returncode is not None:
            raise SystemExit("bench: the server stopped before it listened")


async def bare_bot() -> None:
    """The baseline: botbuilder's CloudAdapter on aiohttp with the same token validation,
    a bot that echoes messages in the request and answers invokes with an empty 200.
    (It borrows our token source only because MSAL can't reach a local token endpoint.)"""
    from aiohttp import web
    from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter

    from adapters.teams.auth import TokenSource, build_authentication
    from bot.settings import Settings

    class Echo(ActivityHandler):  # type: ignore[misc]
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(turn_context.activity.text or "")

        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
            return InvokeResponse(status=200)

    settings = Settings()
    async with aiohttp.ClientSession() as session:
        assert settings.teams_app_id and settings.teams_app_password
        tokens = TokenSource(session, settings.teams_token_endpoint, settings.teams_app_id,
                             settings.teams_app_password.get_secret_value())  # fmt: skip
        await tokens.ensure()
        inner = build_authentication(settings, tokens).inner  # botbuilder's own, on the loop
        adapter, bot = CloudAdapter(inner), Echo()

        async def messages(request: web.Request) -> web.StreamResponse:
            answer = await adapter.process(request, bot)
            return answer if answer is not None else web.Response(status=201)

        app = web.Application()
        app.router.add_post("/api/messages", messages)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        print(f"serving on http://{host}:{port}", flush=True)
        await asyncio.sleep(TIMEOUT * 10)  # terminated by the bench long before this


def _report(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name}: {int(figures['requests'])} requests, {figures['rps']:.0f} requests/s, "
        f"p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"{int(figures['sent'])} activities sent"
    )


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
