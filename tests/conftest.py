from __future__ import annotations

import datetime as dt
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import Knowledge, load_knowledge
from bot.models import Reply, Turn
from bot.pseudonym import Pseudonymiser
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog
from bot.types import DecisionLog

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
FIXED_TIME = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture
def decisions() -> MemoryDecisionLog:
    return MemoryDecisionLog()


@pytest.fixture
def make_engine(knowledge: Knowledge) -> Callable[[DecisionLog], Engine]:
    def make(log: DecisionLog) -> Engine:
        return Engine(
            knowledge,
            MemoryConversationStore(),
            log,
            Pseudonymiser(b"test-key-0123456789"),
            clock=lambda: FIXED_TIME,
        )

    return make


@pytest.fixture
def engine(make_engine: Callable[[DecisionLog], Engine], decisions: MemoryDecisionLog) -> Engine:
    return make_engine(decisions)


class Chat:
    """A staff member in one conversation: ``say`` types, ``press`` presses a button."""

    def __init__(self, engine: Engine, conversation: str = "c1", user: str = "U123") -> None:
        self.engine, self.conversation, self.user = engine, conversation, user

    async def say(self, text: str) -> Reply:
        return await self.engine.handle(
            Turn(channel="test", conversation=self.conversation, user=self.user, text=text)
        )

    async def press(self, choice: str) -> Reply:
        return await self.engine.handle(
            Turn(channel="test", conversation=self.conversation, user=self.user, choice=choice)
        )


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the real knowledge folder that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: taken from the system, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
