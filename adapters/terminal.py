"""The terminal adapter: interactive chat, JSON lines, and the CLI's other async commands."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import logging
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from adapters.replies import describe, error_json, reply_json, too_long
from bot import messages
from bot.engine import Engine
from bot.exports import csv_cells, json_line, query_lines, utc_timestamp
from bot.knowledge import load_knowledge
from bot.models import Reply, Turn
from bot.queries import purge_before, redact_again, withhold
from bot.service import running_engine
from bot.settings import Settings
from bot.storage.open import DATABASE_SETTING, open_decision_log, open_query_log
from bot.testing import load_tests, run_test
from bot.text import normalise

log = logging.getLogger(__name__)
CHANNEL = "cli"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
# Keys that type control characters rather than text (Ctrl-L, arrows, Esc sequences): dropped,
# so "^Lback" reaches the core as "back".
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Leaving is the terminal's business: elsewhere "exit" and "quit" cancel, as the core reads them.
LEAVE = frozenset({"exit", "quit"})
LEAVE_HINT = "  (to leave, type exit or press Ctrl-D)"


async def chat_json(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON object in per line, exactly one JSON object out per line."""
    async with running_engine(settings) as engine:
        number = 0
        while line := await asyncio.to_thread(stdin.readline):
            number += 1
            reply = await json_turn(engine, line, number)
            stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
            stdout.flush()
    return 0


async def json_turn(engine: Engine, line: str, number: int) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return error_json(None, "malformed", f"line {number} is not JSON: {exc.msg}")
    if not isinstance(data, dict):
        return error_json(None, "malformed", f"line {number} must be a JSON object")
    conversation = data.get("conversation") if isinstance(data.get("conversation"), str) else None
    try:
        turn = Turn.model_validate({**data, "channel": CHANNEL})
    except ValidationError as exc:
        if too_long(exc):  # the web chat's code and words, so scripts can treat both alike
            return error_json(conversation, "too-long", engine.knowledge.messages.web.too_long)
        problems = "; ".join(describe(e) for e in exc.errors())
        return error_json(conversation, "malformed", f"line {number}: {problems}")
    try:
        reply = await engine.handle(turn)
    except Exception as exc:  # one bad turn must not end everyone's session
        # The type only: a traceback's messages could quote what the staff member typed.
        log.error(messages.JSON_TURN_FAILED, number, type(exc).__name__)
        return error_json(conversation, "internal", "something went wrong; please try again")
    return reply_json(reply)


async def chat_interactive(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    tty = stdout.isatty()
    width = shutil.get_terminal_size().columns - 1 if tty else None
    async with running_engine(settings) as engine:
        # Opened as the web chat opens, with "help" as a press: nobody typed it, so it isn't logged
        reply = await engine.handle(Turn(channel=CHANNEL, conversation="terminal",
                                         user="terminal", choice="help"))  # fmt: skip
        shown = render(reply, bold=tty, width=width) + "\n" + LEAVE_HINT
        while True:
            stdout.write(shown + "\n\nyou> ")
            stdout.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                stdout.write("\n")
                return 0
            said = typed(line)
            if normalise(said) in LEAVE:
                stdout.write("\n")
                return 0
            if not said:
                stdout.write("\n")
                continue
            turn = Turn(channel=CHANNEL, conversation="terminal", user="terminal", text=said)
            if said.isdigit() and 1 <= int(said) <= len(reply.choices):
                turn = Turn(channel=CHANNEL, conversation="terminal", user="terminal",
                            choice=reply.choices[int(said) - 1].id)  # fmt: skip
            reply = await engine.handle(turn)
            shown = render(reply, bold=tty, width=width)
            stdout.write("\n")


def typed(line: str) -> str:
    """What was typed on a line, without control characters or surrounding space."""
    return _CONTROL.sub("", line).strip()


def render(reply: Reply, bold: bool = False, width: int | None = None) -> str:
    """A reply as terminal text: numbered choices, links and the actions you can type.

    With a ``width``, long lines wrap at word boundaries, bullets with a hanging indent.
    """
    text = f"bot> {reply.text}"
    if width:
        text = "\n".join(_wrap(line, width) for line in text.splitlines())
    text = _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if bold else m.group(1), text)
    lines = [text]
    if reply.help and reply.question:
        lines.append(f"     ({reply.help})")
    for i, choice in enumerate(reply.choices, 1):
        lines.append(f"  [{i}] {choice.label}")
    for link in reply.links:
        lines.append(f"  -> {link.title}: {link.url}")
    if reply.summary:
        lines.append("\n--- for the case record ---\n" + reply.summary.case_note + "\n---")
    if reply.actions:
        lines.append("  (you can also type: " + " / ".join(a.label for a in reply.actions) + ")")
    return "\n".join(lines)


def _wrap(line: str, width: int) -> str:
    indent = "  " if line.startswith("- ") else ""
    return textwrap.fill(line, width, subsequent_indent=indent, break_on_hyphens=False) or line


async def run_conversation_tests(settings: Settings, out: TextIO) -> int:
    knowledge = load_knowledge(settings.knowledge_dir)
    tests = load_tests(settings.knowledge_dir / "tests")
    failed = 0
    for label, test in tests:
        failure = await run_test(knowledge, label, test)
        if failure:
            failed += 1
            print(f"FAIL {failure}", file=out)
    print(f"{len(tests) - failed} passed, {failed} failed", file=out)
    return 1 if failed or not tests else 0


async def export_decisions(
    settings: Settings, fmt: str, since: dt.datetime | None, out: TextIO
) -> int:
    if _missing(settings, "decision log"):
        return 1
    log_ = await open_decision_log(settings.database_url)
    try:
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(["id", "time", "channel", "user", "topic", "answers", "outcome",
                             "knowledge_version", "revises"])  # fmt: skip
        async for record in log_.export(since):
            if writer:
                answers = " ".join(f"{q}={c}" for q, c in record.answers)
                writer.writerow(csv_cells([record.id, utc_timestamp(record.time), record.channel,
                                           record.user, record.topic, answers, record.outcome,
                                           record.knowledge_version, record.revises]))  # fmt: skip
            else:
                out.write(json_line(record) + "\n")
    finally:
        await log_.close()
    return 0


async def export_queries(
    settings: Settings,
    fmt: str,
    since: dt.datetime | None,
    out: TextIO,
    path: Path | None = None,
) -> int:
    """``infoshare logs export``: the anonymised query log, as JSON lines or CSV to ``out``,
    or as Parquet to the file at ``path``."""
    if _missing(settings, "query log"):
        return 1
    queries = await open_query_log(settings.database_url)
    try:
        if fmt == "parquet":
            from adapters.parquet import write_parquet  # loads pyarrow: only when asked

            assert path is not None
            written = await write_parquet(queries.export(since), path)
            print(f"{written} query log records written to {path}", file=sys.stderr)
        else:
            async for line in query_lines(
                queries.export(since), "csv" if fmt == "csv" else "jsonl"
            ):
                out.write(line)
    finally:
        await queries.close()
    return 0


async def purge_queries(settings: Settings, out: TextIO) -> int:
    """``infoshare logs purge``: delete what is older than the retention period."""
    if _missing(settings, "query log"):
        return 1
    queries = await open_query_log(settings.database_url)
    try:
        gone = await queries.purge(purge_before(dt.datetime.now(dt.UTC), settings.query_log_days))
    finally:
        await queries.close()
    days = settings.query_log_days
    print(f"{gone} query log and flow progress records older than {days} "
          f"{'day' if days == 1 else 'days'} deleted", file=out)  # fmt: skip
    return 0


async def redact_queries_again(settings: Settings, out: TextIO) -> int:
    """``infoshare logs redact-again``: run the current redaction rules over every stored text
    (the server also does it by itself after an upgrade)."""
    if _missing(settings, "query log"):
        return 1
    queries = await open_query_log(settings.database_url)
    try:
        read, rewritten = await redact_again(queries)
    finally:
        await queries.close()
    print(f"{read} query log records redacted again with the current rules: {rewritten} "
          f"changed", file=out)  # fmt: skip
    return 0


async def withhold_queries(settings: Settings, ids: Sequence[str], out: TextIO) -> int:
    """``infoshare logs withhold ID...``: replace those records' texts with ``[WITHHELD]``."""
    if _missing(settings, "query log"):
        return 1
    queries = await open_query_log(settings.database_url)
    try:
        found = await withhold(queries, ids)
    finally:
        await queries.close()
    print(f"{len(found)} query log {'record' if len(found) == 1 else 'records'} withheld", file=out)
    if missing := [i for i in dict.fromkeys(ids) if i not in found]:
        print(f"infoshare: not in the query log (purged, or mistyped): {', '.join(missing)}; "
              "`infoshare logs export` gives every id", file=sys.stderr)  # fmt: skip
        return 1
    return 0


def _missing(settings: Settings, what: str) -> bool:
    path = settings.database_path
    if path is not None and not path.exists():  # don't create an empty log just to read it
        print(f"infoshare: {DATABASE_SETTING}: cannot open the SQLite database {path}: "
              f"no such file (no {what} has been written there)", file=sys.stderr)  # fmt: skip
        return True
    return False
