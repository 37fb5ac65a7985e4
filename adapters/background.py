"""Work done after a platform has been answered, kept track of so nothing is lost on shutdown.

Slack wants an answer within three seconds; an engine turn writes to the database and posting a
reply is another round trip, so adapters acknowledge first and do the rest here. Tests and
shutdown wait for it with ``drain``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot import messages

log = logging.getLogger(__name__)


class Background:
    """A set of running tasks: failures are logged (by type only), never lost silently."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Start ``work`` now; ``name`` (never message text) names it in logs."""
        task = asyncio.create_task(self._guarded(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until no task is running, including tasks started meanwhile. False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._tasks:
            left = None if deadline is None else max(deadline - loop.time(), 0)
            _, pending = await asyncio.wait(set(self._tasks), timeout=left)
            if pending and left == 0:
                return False
        return True

    async def close(self, timeout: float) -> None:
        """Let running work finish for up to ``timeout`` seconds, then cancel what is left."""
        if await self.drain(timeout):
            return
        log.warning(messages.BACKGROUND_CANCELLED, len(self._tasks))
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except Exception as exc:  # one failed conversation must not go unnoticed or spread
            log.error(messages.BACKGROUND_FAILED, name, type(exc).__name__)
