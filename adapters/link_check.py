"""Does each policy link still answer? For the IG team's review digest (``bot.reminders.digest``).

HEAD first, GET where a server refuses HEAD; redirects followed; a few at a time, each with a
timeout, so one dead intranet host can't hold the digest up. An answer below 400 counts.
"""

from __future__ import annotations

import asyncio

import aiohttp

TIMEOUT_SECONDS = 10.0
AT_ONCE = 4
_RETRY_WITH_GET = {403, 405, 501}  # servers that refuse HEAD but serve the page


async def check_links(urls: list[str], timeout: float = TIMEOUT_SECONDS) -> dict[str, str | None]:
    """url -> None if it answers, else what went wrong: an HTTP status, "timeout" or
    "unreachable"."""
    limit = asyncio.Semaphore(AT_ONCE)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(timeout=client_timeout) as session:

        async def one(url: str) -> str | None:
            async with limit:
                return await _check(session, url)

        answers = await asyncio.gather(*(one(url) for url in urls))
    return dict(zip(urls, answers, strict=True))


async def _check(session: aiohttp.ClientSession, url: str) -> str | None:
    try:
        async with session.head(url, allow_redirects=True) as response:
            status = response.status
        if status in _RETRY_WITH_GET:
            async with session.get(url, allow_redirects=True) as response:
                status = response.status
    except TimeoutError:
        return "timeout"
    except (aiohttp.ClientError, ValueError):
        return "unreachable"
    return None if status < 400 else str(status)
