"""Redaction quality on labelled staff messages, and speed.

tests/redaction/labelled.yaml was written with the rules, and is split in two by position: the
"dev" half (even rows) may be looked at when improving the rules and word lists; the "test" half
(odd rows) never is. tests/redaction/heldout.yaml and heldout2.yaml were written separately, by
people who saw neither the rules nor that set; both have since been looked at while the rules
were reworked, so they are tuned on now. tests/redaction/heldout3.yaml was written later, again
independently, and is split like labelled.yaml: its "dev" half may be looked at, its "test" half
(odd rows) never is. tests/redaction/heldout4.yaml was written next, again independently, as an
ordinary week's messages rather than a stress test, and is never looked at either.
tests/redaction/tuning5.yaml (addresses, references, dates), tuning6.yaml (names and ages in
hard places) and tuning7.yaml (an ordinary month) were written independently again, to be tuned
on; heldout5.yaml (a month's messages) and heldout6.yaml (a few weeks') were written beside them
by others, and are never looked at. So were tuning8.yaml (addresses and ages) beside heldout7.yaml,
and tuning9.yaml (ages and names) and tuning10.yaml (addresses, references, dates) beside
heldout8.yaml (a fortnight) and heldout9.yaml (ages, addresses and references in hard places).
Then tuning11.yaml (a month at the front door) and tuning12.yaml (identifiers as pasted from
systems) beside heldout10.yaml (a month in other teams) and heldout11.yaml (identifiers pasted
and typed); and tuning13.yaml (names and ages, hard ones) and tuning14.yaml (where people live)
beside heldout12.yaml (a month across all teams). heldout13.yaml (a month in all four UK
nations) and heldout14.yaml (hurried chat typed on phones) were written after that round's rules
were final and scored once. The next round tuned on tuning15.yaml (dates and numbers as staff
type them), tuning16.yaml (addresses typed in a hurry) and tuning17.yaml (reference numbers from
every system), beside heldout15.yaml (a month across children's services) and heldout16.yaml
(forwarded texts, emails and case notes). The last tuned on tuning18.yaml (where people live
and stay) and tuning19.yaml (dates and references from letters, forms and screens), beside
heldout17.yaml (a month across children's services) and heldout18.yaml (what partners said,
passed on); heldout19.yaml (a fortnight at the front door, typed fast in lower case) and
heldout20.yaml (pasted forms, screens and letters) were written once those rules were done, and
tuning20.yaml (names typed in a hurry) after that. The next round tuned on tuning21.yaml
(names typed in a hurry, in lower case) and tuning22.yaml (where people live and stay, typed
every way), beside heldout21.yaml (a fortnight across children's services) and heldout22.yaml
(hurried chat and pasted snippets). The one after tuned on tuning23.yaml (a fortnight at the front
door, typed fast in lower case), tuning24.yaml (structured identifiers in the shapes that slip
through), tuning25.yaml (names and ages typed on a phone) and tuning26.yaml (dictated and
autocorrected text), beside heldout23.yaml (a week beyond the front door) and heldout24.yaml
(typed on a phone between visits). The next tuned on tuning27.yaml (where people live
and stay, as staff describe it), tuning28.yaml (dates, phone numbers and references as staff type,
paste and dictate them) and tuning29.yaml (an ordinary month), beside heldout25.yaml (a month
across children's services) and heldout26.yaml (identifiers typed and pasted in every shape). The
round after tuned on tuning30.yaml (names and ages typed fast in lower case), tuning31.yaml
(postcodes, emails, NHS, NI and pupil numbers, dates of birth and references in the shapes that
slip through) and tuning32.yaml (addresses in every shape: typed, pasted, described and abroad),
beside heldout27.yaml (a fortnight across children's services) and heldout28.yaml (what partners
asked for, and what staff pasted to check). The next tuned on tuning33.yaml (names and ages in
the words around them: quoted, nicknamed, everyday-word names) and tuning34.yaml (emails, phone
numbers, NHS numbers, dates and references dictated, split and pasted), beside heldout29.yaml (a
month across children's services) and heldout30.yaml (typed fast on a phone between visits).
The latest tuned on tuning35.yaml (where people live, typed fast and described), tuning36.yaml
(names typed fast in lower case on a phone), tuning37.yaml (where people live and stay, in
ordinary messages of every kind) and tuning38.yaml (names and ages at the front door, typed fast),
beside heldout31.yaml (a month across children's services) and heldout32.yaml (staff in a hurry:
typed on a phone, pasted and forwarded).
The sets never looked at give the honest figures; with more than one of them scored, a last
line totals them.
tests/redaction/probes.yaml holds messages written to probe the rules (every format, names from
many communities) and is tuned on freely.

A labelled span counts as removed when none of its letters or digits survive, whatever
placeholder took it, except that an age counts as banded when its number is, whatever words
beside it stay (the aim is "aged [AGE 13-15]", and a set may label "aged 15" or "aged nine");
"right kind" says how often that placeholder was the labelled one. A title at the start of a
labelled name may stay ("DS [NAME] wants the file"): the assistant keeps it on purpose, as the
role carries the question, and the later sets label "DS Patel" whole where the earlier ones
label "Patel". Likewise the words before a date may stay ("on the [DATE]", "Fri [DATE]"), where
a set labels "on Fri 14th" whole, an article before an address ("the [ADDRESS]" for "the
flat above the chippy on King St"), and the words naming a reference's system or kind ("CAD
[REF]", "Ofsted URN [REF]"). So may a family word before a name ("Aunty [NAME]", as the
rules keep it, the relation being the question), a generation after one ("[NAME] Snr"), and a
time of day labelled with a date ("[DATE] at 10:12": without its date a time says nothing).
Precision is over words: of the words redacted, how many were part of a labelled span.

    python bench/redaction.py            # figures per half, and time per message
    python bench/redaction.py --errors   # also list the misses and wrong redactions of the sets
                                         # that may be tuned on (never the unseen sets)
    python bench/redaction.py --tuned --errors   # only the sets tuned on: while tuning
    python bench/redaction.py --only "held-out 8"   # only the sets whose label has this
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redaction import TITLES, redact  # noqa: E402

SETS = ROOT / "tests" / "redaction"
# (label, file, rows, unseen): rows "even" or "odd" take half a file. An unseen set's misses are
# never listed: it has never been read, so its figures are the honest ones.
SET_TABLE: tuple[tuple[str, str, str, bool], ...] = (
    ("dev", "labelled.yaml", "even", False),
    ("probes", "probes.yaml", "all", False),
    ("test", "labelled.yaml", "odd", False),
    ("held-out", "heldout.yaml", "all", False),
    ("held-out 2", "heldout2.yaml", "all", False),
    ("held-out 3 dev", "heldout3.yaml", "even", False),
    ("held-out 3 test (unseen)", "heldout3.yaml", "odd", True),
    ("held-out 4 (unseen)", "heldout4.yaml", "all", True),
    ("tuning 5", "tuning5.yaml", "all", False),
    ("tuning 6", "tuning6.yaml", "all", False),
    ("tuning 7", "tuning7.yaml", "all", False),
    ("tuning 8", "tuning8.yaml", "all", False),
    ("tuning 9", "tuning9.yaml", "all", False),
    ("tuning 10", "tuning10.yaml", "all", False),
    ("tuning 11", "tuning11.yaml", "all", False),
    ("tuning 12", "tuning12.yaml", "all", False),
    ("tuning 13", "tuning13.yaml", "all", False),
    ("tuning 14", "tuning14.yaml", "all", False),
    ("tuning 15", "tuning15.yaml", "all", False),
    ("tuning 16", "tuning16.yaml", "all", False),
    ("tuning 17", "tuning17.yaml", "all", False),
    ("tuning 18", "tuning18.yaml", "all", False),
    ("tuning 19", "tuning19.yaml", "all", False),
    ("tuning 20", "tuning20.yaml", "all", False),
    ("tuning 21", "tuning21.yaml", "all", False),
    ("tuning 22", "tuning22.yaml", "all", False),
    ("tuning 23", "tuning23.yaml", "all", False),
    ("tuning 24", "tuning24.yaml", "all", False),
    ("tuning 25", "tuning25.yaml", "all", False),
    ("tuning 26", "tuning26.yaml", "all", False),
    ("tuning 27", "tuning27.yaml", "all", False),
    ("tuning 28", "tuning28.yaml", "all", False),
    ("tuning 29", "tuning29.yaml", "all", False),
    ("tuning 30", "tuning30.yaml", "all", False),
    ("tuning 31", "tuning31.yaml", "all", False),
    ("tuning 32", "tuning32.yaml", "all", False),
    ("tuning 33", "tuning33.yaml", "all", False),
    ("tuning 34", "tuning34.yaml", "all", False),
    ("tuning 35", "tuning35.yaml", "all", False),
    ("tuning 36", "tuning36.yaml", "all", False),
    ("tuning 37", "tuning37.yaml", "all", False),
    ("tuning 38", "tuning38.yaml", "all", False),
    ("held-out 5 (unseen)", "heldout5.yaml", "all", True),
    ("held-out 6 (unseen)", "heldout6.yaml", "all", True),
    ("held-out 7 (unseen)", "heldout7.yaml", "all", True),
    ("held-out 8 (unseen)", "heldout8.yaml", "all", True),
    ("held-out 9 (unseen)", "heldout9.yaml", "all", True),
    ("held-out 10 (unseen)", "heldout10.yaml", "all", True),
    ("held-out 11 (unseen)", "heldout11.yaml", "all", True),
    ("held-out 12 (unseen)", "heldout12.yaml", "all", True),
    ("held-out 13 (unseen)", "heldout13.yaml", "all", True),
    ("held-out 14 (unseen)", "heldout14.yaml", "all", True),
    ("held-out 15 (unseen)", "heldout15.yaml", "all", True),
    ("held-out 16 (unseen)", "heldout16.yaml", "all", True),
    ("held-out 17 (unseen)", "heldout17.yaml", "all", True),
    ("held-out 18 (unseen)", "heldout18.yaml", "all", True),
    ("held-out 19 (unseen)", "heldout19.yaml", "all", True),
    ("held-out 20 (unseen)", "heldout20.yaml", "all", True),
    ("held-out 21 (unseen)", "heldout21.yaml", "all", True),
    ("held-out 22 (unseen)", "heldout22.yaml", "all", True),
    ("held-out 23 (unseen)", "heldout23.yaml", "all", True),
    ("held-out 24 (unseen)", "heldout24.yaml", "all", True),
    ("held-out 25 (unseen)", "heldout25.yaml", "all", True),
    ("held-out 26 (unseen)", "heldout26.yaml", "all", True),
    ("held-out 27 (unseen)", "heldout27.yaml", "all", True),
    ("held-out 28 (unseen)", "heldout28.yaml", "all", True),
    ("held-out 29 (unseen)", "heldout29.yaml", "all", True),
    ("held-out 30 (unseen)", "heldout30.yaml", "all", True),
    ("held-out 31 (unseen)", "heldout31.yaml", "all", True),
    ("held-out 32 (unseen)", "heldout32.yaml", "all", True),
)
TUNED = tuple(label for label, _, _, unseen in SET_TABLE if not unseen)
# A family word before a name says the relation, which the rules keep as they keep a title
# ("Aunty [NAME]" for a set's "Aunty Shaz"); a generation after one says nothing of who ("[NAME]
# Snr")
KIN_LEADS = {"aunty", "auntie", "aunt", "uncle", "nan", "nana", "nanna", "nanny", "gran", "granny"}
KIN_LEADS |= {"grandma", "grandad", "granddad", "grandpa", "cousin", "our"}
_TITLE_WORDS = "|".join(sorted(TITLES | KIN_LEADS, key=len, reverse=True))
_TITLES = re.compile(rf"(?:(?:{_TITLE_WORDS})\b\.?\s*(?:(?:&|and)\s+)?)+", re.IGNORECASE)
_GENERATION = re.compile(r"\s+(?:jnr|jr|snr|sr)\.?$", re.IGNORECASE)
# Words a set may label with a date that add nothing to it: "on the 14th", "w/c 12th aug", "Fri 25
# Oct" (the day of the week follows from the date; the rules keep it, as most sets label it so)
_DATE_LEAD = re.compile(
    r"(?:(?:on|from|since|by|until|till|for|w/c|wc|dated)\s+)?(?:(?:{})\.?,?\s+)?(?:the\s+)?".format(
        "mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:rs?(?:day)?)?|fri(?:day)?|sat(?:urday)?"
        "|sun(?:day)?"
    ),
    re.IGNORECASE,
)
# An article a set may label with an address: "the [ADDRESS]" for "the flat above the chippy on
# King Street" says nothing the address does not
_ADDRESS_LEAD = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
# The words naming a reference's system or kind that may stay ("CAD [REF]", "Ofsted URN [REF]"):
# they say which number it is, not whose, as a title does before a name
_REF_LEAD = re.compile(
    r"(?:(?:cad|urn|crime|case|log|incident|occurrence|serial|file|claim|court|ref(?:erence)?|no"
    r"|num(?:ber)?|id)\b\.?[\s:#-]*)+",
    re.IGNORECASE,
)
# A time of day a set labels with a date may stay ("[DATE] at 10:12" for "14/03/2024 at 10:12",
# "23:14 on [DATE]"): without its date it says nothing of whom
_CLOCK = re.compile(
    r"(?:\b(?:at|on)\s+|@\s*)?(?<![\w/.:])(?:(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\b)?"
    r"|\.[0-5]\d\s*[ap]\.?m\b|\s*[ap]m\b)(?:\s*[+-]\d{4}\b)?|(?<=@)\s*\d{4}\b)(?:\s+on\b)?",
    re.IGNORECASE,
)
# The word before an age in words that may stay, as it does before an age in figures
_AGE_LEAD = re.compile(r"(?:aged?|ages)\s+", re.IGNORECASE)
STRUCTURED = ("dob", "date", "address", "postcode", "phone", "email", "nhs", "ni", "upn", "ref")


@dataclass
class Score:
    total: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    right_kind: int = 0
    redacted_words: int = 0
    redacted_identifying: int = 0
    other_words: int = 0
    other_kept: int = 0
    keep_lost: list[tuple[str, str]] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    wrong: Counter[str] = field(default_factory=Counter)

    def recall(self, kinds: tuple[str, ...] | None = None) -> float:
        kinds = kinds or tuple(self.total)
        total = sum(self.total[k] for k in kinds)
        return sum(self.removed[k] for k in kinds) / total if total else 1.0

    def add(self, other: Score) -> None:
        """Count another set's figures in with these."""
        self.total += other.total
        self.removed += other.removed
        self.redacted_words += other.redacted_words
        self.redacted_identifying += other.redacted_identifying

    @property
    def precision(self) -> float:
        return self.redacted_identifying / self.redacted_words if self.redacted_words else 1.0

    @property
    def kept(self) -> float:
        return self.other_kept / self.other_words if self.other_words else 1.0


def load_halves(only: str = "") -> dict[str, list[dict[str, object]]]:
    """Each set's rows by label; ``only`` keeps the labels that contain it."""
    halves = {}
    for label, file, part, _ in SET_TABLE:
        if only not in label:
            continue
        rows = yaml.safe_load((SETS / file).read_text(encoding="utf-8"))
        halves[label] = {"all": rows, "even": rows[0::2], "odd": rows[1::2]}[part]
    return halves


def locate(text: str, spans: list[dict[str, str]]) -> list[tuple[int, int, str]]:
    """Each labelled span's place, each found after the one before it where it can be."""
    out, at = [], 0
    for span in spans:
        needle = unicodedata.normalize("NFKC", str(span["text"]))
        pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
        m = pattern.search(text, at) or pattern.search(text)  # a set may list spans out of order
        loose = re.compile(re.escape(needle))  # a name inside a word: "jaxons mum"
        m = m or loose.search(text, at) or loose.search(text)
        if m is None:
            raise ValueError(f"{needle!r} is not in {text!r}")
        out.append((m.start(), m.end(), str(span["kind"])))
        at = m.end()
    return out


def _title_length(name: str) -> int:
    """How much of a labelled name is titles ("Mr & Mrs Sharma", "DC Sarah Whitfield")."""
    m = _TITLES.match(name)
    return m.end() if m and m.end() < len(name) else 0


def score(rows: list[dict[str, object]]) -> Score:
    result = Score()
    for row in rows:
        text = unicodedata.normalize("NFKC", str(row["text"]))
        gold = locate(text, row["pii"])  # type: ignore[arg-type]
        found = redact(text).spans
        covered = {i for s in found for i in range(s.start, s.end)}
        labelled = {i for start, end, _ in gold for i in range(start, end)}
        for start, end, kind in gold:
            result.total[kind] += 1
            digits = [i for i in range(start, end) if text[i].isdigit()]
            must = digits if kind == "age" and digits else range(start, end)  # "aged [AGE 13-15]"
            if kind == "age" and not digits:  # "aged [AGE 5-9]" for "aged nine": the cue may stay
                lead = _AGE_LEAD.match(text, start, end)
                must = range(lead.end() if lead and lead.end() < end else start, end)
            if kind == "name":  # "DS [NAME]": the title stays on purpose, the role is the question
                generation = _GENERATION.search(text, start, end)
                must = range(
                    start + _title_length(text[start:end]),
                    generation.start() if generation else end,
                )
            if kind in ("date", "dob"):  # "on the [DATE]": the words before a date say nothing
                lead = _DATE_LEAD.match(text, start, end)
                must = range(lead.end() if lead and lead.end() < end else start, end)
                times = {i for c in _CLOCK.finditer(text, start, end) for i in range(*c.span())}
                must = [i for i in must if i not in times] or must
            if kind == "address":  # "in the [ADDRESS]": an article says nothing either
                lead = _ADDRESS_LEAD.match(text, start, end)
                must = range(lead.end() if lead and lead.end() < end else start, end)
            if kind == "ref":  # "CAD [REF]": the system's name says which number, not whose
                lead = _REF_LEAD.match(text, start, end)
                must = range(lead.end() if lead and lead.end() < end else start, end)
            if all(i in covered for i in must if text[i].isalnum()):
                result.removed[kind] += 1
                kinds = {s.kind for s in found if s.start < end and start < s.end}
                result.right_kind += kind in kinds
            else:
                result.misses.append((kind, text[start:end], text))
        for word in re.finditer(r"\w+", text):
            hit = any(i in covered for i in range(word.start(), word.end()))
            identifying = any(i in labelled for i in range(word.start(), word.end()))
            result.redacted_words += hit
            result.redacted_identifying += hit and identifying
            if not identifying:
                result.other_words += 1
                result.other_kept += not hit
                if hit:
                    result.wrong[word.group()] += 1
        for keep in row.get("keep") or []:  # type: ignore[attr-defined]
            for m in re.finditer(rf"(?<!\w){re.escape(str(keep))}(?!\w)", text):
                inside = any(i in labelled for i in range(m.start(), m.end()))
                if not inside and any(i in covered for i in range(m.start(), m.end())):
                    result.keep_lost.append((str(keep), text))
    return result


def timing(texts: list[str], rounds: int = 20) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            redact(text)
    return (time.perf_counter() - start) / (rounds * len(texts))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list errors on the sets tuned on")
    parser.add_argument("--only", default="", help="score only the sets whose label has this")
    parser.add_argument("--tuned", action="store_true", help="score only the sets tuned on")
    args = parser.parse_args()
    halves = load_halves(args.only)
    if args.tuned:  # while tuning: the unseen sets' figures are read once, at the end
        halves = {label: rows for label, rows in halves.items() if label in TUNED}
    unseen = Score()
    for half, rows in halves.items():
        s = score(rows)
        if half not in TUNED:
            unseen.add(s)
        names, right_kind = s.recall(("name",)), s.right_kind / sum(s.removed.values())
        print(
            f"{half}: {len(rows)} messages, {sum(s.total.values())} identifiers: "
            f"names {names:.1%} of {s.total['name']}, structured {s.recall(STRUCTURED):.1%}, "
            f"ages {s.recall(('age',)):.1%}; right kind {right_kind:.1%}"
        )
        per_kind = ", ".join(
            f"{k} {s.removed[k]}/{s.total[k]}" for k in ("name", "age", *STRUCTURED) if s.total[k]
        )
        print(f"  removed per kind: {per_kind}")
        print(
            f"  precision {s.precision:.1%} of {s.redacted_words} redacted words; "
            f"{s.kept:.1%} of {s.other_words} other words kept; "
            f"{len(s.keep_lost)} must-keep words lost"
        )
        if args.errors and half in TUNED:
            for kind, missed, text in s.misses:
                print(f"  missed {kind:<8} {missed!r:<28} {text}")
            print(f"  wrongly redacted: {dict(s.wrong.most_common())}")
            for keep, text in s.keep_lost:
                print(f"  lost {keep!r:<14} {text}")
    if (n := sum(1 for half in halves if half not in TUNED)) > 1:
        u = unseen
        missed = ", ".join(
            f"{u.total[k] - u.removed[k]} of {u.total[k]} {k}"
            for k in STRUCTURED
            if u.total[k] - u.removed[k]
        )
        print(
            f"all {n} unseen sets: {sum(len(r) for h, r in halves.items() if h not in TUNED)} "
            f"messages; names {u.recall(('name',)):.1%} of {u.total['name']}, structured "
            f"{u.recall(STRUCTURED):.1%} of {sum(u.total[k] for k in STRUCTURED)} (missed: "
            f"{missed or 'none'}), ages {u.recall(('age',)):.1%} of {u.total['age']}, precision "
            f"{u.precision:.1%}"
        )
    texts = [str(row["text"]) for rows in halves.values() for row in rows]
    long = " ".join(texts)[:4000]
    print(
        f"time: {timing(texts) * 1e6:.0f} µs per message on average, "
        f"{timing([long], 5) * 1e3:.1f} ms for a 4,000-character message"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
