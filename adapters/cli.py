"""The ``infoshare`` command: terminal chat, JSON-lines chat, knowledge checks, exports."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from adapters import reminders_cli, terminal
from bot.knowledge import load_knowledge
from bot.reminders.words import load_words
from bot.settings import Settings
from bot.storage.sqlite import StorageError
from bot.yamlfile import KnowledgeError

Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"infoshare: configuration: {setting_problem(error)}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    command: Command = args.run
    try:
        return command(args, settings)
    except KnowledgeError as exc:
        print("infoshare: the knowledge files have problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except StorageError as exc:
        print(f"infoshare: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (| head): what it read was all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error
        return 0


def setting_problem(error: Mapping[str, Any]) -> str:
    """A settings error in words that name the variable: our own checks name it already;
    pydantic's type checks ("Input should be a valid integer") get it put in front."""
    message = str(error["msg"]).removeprefix("Value error, ")
    where = error.get("loc") or ()
    if error.get("type") != "value_error" and where:
        return f"INFOSHARE_{str(where[0]).upper()}: {message}"  # never the value: it may be secret
    return message


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="infoshare",
        description="InfoShare Assistant: can I share this? Guided decisions for children's "
        "services staff.",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    chat = sub.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--json", action="store_true",
                      help="JSON lines on stdin and stdout, for scripts")  # fmt: skip
    chat.set_defaults(run=_chat)

    knowledge = sub.add_parser("knowledge", help="check or test the knowledge files")
    ksub = knowledge.add_subparsers(required=True, metavar="ACTION")
    ksub.add_parser("check", help="validate every knowledge file").set_defaults(run=_check)
    ksub.add_parser("test", help="run the conversation tests").set_defaults(run=_test)
    reminders_cli.add_commands(sub, ksub)  # infoshare reminders ..., infoshare knowledge stale

    decisions = sub.add_parser("decisions", help="the decision log")
    dsub = decisions.add_subparsers(required=True, metavar="ACTION")
    export = dsub.add_parser("export", help="write decisions to standard output")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--since", type=_date, help="only decisions on or after DATE (YYYY-MM-DD)")
    export.set_defaults(run=_export)

    logs = sub.add_parser("logs", help="the anonymised query log")
    lsub = logs.add_subparsers(required=True, metavar="ACTION")
    lexport = lsub.add_parser("export", help="write the query log to standard output")
    lexport.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
    lexport.add_argument("--out", type=Path, help="the file to write (needed for parquet)")
    lexport.add_argument("--since", type=_date, help="only records on or after DATE (YYYY-MM-DD)")
    lexport.set_defaults(run=_logs_export)
    purge = lsub.add_parser("purge", help="delete records older than INFOSHARE_QUERY_LOG_DAYS")
    purge.set_defaults(run=_logs_purge)
    again = lsub.add_parser("redact-again", help="run the current redaction rules over the log")
    again.set_defaults(run=_logs_redact_again)
    withhold = lsub.add_parser(
        "withhold", help="replace records' texts with [WITHHELD] (an identifier got through)"
    )
    withhold.add_argument("ids", nargs="+", metavar="ID", help="a record's id, from an export")
    withhold.set_defaults(run=_logs_withhold)

    serve = sub.add_parser("serve", help="serve Slack and Teams (and health checks) over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=3978, help="port to listen on (3978)")
    serve.set_defaults(run=_serve)

    manifest = sub.add_parser("manifest", help="print a platform's app manifest")
    msub = manifest.add_subparsers(required=True, metavar="PLATFORM")
    slack = msub.add_parser("slack", help="the Slack app manifest for this deployment")
    where = slack.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="the server's public address, https://HOST")
    where.add_argument("--socket-mode", action="store_true",
                       help="for Socket Mode: no public address needed")  # fmt: skip
    slack.set_defaults(run=_manifest_slack)
    teams = msub.add_parser("teams", help="the Teams app package (a zip to upload to Teams)")
    teams.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft App ID")
    teams.add_argument("--out", required=True, type=Path, help="where to write it: app.zip")
    teams.add_argument(
        "--url", help="the server's public address, https://HOST, for the privacy and terms links"
    )
    teams.set_defaults(run=_manifest_teams)
    return parser


def _date(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-01-31") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    run = terminal.chat_json if args.json else terminal.chat_interactive
    return asyncio.run(run(settings, sys.stdin, sys.stdout))


def _check(args: argparse.Namespace, settings: Settings, out: TextIO = sys.stdout) -> int:
    knowledge = load_knowledge(settings.knowledge_dir)
    load_words(settings.knowledge_dir)  # reminders.yaml: what reminder commands say
    print(
        f"OK: {len(knowledge.flows)} flows, {len(knowledge.snippets)} snippets, "
        f"{len(knowledge.topics)} topics (version {knowledge.version})",
        file=out,
    )
    for warning in knowledge.warnings(dt.date.today()):
        print(f"warning: {warning}", file=out)
    return 0


def _test(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(terminal.run_conversation_tests(settings, sys.stdout))


def _export(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(terminal.export_decisions(settings, args.format, args.since, sys.stdout))


def _logs_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "parquet" and args.out is None:
        print("infoshare: --format parquet needs --out FILE (Parquet is binary)", file=sys.stderr)
        return 2
    try:
        if args.format == "parquet" or args.out is None:
            export = terminal.export_queries(
                settings, args.format, args.since, sys.stdout, args.out
            )
            return asyncio.run(export)
        with args.out.open("w", newline="", encoding="utf-8") as out:
            return asyncio.run(terminal.export_queries(settings, args.format, args.since, out))
    except BrokenPipeError:
        raise  # the reader of standard output went away: main() ends quietly
    except OSError as exc:
        print(f"infoshare: can't write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _logs_purge(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(terminal.purge_queries(settings, sys.stdout))


def _logs_redact_again(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(terminal.redact_queries_again(settings, sys.stdout))


def _logs_withhold(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(terminal.withhold_queries(settings, args.ids, sys.stdout))


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `infoshare chat` never loads aiohttp or the Slack SDK.
    from adapters.http import serve

    return serve(settings, args.host, args.port, sys.stderr)


def _manifest_slack(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.slack.manifest import ManifestError, render

    try:
        sys.stdout.write(render(args.url, args.socket_mode))
    except ManifestError as exc:
        print(f"infoshare: {exc}", file=sys.stderr)
        return 2
    return 0


def _manifest_teams(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.teams.manifest import PLACEHOLDER_URL, ManifestError, package

    try:
        written = package(args.app_id, args.out, args.url)
    except ManifestError as exc:
        print(f"infoshare: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written}: upload it in Teams (Apps > Manage your apps > Upload an app)")
    if args.url is None:  # the privacy and terms links would go nowhere of the council's
        print(
            "infoshare: warning: no --url given, so the package links its privacy notice and "
            f"terms to {PLACEHOLDER_URL}; give --url https://YOUR-HOST before publishing it",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
