"""The ``infoshare`` command as scripts and staff use it, in a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from tests.conftest import ROOT, closed_port

REQUIRED = {
    "conversation",
    "topic",
    "question",
    "text",
    "choices",
    "links",
    "outcome",
    "decision_id",
}


def infoshare(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INFOSHARE_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def lines(*objects: object) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def test_json_chat_answers_every_line_once_and_survives_bad_ones(workdir: Path) -> None:
    said = lines(
        {"conversation": "A", "user": "u1", "text": "the police want everything we hold"},
        "this is not json",
        {"conversation": "B", "user": "u2", "text": "a care leaver wants a copy of her file"},
        ["a", "list"],
        {"conversation": "A", "user": "u1", "choice": "banana"},
        {"conversation": "A", "user": "u1"},
        {"conversation": "A", "user": "u1", "text": "hi", "choice": "yes"},
        {"conversation": "A", "user": "u1", "choice": "no"},
        {"conversation": "B", "user": "u2", "choice": "self"},
        "",
        {"conversation": "A", "user": "u1", "text": "safeguarding"},
        {"conversation": "A", "user": "u1", "text": "yes"},
        {"conversation": "A", "user": "u1", "text": "some of it"},
    )
    done = infoshare("chat", "--json", stdin=said, cwd=workdir)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(said.splitlines())
    assert all(REQUIRED <= set(reply) for reply in out)
    assert [r.get("error") for r in out] == [
        None,
        "malformed",
        None,
        "malformed",
        "unknown-choice",
        "malformed",
        "malformed",
        None,
        None,
        "malformed",
        None,
        None,
        None,
    ]
    assert (out[0]["topic"], out[0]["question"]) == ("police", "immediate-risk")
    assert out[0]["choices"] == [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}]
    assert out[4]["conversation"] == "A" and out[4]["question"] == "immediate-risk"
    assert out[7]["question"] == "police-purpose"
    assert out[8]["question"] == "care-experienced"
    final = out[-1]
    assert final["outcome"] == "share-minimum"
    assert final["decision_id"].startswith("D-")
    assert final["links"] and all({"title", "url"} <= set(link) for link in final["links"])
    assert final["summary"]["case_note"].count(final["decision_id"]) == 1

    exported = infoshare("decisions", "export", cwd=workdir)
    assert exported.returncode == 0, exported.stderr
    [record] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert record["id"] == final["decision_id"]
    assert record["answers"][-1] == ["scope", "some"]
    assert (workdir / "infoshare.db").exists()
    assert (workdir / "infoshare.pseudonym-key").exists()

    as_csv = infoshare(
        "decisions", "export", "--format", "csv", "--since", "2000-01-01", cwd=workdir
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["id"] for r in rows] == [final["decision_id"]]
    assert rows[0]["outcome"] == "share-minimum"
    future = infoshare("decisions", "export", "--since", "2999-01-01", cwd=workdir)
    assert future.stdout == ""


def test_exports_link_a_decision_to_the_one_it_replaces(workdir: Path) -> None:
    said = lines(
        {"conversation": "A", "user": "u1", "text": "the police want everything we hold"},
        {"conversation": "A", "user": "u1", "choice": "yes"},
        {"conversation": "A", "user": "u1", "choice": "back"},
        {"conversation": "A", "user": "u1", "choice": "yes"},
    )
    done = infoshare("chat", "--json", stdin=said, cwd=workdir)
    first, back, second = [json.loads(line) for line in done.stdout.splitlines()][1:]
    assert f"**{first['decision_id']}** stays recorded" in back["text"]
    assert second["summary"]["recorded"].endswith("which stays in the log.")

    exported = infoshare("decisions", "export", cwd=workdir).stdout.splitlines()
    as_json = [json.loads(line) for line in exported]
    assert [(r["id"], r["revises"]) for r in as_json] == [
        (first["decision_id"], None),
        (second["decision_id"], first["decision_id"]),
    ]
    as_csv = infoshare("decisions", "export", "--format", "csv", cwd=workdir).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [(r["id"], r["revises"]) for r in rows] == [
        (first["decision_id"], ""),
        (second["decision_id"], first["decision_id"]),
    ]
    assert [r["time"] for r in rows] == [r["time"] for r in as_json]


def test_export_refuses_a_bad_date(workdir: Path) -> None:
    done = infoshare("decisions", "export", "--since", "last week", cwd=workdir)
    assert done.returncode == 2
    assert "is not a date like" in done.stderr


def test_configuration_errors_name_the_setting(workdir: Path) -> None:
    done = infoshare("chat", "--json", env={"INFOSHARE_DATABASE_URL": "mysql://x"}, cwd=workdir)
    assert done.returncode == 2
    assert "INFOSHARE_DATABASE_URL" in done.stderr


def test_json_chat_answers_empty_typed_numbers_and_exit_with_one_line_each(workdir: Path) -> None:
    turn = {"conversation": "A", "user": "u1"}
    said = lines(
        {**turn, "text": ""},
        {**turn, "text": "   "},
        {**turn, "text": "1"},  # the menu is on offer: the first topic
        {**turn, "text": "no"},
        {**turn, "text": "they are investigating a crime"},
        {**turn, "text": "help"},
        {**turn, "text": "exit"},  # leaves only the terminal chat; here it cancels
        {**turn, "text": "\u000cback"},
    )
    done = infoshare("chat", "--json", stdin=said, cwd=workdir)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(said.splitlines())
    assert all(REQUIRED <= set(reply) and reply["error"] is None for reply in out)
    assert "police" in [c["id"] for c in out[0]["choices"]]  # nothing typed: the menu
    assert out[1]["choices"] == out[0]["choices"]
    assert [r["question"] for r in out[2:6]] == [
        "immediate-risk",
        "police-purpose",
        "identity-verified",
        "identity-verified",
    ]
    assert out[6]["text"].startswith("Cancelled. Nothing was recorded.")
    exported = infoshare("logs", "export", cwd=workdir)
    logged = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(logged) == len(out) - 2 and all(r["helped"] for r in logged)  # no empty ones


def test_json_chat_answers_over_long_text_too_long_as_the_web_chat_does(
    workdir: Path, knowledge: Knowledge
) -> None:
    said = lines(
        {"conversation": "A", "user": "u1", "text": "the police want everything we hold"},
        {"conversation": "A", "user": "u1", "text": "a" * 4001},
        {"conversation": "A", "user": "u1", "choice": "no"},
        {"conversation": "B", "user": "u2", "text": "a " * 2000},  # 4,000: within the limit
    )
    done = infoshare("chat", "--json", stdin=said, cwd=workdir)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["error"] for r in out] == [None, "too-long", None, None]
    assert out[1]["conversation"] == "A"
    assert out[1]["text"] == knowledge.messages.web.too_long  # the web chat's very words
    assert out[2]["question"] == "police-purpose"  # and the conversation carried on


def test_every_text_export_writes_a_time_in_utc_ending_in_z_whatever_the_format(
    workdir: Path,
) -> None:
    said = lines(
        {"conversation": "A", "user": "u1", "text": "the police want everything we hold"},
        {"conversation": "A", "user": "u1", "choice": "yes"},  # a decision: act now
    )
    assert infoshare("chat", "--json", stdin=said, cwd=workdir).returncode == 0
    for export in (["decisions", "export"], ["logs", "export"]):
        as_json = infoshare(*export, "--format", "jsonl", cwd=workdir)
        as_csv = infoshare(*export, "--format", "csv", cwd=workdir)
        assert as_json.returncode == as_csv.returncode == 0, as_json.stderr + as_csv.stderr
        json_times = [json.loads(line)["time"] for line in as_json.stdout.splitlines()]
        csv_times = [row["time"] for row in csv.DictReader(io.StringIO(as_csv.stdout))]
        assert json_times and csv_times == json_times, export
        for time in csv_times:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", time), export


SECRET = "st0re-s3cret-pw"
FAILURES = {  # what is set, and what the one line says (after "infoshare: ")
    "sqlite": ("INFOSHARE_DATABASE_URL", "cannot open the SQLite database"),
    "postgresql": ("INFOSHARE_DATABASE_URL", "cannot connect to PostgreSQL at"),
    "redis": ("INFOSHARE_REDIS_URL", "cannot connect to Redis at"),
}


@pytest.mark.parametrize(
    ("store", "command"),
    [
        *[("sqlite", c) for c in ["chat --json", "chat", "decisions export", "logs export",
                                  "logs purge", "reminders list", "reminders history", "serve"]],
        *[("postgresql", c) for c in ["chat --json", "decisions export", "logs purge",
                                      "reminders history", "serve"]],
        *[("redis", c) for c in ["chat --json", "serve"]],
    ],
)  # fmt: skip
def test_a_store_that_cannot_be_opened_is_one_line_naming_its_setting_and_no_password(
    workdir: Path, store: str, command: str
) -> None:
    port = closed_port()
    env = {
        "sqlite": {"INFOSHARE_DATABASE_URL": f"sqlite:///{workdir}/missing/dir/x.db"},
        "postgresql": {
            "INFOSHARE_DATABASE_URL": f"postgresql://infoshare:{SECRET}@127.0.0.1:{port}/test",
            "INFOSHARE_PSEUDONYM_KEY": "test-pseudonym-key-0123",
        },
        "redis": {"INFOSHARE_REDIS_URL": f"redis://:{SECRET}@127.0.0.1:{port}/0"},
    }[store]
    args = command.split() + (["--port", "0"] if command == "serve" else [])
    said = lines({"conversation": "A", "user": "u", "text": "hi"})
    done = infoshare(*args, stdin=said, env=env, cwd=workdir)
    setting, says = FAILURES[store]
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert SECRET not in done.stderr + done.stdout
    # serve warns first that no platform is configured; nothing else is said
    [line] = [line for line in done.stderr.splitlines() if not line.startswith("WARNING ")]
    assert line.startswith(f"infoshare: {setting}: {says}"), line
    if store != "sqlite":
        assert f"127.0.0.1:{port}" in line  # where it tried, its password hidden


def test_knowledge_check_passes_and_reports_broken_files(
    workdir: Path, knowledge_copy: Path
) -> None:
    done = infoshare("knowledge", "check", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK:")
    police = knowledge_copy / "flows" / "police.yaml"
    police.write_text(police.read_text().replace("outcome: share\n", "outcome: sharing\n", 1))
    done = infoshare(
        "knowledge", "check", env={"INFOSHARE_KNOWLEDGE_DIR": str(knowledge_copy)}, cwd=workdir
    )
    assert done.returncode == 1
    assert "flows/police.yaml:" in done.stderr and "outcome" in done.stderr


def test_knowledge_test_runs_the_conversation_tests(workdir: Path, knowledge_copy: Path) -> None:
    done = infoshare("knowledge", "test", cwd=workdir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].endswith(" passed, 0 failed")
    broken = knowledge_copy / "tests" / "police.yaml"
    broken.write_text(broken.read_text().replace("outcome: share\n", "outcome: do-not-share\n", 1))
    done = infoshare(
        "knowledge", "test", env={"INFOSHARE_KNOWLEDGE_DIR": str(knowledge_copy)}, cwd=workdir
    )
    assert done.returncode == 1
    assert "FAIL tests/police.yaml" in done.stdout


def test_interactive_chat_numbers_the_choices(workdir: Path) -> None:
    done = infoshare("chat", stdin="police want info\n2\n", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "[1] Yes" in done.stdout and "[2] No" in done.stdout
    assert "What do the police need the information for?" in done.stdout


def test_python_dash_m_and_the_console_script_are_the_same_command() -> None:
    script = Path(sys.executable).parent / "infoshare"
    if not script.exists():
        pytest.skip("the infoshare console script is not installed in this environment")
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "chat" in done.stdout


def test_an_export_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    # `infoshare decisions export | head -1`: the reader stops early; no traceback, no error.
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "INFOSHARE_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}  # fmt: skip
    lines = "".join(
        f'{{"conversation": "c{n}", "user": "u", "text": "the police want everything"}}\n'
        f'{{"conversation": "c{n}", "user": "u", "choice": "yes"}}\n'
        for n in range(400)
    )
    subprocess.run([sys.executable, "-m", "adapters.cli", "chat", "--json"], input=lines,
                   text=True, env=env, check=True, capture_output=True)  # fmt: skip
    for command in ("decisions export --format csv", "logs export"):
        run = subprocess.run(
            f"{sys.executable} -m adapters.cli {command} | head -1",
            shell=True,
            env=env,
            text=True,
            capture_output=True,
            executable="/bin/bash",
        )
        assert run.stdout.count("\n") == 1 and run.stderr == "", (command, run.stderr)


@pytest.mark.parametrize(
    "setting",
    [
        "INFOSHARE_QUERY_LOG_DAYS=abc",
        "INFOSHARE_TEAMS_APP_TYPE=Foo",
        "INFOSHARE_REMINDER_CHECK_LINKS=maybe",
    ],  # fmt: skip
)
def test_a_value_of_the_wrong_kind_is_refused_naming_its_setting(setting: str) -> None:
    name, value = setting.split("=")
    env = {**os.environ, "PYTHONPATH": str(ROOT), name: value}
    run = subprocess.run([sys.executable, "-m", "adapters.cli", "logs", "purge"], env=env,
                         text=True, capture_output=True)  # fmt: skip
    assert run.returncode == 2 and f"configuration: {name}:" in run.stderr
