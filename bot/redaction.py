"""Removes what identifies a person from a message before anything stores it.

Structured identifiers are found by pattern, most specific first, so that a phone number is not
read as a reference, nor a reference as a date. Names are found by cues, in order of trust: a
title ("DS Patel"), a relation or role word ("mum Sarah", "a boy called Kai"), the lists of first
names and surnames in ``redaction_names.txt`` (in any case, except a name that is also an
everyday word, which counts only when capitalised), and a capitalised word that neither starts a
sentence nor is a known word, place, organisation or acronym (``redaction_words.txt``). A name
then grows over the surname-like words beside it ("Tyler Brown-Smith", "J. Smith"). We would
rather lose a rare ordinary word than keep a name. Ages are kept as bands, not removed: whether a
child is 4 or 15 changes the advice. Placeholders already in the text are left as they are, so
redacting twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files

PLACEHOLDERS = {
    "name": "[NAME]", "dob": "[DOB]", "date": "[DATE]", "address": "[ADDRESS]",
    "postcode": "[POSTCODE]", "phone": "[PHONE]", "email": "[EMAIL]", "nhs": "[NHS NUMBER]",
    "ni": "[NI NUMBER]", "upn": "[UPN]", "ref": "[REF]",
}  # fmt: skip
# Bands that match how children's services talk about age: babies, early years, primary,
# pre-teens, early and older teens (16-17 is when leaving-care duties start), care leavers
# (support runs to 25) and adults. (upper bound, label), first match wins.
AGE_BANDS = ((1, "UNDER 1"), (5, "1-4"), (10, "5-9"), (13, "10-12"), (16, "13-15"),
             (18, "16-17"), (25, "18-24"), (121, "25+"))  # fmt: skip


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    placeholder: str


@dataclass(frozen=True)
class Redacted:
    """``text`` with identifiers replaced; ``found`` names the kinds removed ("name", "dob",
    "age", ...); ``spans`` locate them in the NFKC-normalised input, in order."""

    text: str
    found: frozenset[str]
    spans: tuple[Span, ...]


def _key(word: str) -> str:
    """How a word is looked up: lower case, accents and apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'’`")


def _sections(name: str) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    section = ""
    for line in (files("bot") / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif line and not line.startswith("#"):
            sections.setdefault(section, set()).update(_key(w) for w in line.split())
    return sections


_WORDS = _sections("redaction_words.txt")
_NAMES = _sections("redaction_names.txt")
CORE = _sections("common_words.txt")[""]  # everyday English: "will", "mark" are not names here
COMMON = CORE | _WORDS.pop("everyday")
NOT_NAMES = set().union(*_WORDS.values())  # places, organisations, months, acronyms, roles
FIRST, SURNAMES = _NAMES["first"], _NAMES["surnames"]
LISTED = FIRST | SURNAMES
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "cllr", "councillor", "sgt", "pc", "dc",
          "sergeant", "pcso", "ds", "di", "dci", "dsi", "insp", "inspector", "det", "detective",
          "con", "constable", "officer", "nurse", "judge", "hhj", "rev", "sir", "dame", "mp"}  # fmt: skip
CUES = {"mum", "mom", "mother", "dad", "father", "nan", "nana", "nanna", "nanny", "gran", "granny",
        "grandma", "grandmother", "grandad", "granddad", "grandpa", "grandfather", "aunt", "auntie",
        "aunty", "uncle", "brother", "sister", "sibling", "son", "daughter", "stepdad", "stepmum",
        "partner", "boyfriend", "girlfriend", "husband", "wife", "ex", "cousin", "niece", "nephew",
        "carer", "child", "baby", "boy", "girl", "lad", "kid", "yp", "pupil", "student", "client",
        "worker", "sw", "teacher", "headteacher", "dsl", "manager", "colleague", "midwife", "friend",
        "guardian", "solicitor", "neighbour", "landlord", "grandson", "granddaughter", "twin",
        "called", "named", "name", "aka", "initials", "youngest", "eldest"}  # fmt: skip
NAMING = {"called", "named", "name", "aka"}  # what follows these is a name unless it is a word
PERSONS = CUES | {"he", "she", "they", "who", "i", "you", "children", "kids", "twins", "siblings"}
ORG_ENDS = {"school", "academy", "primary", "college", "high", "hospital", "surgery", "practice",
            "centre", "center", "clinic", "nursery", "university", "church", "mosque", "trust",
            "council", "service", "services", "team", "hub", "unit", "foundation", "police",
            "station", "lodge", "times", "news", "post", "estate", "association", "partnership",
            "group", "court", "law", "act", "park"}  # fmt: skip
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "bin", "binti",
             "ibn", "al", "el", "abu", "ul"}  # fmt: skip

_I = re.IGNORECASE
_EXISTING = re.compile(r"\[(?:NAME|DOB|DATE|ADDRESS|POSTCODE|PHONE|EMAIL|NHS NUMBER|NI NUMBER"
                       r"|UPN|REF|AGE [A-Z0-9+ -]+)\]")  # fmt: skip
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")  # fmt: skip
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DOB_CUE = r"(?:\bdob|\bd\.o\.b\b\.?|\bdate of birth|\bborn|\bbirthday)"
_STREET = (r"road|rd|street|st|avenue|ave|lane|ln|close|way|drive|dr|court|ct|gardens|gdns|"
           r"crescent|cres|place|pl|grove|terrace|tce|hill|park|parade|square|sq|walk|mews|row|"
           r"rise|view|green|vale|gate|broadway|estate|path|wharf|villas|cottages|approach")  # fmt: skip
_STRONG = {"road", "rd", "street", "avenue", "ave", "lane", "crescent", "gardens", "grove",
           "terrace", "drive", "close", "mews"}  # fmt: skip
_AREAS = set("""ab al b ba bb bd bh bl bn br bs bt ca cb cf ch cm co cr ct cv cw da dd de dg dh dl
dn dt dy e ec eh en ex fk fy g gl gu ha hd hg hp hr hs hu hx ig ip iv ka kt kw ky l la ld le ll ln
ls lu m me mk ml n ne ng nn np nr nw ol ox pa pe ph pl po pr rg rh rm s sa se sg sk sl sm sn so sp
sr ss st sw sy ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo ze""".split())
_NEAR = {"sw", "se", "nw", "ec", "wc", "cr", "sm", "kt", "tw", "br", "da", "rm", "ig", "en", "ha",
         "ub", "wd"}  # London and around: typed in lower case often enough to trust  # fmt: skip
_STOP = {"the", "a", "an", "my", "his", "her", "their", "our", "your", "very", "and", "or", "to",
         "in", "on", "at", "of", "for", "from", "by", "with", "down", "up", "off", "near", "mins",
         "minutes", "hours", "days", "weeks", "months", "years", "times", "kids", "children"}  # fmt: skip

# (kind, pattern): tried in this order; a match may not overlap an earlier one. A group named
# "v" is the part removed ("case 774512" keeps "case").
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(k, re.compile(p, _I)) for k, p in [
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("upn", r"(?<!\w)[a-z]\d{11}[a-z\d](?!\w)"),
    ("ni", r"(?<!\w)(?!(?:is|on|in|at|to|of|or|an|as|by|it|no|so|up|we|he|me|my|us|be|do|go|if)\b)"
           r"[a-z]{2} ?\d\d ?\d\d ?\d\d ?[a-d](?!\w)"),
    ("phone", r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(0\d{2,4}\)\s?|0)\d+(?:[ -]\d+)*"),
    ("nhs", r"(?<![\w/])[1-9]\d\d([ -]?)\d{3}\1\d{4}(?![\w/])"),
    ("dob", rf"{_DOB_CUE}\s*[:\-]?\s*(?:in\s+)?(?P<v>\d{{8}}|\d{{6}}|\d\d? \d\d? (?:\d{{4}}|\d\d)"
            rf"|{_YEAR})(?![\w/.])"),
    ("date", r"(?<![\w/.-])\d\d?([/.-])\d\d?\1(?:\d{4}|\d\d)(?![\w/-]|\.\d)"
             rf"|(?<![\w/.-]){_YEAR}-[01]?\d-[0-3]?\d(?![\w/-])"
             rf"|\b{_DAY}(?:\s+of)?[\s-]+{_MONTH}(?:,?[\s-]+(?:{_YEAR}|'?\d\d))?(?![\w/])"
             rf"|\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b|\b{_MONTH}\s+{_YEAR}\b"
             rf"|(?<![\w/.-])(?:0?[1-9]|1[0-2])/{_YEAR}(?![\w/-])"
             r"|\b(?:on|to|from|until|till|by|before|after|since|dated)\s+(?:the\s+)?"
             r"(?P<v>\d\d?[/.]\d\d?)(?![\w/]|\.\d)"),
    ("postcode", r"(?<!\w)(?P<a>[a-z]{1,2})\d[a-z\d]?\s?\d[a-z]{2}(?!\w)"),
    ("address", r"\b(?:flat|apartment|apt)\s*\d+[a-z]?\b(?:,?\s+(?:[A-Z][\w'’]*\s+){1,2}"
                r"(?:House|Court|Lodge|Mansions|Tower|Heights|Point|Building))?"
                r"|(?<![\w/.-])\d{1,4}[a-z]?(?:\s?-\s?\d{1,4}[a-z]?)?,?\s+(?P<w>(?:[a-z][\w'’-]*\s+)"
                rf"{{0,3}}?)(?P<s>{_STREET})\b\.?"
                rf"|\b(?P<x>(?:[A-Z][a-z'’]+\s+){{1,2}}|[a-z'’]+\s+)(?P<y>{'|'.join(_STRONG)})\b"),
    ("ref", r"\b(?:case|ref(?:erence)?|crime|cad|cris|mosaic|lcs|eclipse|liquidlogic|id|pid|"
            r"incident|ticket|collar|warrant|sar|foi|urn|pc|dc|ds|pcso|sgt)(?:\s+(?:no|number|"
            r"num|ref|id|reference))?\.?\s*(?:is\s+|[:#]\s*)?"
            r"(?P<v>[a-z]{0,5}[/-]?\d[\w/-]*\d|\d{2,})(?![\w/])"
            r"|(?<![\w/])(?:[a-z]{2,5}[/-]\d{2,}(?:[/-][a-z\d]+)*|\d{1,4}/\d{4,}(?:/\d{2,4})?"
            r"|\d{5,}/\d{2,4}|[a-z]{1,4}\d{5,}|\d{6,})(?![\w/])"),
    ("postcode", r"(?<!\w)(?P<a>[a-z]{1,2})\d[a-z\d]?(?!\w|')"),
]]  # fmt: skip
_NEW_LINE = re.compile(r"[.!?\n\r]")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_AGE_UNIT = r"(?:\s*-?\s*(?P<u>years?|yrs?|months?|mths?|weeks?|wks?|days?)(?:\s*-\s*|\s+)old\b)"
_AGES = [re.compile(p, _I) for p in (
    rf"(?<![\w.])(?P<n>\d{{1,3}}){_AGE_UNIT}",
    r"(?<![\w.])(?P<n>\d{1,2})\s*(?:yo|y/o|y\.o\.?)(?![\w/])",
)]  # fmt: skip
_AGE_CUE = re.compile(r"\b(?P<c>aged?|ages|now|is|are|was|turned|turns|says?|s)\b\s*:?\s+"
                      r"(?P<list>\d\d?(?:\s*(?:,|and|&|or)\s*\d\d?)*)(?P<u>\s*(?:years?|yrs?|"
                      r"months?|mths?))?(?=\s*(?:$|[,.;:)!?-]|and\b|or\b|now\b|but\b|in\b))", _I)  # fmt: skip
_AFTER_NAME = re.compile(r"\s*(?:\(|,\s*)(?P<n>\d\d?)(?P<u>\s*(?:months?|mths?|weeks?|yrs?|"
                         r"years?))?(?=\s*(?:$|[,.;)]))", _I)  # fmt: skip


def _age_span(start: int, end: int, number: str, unit: str | None) -> Span | None:
    years = int(number)
    if unit and unit.strip().lower()[0] in "mwd":
        years = years // 12 if unit.strip().lower()[0] == "m" else 0
    band = next((label for top, label in AGE_BANDS if years < top), None)
    return Span(start, end, "age", f"[AGE {band}]") if band else None


def _valid(kind: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where the match should be cut, or None when it only looks like this kind."""
    text, start, end = m.group(), m.start(), m.end()
    if kind == "phone":  # the longest run of digit groups that is a UK number
        digits, national = re.sub(r"\D", "", text), text.startswith("+")
        for group in reversed(list(re.finditer(r"\d+", text))):
            n = len(digits) - (2 if national else 0)
            if (national and 9 <= n <= 10) or (not national and 10 <= n <= 11):
                return start, end
            digits, end = digits[: -len(group.group())], start + len(text[: group.start()].rstrip(" -"))
        return None
    if kind == "postcode":
        area, outward_only = m.group("a"), not re.search(r"\s?\d[a-z]{2}$", text, _I)
        if area.lower() not in _AREAS:
            return None
        if outward_only and not (area.isupper() and (len(area) == 2 or area in "ENW")) and not (
            area.lower() in _NEAR
        ):
            return None  # "s47", "ks2", "b12" are not postcodes; "SW19", "sw19", "E1" are
    if kind == "date" and m.group("v") is None and re.match(r"\d\d?[/.-]\d\d?[/.-]", text):
        a, b = (int(x) for x in re.split(r"[/.-]", text)[:2])
        if not (a <= 31 and b <= 12 or a <= 12 and b <= 31):
            return None
    if kind == "date" and re.match(r"may\s+\d", text) and not re.search(r"\d(st|nd|rd|th)|\d{4}", text):
        return None  # "may 4 of them" is not the 4th of May
    if kind == "address" and m.group("s"):
        words = m.group("w").split()
        if any(_key(w) in _STOP for w in words) or (not words and m.group("s").lower() not in _STRONG):
            return None
        if m.group("s").islower() and m.group("s").lower() not in _STRONG:
            return None
    if kind == "address" and m.group("y"):
        first = m.group("x").split()[0]
        if (_key(first) in CORE | _STOP) if first.islower() else _key(first) in {"the", "a"}:
            return None
        if re.match(r"\s+(?:hospital|school|station|surgery|clinic|centre)\b", m.string[end:], _I):
            return None
    if kind == "ref" and len(re.sub(r"\D", "", text)) < 3:
        return None
    return (m.start("v"), m.end("v")) if "v" in m.re.groupindex and m.group("v") else (start, end)
