"""Keeping to a platform's per-conversation message rate when the app speaks first.

Slack allows about one message a second in a channel, Teams a few a second in a conversation
(and fewer over longer windows). A reminder sent to many places goes to each once, so pacing
only bites when several reminders reach one place together: each waits its turn there, and
other places are not held up.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class Pacer:
    """At most one send per ``interval`` seconds to each place, in the order they asked."""

    def __init__(self, interval: float, clock: Callable[[], float] | None = None) -> None:
        self.interval = interval
        self._clock = clock
        self._last: dict[str, float] = {}
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def turn(self, place: str) -> AsyncIterator[None]:
        """Wait until ``place`` may have another message, then hold it while the send runs
        (retries included), so a throttled send is not overtaken."""
        lock = self._locks.setdefault(place, asyncio.Lock())
        async with lock:
            now = self._now()
            wait = self._last.get(place, now - self.interval) + self.interval - now
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._last[place] = self._now()
                self._forget_old()

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def _forget_old(self) -> None:
        """Places not written to within the interval need no memory (keeps the dict small)."""
        if len(self._last) > 1000:
            cutoff = self._now() - self.interval
            self._last = {k: v for k, v in self._last.items() if v > cutoff}
