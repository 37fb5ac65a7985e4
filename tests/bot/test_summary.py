"""The decision summary and the note staff paste into the case record."""

from __future__ import annotations

import re

from bot.summary import new_decision_id
from tests.conftest import Chat


async def test_the_summary_has_every_part_the_contract_names(chat: Chat) -> None:
    await chat.say("DC Khan wants records for a burglary investigation")
    for choice in ["no", "investigation", "yes", "yes", "yes"]:
        await chat.press(choice)
    reply = await chat.press("some")
    summary = reply.summary
    assert summary is not None
    assert summary.outcome == reply.outcome == "share-minimum"
    assert summary.title and summary.headline and summary.meaning
    assert summary.do and summary.share and summary.send and summary.record
    assert "Sch 2 Pt 1 para 2" in summary.basis
    assert {r.id for r in summary.rules} >= {"crime-exemption", "golden-rule-7"}
    assert all(r.source for r in summary.rules)
    assert summary.links and all(link.url.startswith("http") for link in summary.links)
    assert summary.decision_id == reply.decision_id
    for heading in ("What to do", "What to share", "How to send it", "What to record"):
        assert f"**{heading}**" in reply.text


async def test_the_case_note_fills_the_ico_request_form_fields(chat: Chat) -> None:
    await chat.say("DC Khan wants records for a burglary investigation")
    for choice in ["no", "investigation", "yes", "yes", "yes"]:
        await chat.press(choice)
    reply = await chat.press("some")
    assert reply.summary is not None
    note = reply.summary.case_note
    fields = dict(
        line.split(": ", 1) for line in note.splitlines() if ": " in line and not line[0] == "-"
    )
    assert fields["Decision reference"] == reply.decision_id
    assert fields["Requester"] == "Police"
    assert fields["Purpose"] == "A criminal investigation"  # filled from the answer
    assert fields["Lawful basis"] == reply.summary.basis
    assert fields["What is shared"].startswith("Share: only the extracts")
    assert fields["Decision"].startswith("Share the minimum necessary.")
    assert "- Officer's identity verified: Yes" in note
    assert "- Everything asked for is necessary: Only some of it" in note
    assert fields["Date"] == "2026-11-24 10:30 UTC"
    assert "DC Khan" not in note  # what staff typed never reaches the record


async def test_a_refusal_is_recorded_with_its_reasons_too(chat: Chat) -> None:
    await chat.say("police want the whole file on a teenager")
    for choice in ["no", "investigation", "yes", "yes", "no"]:
        reply = await chat.press(choice)
    assert reply.outcome == "do-not-share"
    assert reply.summary is not None
    assert "What is shared: Nothing" in reply.summary.case_note
    assert "golden-rule-7" in {r.id for r in reply.summary.rules}


def test_decision_ids_are_readable_and_unique() -> None:
    ids = {new_decision_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"D-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", i) for i in ids)
