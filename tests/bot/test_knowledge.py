"""Knowledge files: everything loads, and every kind of mistake names its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import Knowledge, load_knowledge
from bot.schema import DECISION_TOPICS, OUTCOMES, TOPICS
from bot.yamlfile import KnowledgeError


def problems_after(folder: Path, rel: str, old: str, new: str) -> list[str]:
    path = folder / rel
    text = path.read_text()
    assert old in text, f"test set-up: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return [str(p) for p in caught.value.problems]


def line_of(folder: Path, rel: str, needle: str) -> int:
    lines = (folder / rel).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_shipped_knowledge_loads_completely(knowledge: Knowledge) -> None:
    assert set(knowledge.topics) == set(TOPICS)
    assert set(knowledge.outcomes) == set(OUTCOMES)
    assert set(DECISION_TOPICS) | {"urgent"} <= set(knowledge.flows)
    assert {s.topic for s in knowledge.snippets.values()} >= {"security", "principles"}
    assert len(knowledge.version) == 12


def test_the_default_organisation_is_merton_with_its_induction_links(knowledge: Knowledge) -> None:
    org = knowledge.organisation
    assert org.name == "London Borough of Merton"
    urls = {str(link.url) for link in org.policy_links}
    assert "https://www.merton.gov.uk/mwbm-is.htm" in urls
    assert "https://www.merton.gov.uk/mwbm-secure-exchange.htm" in urls
    assert "currently under review" in org.caldicott_guardian


def test_the_required_rule_sets_are_all_there(knowledge: Knowledge) -> None:
    ids = set(knowledge.snippets)
    assert {f"caldicott-{n}" for n in range(1, 9)} <= ids  # eight principles (2020), not seven
    assert {f"golden-rule-{n}" for n in range(1, 8)} <= ids
    assert {
        "gdpr-principles",
        "routine-and-ad-hoc",
        "information-sharing-agreements",
        "privacy-notices",
        "breach-steps",
        "clear-desk",
        "secure-email",
    } <= ids


def test_yes_and_no_stay_words_not_booleans(knowledge: Knowledge) -> None:
    question = knowledge.flows["police"].questions[0]
    assert [c.id for c in question.choices] == ["yes", "no"]


def test_bad_yaml_syntax_names_file_and_line(knowledge_copy: Path) -> None:
    problems = problems_after(
        knowledge_copy, "flows/police.yaml", "start: immediate-risk", "start: [immediate-risk"
    )
    assert len(problems) == 1
    assert problems[0].startswith("flows/police.yaml:")
    assert "not valid YAML" in problems[0]


def test_a_misspelt_key_is_refused_with_its_line(knowledge_copy: Path) -> None:
    rel = "flows/police.yaml"
    line = line_of(knowledge_copy, rel, "  - id: police-act-now")
    problems = problems_after(
        knowledge_copy,
        rel,
        "    headline: Someone may be at immediate",
        "    headlin: Someone may be at immediate",
    )
    assert any(p.startswith(f"{rel}:{line + 2}:") and "headlin" in p for p in problems), problems


def test_an_unknown_outcome_id_is_refused(knowledge_copy: Path) -> None:
    rel = "flows/police.yaml"
    problems = problems_after(knowledge_copy, rel, "outcome: act-now", "outcome: act-soon")
    line = line_of(knowledge_copy, rel, "outcome: act-soon")
    assert any(p.startswith(f"{rel}:{line}:") and "outcome" in p for p in problems), problems


def test_a_choice_leading_nowhere_is_refused(knowledge_copy: Path) -> None:
    problems = problems_after(
        knowledge_copy, "flows/police.yaml", "go: police-purpose-unclear", "go: police-nowhere"
    )
    assert any("police-nowhere" in p and "not a question or result" in p for p in problems)


def test_a_rule_naming_a_missing_snippet_is_refused_with_its_line(knowledge_copy: Path) -> None:
    rel = "flows/police.yaml"
    problems = problems_after(
        knowledge_copy,
        rel,
        "rules: [golden-rule-1, emergencies]",
        "rules: [golden-rule-1, emergencys]",
    )
    line = line_of(knowledge_copy, rel, "emergencys")
    assert f"{rel}:{line}: no snippet has the id 'emergencys'" in problems


def test_a_snippet_without_front_matter_is_refused(knowledge_copy: Path) -> None:
    path = knowledge_copy / "snippets" / "clear-desk.md"
    path.write_text("Just text, no front matter.\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert "snippets/clear-desk.md:1: must start with front matter" in str(caught.value)


def test_a_bad_date_in_a_snippet_names_its_line(knowledge_copy: Path) -> None:
    rel = "snippets/clear-desk.md"
    text = (knowledge_copy / rel).read_text()
    old = next(line for line in text.splitlines() if line.startswith("last_reviewed:"))
    problems = problems_after(knowledge_copy, rel, old, "last_reviewed: next tuesday")
    line = line_of(knowledge_copy, rel, "last_reviewed:")
    assert any(p.startswith(f"{rel}:{line}:") for p in problems), problems


def test_a_message_with_an_unknown_placeholder_is_refused(knowledge_copy: Path) -> None:
    problems = problems_after(knowledge_copy, "messages.yaml", "{decision_id}", "{decision}")
    assert any("unknown placeholder {decision}" in p for p in problems), problems


def test_a_missing_file_is_named(knowledge_copy: Path) -> None:
    (knowledge_copy / "flows" / "breach.yaml").unlink()
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert "flows/breach.yaml" in str(caught.value)


def test_all_problems_are_reported_together_and_nothing_half_loads(knowledge_copy: Path) -> None:
    (knowledge_copy / "outcomes.yaml").write_text("- id: share\n  title: Share\n")
    (knowledge_copy / "flows" / "routine.yaml").write_text("topic: routine\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    files = {p.file for p in caught.value.problems}
    assert {"outcomes.yaml", "flows/routine.yaml"} <= files


def test_the_version_changes_when_any_file_changes(knowledge_copy: Path) -> None:
    before = load_knowledge(knowledge_copy).version
    path = knowledge_copy / "snippets" / "clear-desk.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    assert load_knowledge(knowledge_copy).version != before


def test_warnings_list_overdue_snippets_and_missing_numbers(knowledge: Knowledge) -> None:
    in_two_years = dt.date.today() + dt.timedelta(days=2 * 366)
    warnings = knowledge.warnings(in_two_years)
    assert any("clear-desk.md: last reviewed" in w for w in warnings)
    assert not any("snippets/" in w for w in knowledge.warnings(dt.date(2026, 11, 24)))


def test_examples_under_a_topic_that_does_not_exist_name_the_line(knowledge_copy: Path) -> None:
    rel = "examples.yaml"
    problems = problems_after(knowledge_copy, rel, "\npolice:\n", "\npolise:\n")
    line = line_of(knowledge_copy, rel, "polise:")
    assert any(p.startswith(f"{rel}:{line}: polise") for p in problems), problems


def test_a_topic_without_examples_is_refused(knowledge_copy: Path) -> None:
    rel = "examples.yaml"
    text = (knowledge_copy / rel).read_text()
    start = text.index("\nurgent:\n")
    end = text.index("\nunknown:\n")
    (knowledge_copy / rel).write_text(text[:start] + text[end:])
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert any("none for: urgent" in str(p) for p in caught.value.problems)
