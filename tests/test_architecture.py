"""The core never imports an adapter or a platform SDK, and starts without them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("adapters", "slack_bolt", "slack_sdk", "botbuilder", "aiohttp")


def test_no_module_in_bot_imports_an_adapter_or_sdk() -> None:
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if path.name == "__main__.py":  # the one allowed launcher of adapters/cli.py
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_the_core_runs_a_turn_with_the_sdks_blocked() -> None:
    script = f"""
import sys, asyncio
for name in {FORBIDDEN!r}:
    sys.modules[name] = None  # any import of these now fails
from bot.knowledge import load_knowledge
from bot.engine import Engine
from bot.models import Turn
from bot.pseudonym import Pseudonymiser
from bot.storage.memory import MemoryConversationStore, MemoryDecisionLog
engine = Engine(load_knowledge(__import__('pathlib').Path('knowledge')), MemoryConversationStore(),
                MemoryDecisionLog(), Pseudonymiser(b'k' * 16))
reply = asyncio.run(engine.handle(Turn(conversation='c', user='u', text='cops want info')))
assert reply.topic == 'police', reply
print('ok')
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
