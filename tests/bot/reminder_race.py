"""One server instance's scheduler, in a process of its own, for the racing test: it ticks at
the wall-clock moment given (so two of them start together) with its clock at the slot time,
then prints how many deliveries it made."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time

from bot.knowledge import load_knowledge
from tests.bot.reminder_kit import Clock, RecordingSender, build
from tests.conftest import KNOWLEDGE


async def main(url: str, now: str, start_at: float, channels: int) -> None:
    sender = RecordingSender(known=[f"C0RACE{i:04d}" for i in range(channels)])
    kit = await build(url, load_knowledge(KNOWLEDGE), Clock(dt.datetime.fromisoformat(now)), sender)
    try:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        await kit.scheduler.tick()
    finally:
        await kit.store.close()
    print(len(sender.received))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])))
