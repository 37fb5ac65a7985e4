"""Removes what identifies a person from a message before anything stores it.

Structured identifiers are found by pattern (``redaction_patterns.txt``), most specific first,
so that a phone number is not read as a reference, nor a reference as a date; a ten-digit number
is an NHS number when its check digit is right or "NHS" precedes it; online handles, IP
addresses and vehicle registrations count as references. Names are found by cues, in
order of trust: a title ("DS Patel"), a relation or role word ("mum Sarah", "a boy called Kai"),
a pointer or label ("re kai", "child: kai", "surname is ..."), an age after it ("kai, 14,"), the
lists of first names and surnames (``redaction_names.txt`` and the larger lists beside it,
``redaction_names_*.txt``; in any case, except a name that is also an everyday word, which
counts only when capitalised), and a capitalised word that is no known word, place,
organisation or acronym, mid-sentence or, at a sentence start, where a name would stand ("Tevrin
needs...", "Tevrin, can you..."); in lower case or at a sentence start, a dictionary word
(``redaction_english.txt``) is not taken for an unknown name ("Reporter wants"). A name then
grows over the surname-like words beside it ("Tyler Brown-Smith", "J. Smith", "Ola and Tayo
Adeyemi"), and a name found once is a name wherever the message repeats it. An address takes
the flat, room, building and street beside it ("Flat 2/1, 45 Allison Street") but not the town
after it. We would rather lose a rare ordinary word than keep a name. Ages are kept as bands,
not removed: whether a child is 4 or 15 changes the advice. Placeholders already in the text
are kept and read as what they stand for ("[ADDRESS], Whitby": a town after an address), so a
second pass changes a text only where the first left part of an identifier ("[NAME] Hillas")
or the rules have changed since. The word lists are the other
``redaction_*.txt`` files beside this module; UK place names that are also people's names are
left out of ``redaction_places_uk.txt`` on purpose.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

PLACEHOLDERS = {"name": "[NAME]", "dob": "[DOB]", "date": "[DATE]", "address": "[ADDRESS]"}
PLACEHOLDERS |= {"postcode": "[POSTCODE]", "phone": "[PHONE]", "email": "[EMAIL]"}
PLACEHOLDERS |= {"nhs": "[NHS NUMBER]", "ni": "[NI NUMBER]", "upn": "[UPN]", "ref": "[REF]"}
_KINDS = {placeholder: kind for kind, placeholder in PLACEHOLDERS.items()}
# Age bands as children's services think of them: babies, early years, primary, pre-teens, early
# and older teens (leaving-care duties start at 16), care leavers (support runs to 25) and adults.
# Each is (first age of the next band, label).
AGE_BANDS: tuple[tuple[int, str], ...] = ((1, "UNDER 1"), (5, "1-4"), (10, "5-9"), (13, "10-12"))
AGE_BANDS += ((16, "13-15"), (18, "16-17"), (25, "18-24"), (121, "25+"))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    placeholder: str


@dataclass(frozen=True)
class Redacted:
    """``text`` with identifiers replaced; ``found`` names the kinds removed ("name", "dob",
    "age", ...); ``spans`` locate them, in order, in the NFKC-normalised input."""

    text: str
    found: frozenset[str]
    spans: tuple[Span, ...]


_APOSTROPHES = str.maketrans("", "", "'`")


@lru_cache(maxsize=8192)
def _key(word: str) -> str:
    """How a word is looked up: lower case, accents and apostrophes dropped."""
    if word.isascii():  # most words, and every word of the lists: nothing to decompose
        return word.lower().translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'’`")


def _lines(name: str) -> dict[str, list[str]]:
    """A data file's sections: a line in brackets starts one, a line starting "#" is a comment."""
    sections: dict[str, list[str]] = {"": []}
    lines = sections[""]
    for line in (files("bot") / name).read_text(encoding="utf-8").splitlines():
        if (line := line.strip()).startswith("[") and line.endswith("]"):
            lines = sections.setdefault(line[1:-1], [])
        elif line and not line.startswith("#"):
            lines.append(line)
    return sections


def _words(name: str) -> dict[str, set[str]]:
    return {k: {_key(w) for line in v for w in line.split()} for k, v in _lines(name).items()}


_WORDS, _NAMES, _CUES = (_words(f"redaction_{n}.txt") for n in ("words", "names", "cues"))
_WORLD = _words("redaction_names_world.txt")  # generated lists, already free of English words
_CENSUS = _words("redaction_names_census.txt")  # likewise
_GIVEN = _words("redaction_names_given.txt")  # likewise
CORE = _words("common_words.txt")[""]  # everyday English: "will", "mark" are not names here
COMMON = CORE | _WORDS.pop("everyday")
NOT_NAMES = set().union(*_WORDS.values())  # places, organisations, months, roles, acronyms
UK_PLACES = _words("redaction_places_uk.txt")["uk places"]  # towns, districts, counties
NOT_NAMES |= UK_PLACES
FIRST = _NAMES["first"] | _WORLD["first"] | _CENSUS["first"] | _GIVEN["first"]
SURNAMES = _NAMES["surnames"] | _WORLD["surnames"]
# Surnames that are also everyday words ("white", "rich"): a surname only beside a first name
# where what follows says "person", so kept out of SURNAMES and LISTED
WORD_SURNAMES = _CENSUS["common surnames"] | _NAMES["word surnames"] | SURNAMES
LISTED = FIRST | SURNAMES
# Words of the dictionary that are no listed name: known words, though not everyday ones
# (already lower case with accents dropped, so read as it is: it is long)
ENGLISH = {w for line in _lines("redaction_english.txt")[""] for w in line.split()} - LISTED
TITLES, CUES, NAMING = _CUES["titles"], _CUES["relations and roles"], _CUES["naming"]
HOLDERS = (CUES - NAMING) | _CUES["age holders"]  # words a bare age may follow: "leaver, 19"
PERSONS, _NOT_SEEDS = CUES | _CUES["people"] | HOLDERS, TITLES | CUES

_RAW = _lines("redaction_patterns.txt")


def _rules_version() -> str:
    """A digest of this module and every data file it reads: it changes when the rules do."""
    digest = hashlib.sha256()
    for path in sorted(files("bot").iterdir(), key=lambda p: p.name):
        if path.name.startswith("redaction") or path.name == "common_words.txt":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# The rules' version: the query log keeps the one its texts went through, and the server runs
# newer rules over them (``bot.queries.redact_again``), so every fix reaches the old records too.
RULES = _rules_version()
_FRAGMENTS = {k: "|".join(v) for k, v in _RAW.items() if k.isupper()}
_FRAGMENTS |= {"STREET": "|".join(_CUES["street"]), "STRONG": "|".join(_CUES["strong street"])}
_FRAGMENTS["BESIDE"] = "|".join(w.title() for w in _CUES["street beside an address"] - {"row"})
# Ages in words: "a fourteen year old", "mum is thirty two", "forty-five"
_ONES_WORDS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {w: n for n, w in enumerate(_ONES_WORDS + _TEENS, 1)}
_NUMBER_WORDS |= {w: n * 10 for n, w in enumerate(_TENS, 2)}
_FRAGMENTS["NUMBER"] = r"(?:{})(?:[\s-](?:{})\b)?|{}".format(
    "|".join(_TENS), "|".join(_ONES_WORDS), "|".join(_ONES_WORDS + _TEENS)
)
_NUMBER = re.compile(rf"\d+|(?:{_FRAGMENTS['NUMBER']})\b", re.IGNORECASE)


def _pattern(section: str) -> re.Pattern[str]:
    either = "|".join(f"(?:{line})" for line in _RAW[section])
    while "<" in (before := either):  # fragments may use fragments
        either = re.sub(r"<([A-Z]+)>", lambda m: f"(?:{_FRAGMENTS[m.group(1)]})", either)
        if either == before:
            break
    return re.compile(either, re.IGNORECASE)


_WITHOUT_DIGITS = {"name", "address", "email"}  # kinds that may match text with no digit
_SECTIONS = {k: _pattern(k) for k in _RAW if k.split(" ")[0] in PLACEHOLDERS}
# References with fewer than three digits: "kai_x99", "@kaismith", "YX19 ABC", "four four seven..."
_FEW_DIGITS = {_SECTIONS["ref online"], _SECTIONS["ref vehicle"], _SECTIONS["ref in words"]}
# (kind, whether it needs a digit, pattern): most messages have no number, so the patterns that
# need one are skipped there
_PATTERNS = [
    (
        k.split()[0],
        k.split()[0] not in _WITHOUT_DIGITS and not k.endswith(("in words", "online", "spoken")),
        p,
    )
    for k, p in _SECTIONS.items()
]
_DIGIT = re.compile(r"\d")
_DIGIT_WORDS = r"(?:oh|zero|nought|one|two|three|four|five|six|seven|eight|nine)"
_SAID_DIGIT = rf"(?:double|triple|{_DIGIT_WORDS})"
_SAID_BEFORE = re.compile(rf"\b{_DIGIT_WORDS}[\s,-]+$", re.IGNORECASE)
# What a message must hold for the patterns of a section to be worth trying: most have none of it
_NEEDS = {
    _SECTIONS["email"]: re.compile("@"),
    _SECTIONS["email spoken"]: re.compile(r"\bdot\b", re.IGNORECASE),
    _SECTIONS["date spoken"]: re.compile(
        r"\b(?:{})\b|\bgone\b|\bof\s+(?:next|this|last)\s+month".format(_FRAGMENTS["ORDINAL"]),
        re.IGNORECASE,
    ),
    _SECTIONS["address site"]: re.compile(r"\b(?:pitch|plot|berth)", re.IGNORECASE),
    _SECTIONS["address in words"]: re.compile(
        r"\b(?:{})\b".format(_FRAGMENTS["NUMBER"]), re.IGNORECASE
    ),
    _SECTIONS["address bare street in words"]: re.compile(
        r"\b(?:{})\b".format(_FRAGMENTS["NUMBER"]), re.IGNORECASE
    ),
    _SECTIONS["address room in lodgings"]: re.compile(
        r"\b(?:room|rm|bedroom|cabin|chalet|trailer|caravan)", re.IGNORECASE
    ),
    _SECTIONS["address house number after a cue"]: re.compile(r"\b(?:no|nr|number)\b", re.I),
    _SECTIONS["email written"]: re.compile(r"@|\bat\b", re.IGNORECASE),
    _SECTIONS["nhs in words"]: re.compile(rf"(?:\b{_DIGIT_WORDS}\W+){{9}}", re.IGNORECASE),
    _SECTIONS["phone in words"]: re.compile(rf"(?:\b{_SAID_DIGIT}\W+){{5}}", re.IGNORECASE),
    _SECTIONS["ref in words"]: re.compile(
        rf"(?:\b{_SAID_DIGIT}\W+){{5}}|\d\s\d\s\d", re.IGNORECASE
    ),
}
_AGED_NEXT = re.compile(  # "kai, 14,", "kai (14)", "kai (9yrs)", "kai aged 14", "kai 14yo", "kai
    # 14 - excluded", "kai (dob 1.6.15)"
    r"\s*(?:,\s*(?:both\s+)?\d\d?\s*(?:y/o|yo|yrs?|years?(?:\s+old)?)?\s*(?:[,.;)]|$)"
    r"|\(\d\d?\s*(?:yrs?|years?|yo|y/o|m|mths?|months?)?\))"
    r"|,?\s+aged?\s+\d|\s+\d\d?\s*(?:yo|y/o|\s[-–]\s)|\s*\(?\s*(?:dob|d\.o\.b\.?|born)\b"
    r"|\s+\d\d?\s*(?:yrs?|years?|mths?|months?|wks?|weeks?)\b",  # "Lucja 3 mths"
    re.IGNORECASE,
)
_EXISTING, _BIRTH_CUE, _AGE_CUE = (_pattern(k) for k in ("existing", "birth cue", "age cue"))
_AGE_KINDS = "old|decade|in words|hedged|ish|in weeks|birthday|in brackets|yo".split("|")
_AGES = [_pattern(f"age {k}") for k in _AGE_KINDS]
_HEDGED = _AGES[_AGE_KINDS.index("hedged")]
_INTO_DECADE = {"early": 0, "mid": 5, "late": 8}  # "late 20s" is 25+, "early 20s" 18-24
_AFTER_PERSON, _AFTER_NAME = _pattern("age after person"), _pattern("age after name")
_WORDLIKE = re.compile(
    r"(?:ies|ing|ed|tion|sion|ment|ness|ity|ly|ous|ive|ship|ance|ence|ful|less|able|ible|ise|ize"
    r"|ism|ist|ics|ary|ery|ory|ure|where|wards?)$"
)
_NHS_CUE = re.compile(r"\bnhs\b", re.IGNORECASE)
_PERSON_WORD = re.compile(r"\b(?:{})s?\b".format("|".join(sorted(HOLDERS))), re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CAMEL_NAME = re.compile(r"(?:Mc|Mac|O'|D'|De|Di|Da|Du|La|Le|Van|Von)[A-Z]")  # not "AssetPlus"


def _age_span(start: int, end: int, number: str, unit: str | None) -> Span | None:
    words = re.split(r"[\s-]+", number.lower())
    years = int(number) if number.isdigit() else sum(_NUMBER_WORDS[w] for w in words)
    if unit and unit.strip()[0].lower() in "mwd/":  # "/52": weeks
        years = years // 12 if unit.strip()[0].lower() == "m" else 0
    band = next((label for top, label in AGE_BANDS if years < top), None)
    return Span(start, end, "age", f"[AGE {band}]") if band else None


# Street words that name a street on their own, after a house number: "19 Esplanade", "4 Broadway"
_STREETS_ALONE = {"esplanade", "broadway", "promenade", "parade", "strand", "boulevard"}


def _cut(kind: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The part of the match to remove, or None where it only looks like this kind."""
    text, start, end = m.group(), m.start(), m.end()
    if kind == "phone" and m.groupdict().get("v"):
        return m.start("v"), _extension(m.string, m.end("v"))
    if kind == "phone" and not m.group()[0].isdigit() and m.group()[0] not in "+(":
        return start, _extension(m.string, end)  # read out in words
    if kind == "phone" and _EXTENSION_BEFORE.search(m.string, max(0, start - 12), start):
        return start, end  # "Mr Kapoor ext 4471": an extension alone
    if kind == "phone":  # the longest run of digit groups that makes a phone number
        groups = list(re.finditer(r"\d+", text))
        abroad = text.startswith(("+", "00"))
        for k in range(len(groups), 0, -1):
            digits = "".join(g.group() for g in groups[:k])
            if abroad and (digits := digits.removeprefix("00")).startswith("44"):
                fits = 9 <= len(digits[2:].removeprefix("0")) <= 10  # +44 (0)20 8545 4000
            else:
                fits = 9 <= len(digits) <= 15 if abroad else 10 <= len(digits) <= 11
            if fits:
                return start, _extension(m.string, start + groups[k - 1].end())
        return None
    if kind == "nhs" and text[0].isalpha() and _SAID_BEFORE.search(m.string, 0, start):
        return None  # "oh seven seven ...": the end of a phone number read out, not an NHS one
    if kind == "postcode" and m.groupdict().get(
        "a"
    ):  # not "s47", "ks2", "b12"; "SW19", "sw19", "E1" are
        area, outward_only = m.group("a"), not text[-1].isalpha()
        trusted = (
            _key(area) in _CUES["postcode areas in lower case"] or area.isupper() and len(area) == 2
        )
        if _key(area) not in _CUES["postcode areas"] or outward_only and not trusted:
            return None
    if (
        kind == "date"
        and not m.groupdict().get("v")
        and re.match(r"\d\d?[/. -]\d\d?[/. -]\d", text)
    ):
        a, b = (int(x) for x in re.split(r"[/. -]", text)[:2])
        if not (a <= 31 and b <= 12 or a <= 12 and b <= 31):
            return None
    short = m.groupdict().get("v") or ""
    if kind == "date" and re.fullmatch(r"\d\d?[/.]\d\d?", short):
        day, month = (int(x) for x in re.split(r"[/.]", short))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None  # "ready for 10.30", "on 3/14"
    if kind == "date" and re.match(r"may\s+\d+$", text):
        return None  # "may 4 of them" is not the 4th of May
    if kind == "address" and m.groupdict().get("s"):
        words, suffix = m.group("w").split(), m.group("s")
        lone_the = words == ["the"]  # "52 the green"
        stops = [w for w in words if w != "The" and _key(w) in _CUES["street stop"]]
        alone = (
            not words and suffix[0].isupper() and _key(suffix) in _STREETS_ALONE
        )  # "19 Esplanade"
        if not words and not alone or stops and not lone_the:
            return None  # "10 mins down the road", "1 close friend"
        abbreviated = _key(suffix) in _CUES["street abbreviations"]  # "8 pine gdns"
        weak = suffix not in _CUES["strong street"] and not abbreviated and not lone_the
        rare = bool(words) and not any(_key(w) in COMMON for w in words)  # "2 oak way"
        placed = _PLACED.search(m.string, max(0, start - 24), start)  # "at 3 fir tree walk"
        if suffix.islower() and weak and not rare and not placed:
            inner = [w for w in re.finditer(r"[\w'’-]+", m.group("w")) if w.start() > 0]
            strong = [w for w in inner if _key(w.group()) in _CUES["strong street"]]
            if not strong:
                return None  # "5 min walk"
            end = m.start("w") + strong[-1].end()  # "27 mill road industrial estate"
        if text.endswith(".") and not abbreviated:
            end -= 1  # "at mum's 2 oak way. which": the full stop ends the sentence
    if kind == "address" and _CIVIC.match(text):
        return None  # "the Town Hall, room 3": nobody sleeps there
    if kind == "address" and m.groupdict().get("the") and _key(m.group("the")) in COMMON:
        return None  # "at 10 The Guardian", but "2 The Spinney"
    farm = m.groupdict().get("fm")
    if kind == "address" and farm and all(_known(_key(w)) for w in farm.split() if w != "y"):
        return None  # "Grandparents farm", but "Heol Las farm"
    home = m.groupdict().get("hn")
    if kind == "address" and home and all(_key(w) in NOT_NAMES for w in home.split()):
        return None  # "in Morden children's home": a place, not the home's name
    hostel = m.groupdict().get("hs")
    if (
        kind == "address"
        and hostel
        and all(_known(k) or k in ENGLISH for k in map(_key, hostel.split()))
    ):
        return None  # "the hostel", "Leeds foyer": no home's name
    lower_street = m.groupdict().get("lw")
    if kind == "address" and lower_street and not _unknown(_key(lower_street)):
        return None  # "3 anyway", but "67 kingsway"
    called = m.groupdict().get("hc")
    if kind == "address" and called and not m.group("hthe"):
        if all(_key(w) in COMMON for w in called.split()):
            return None  # "house name only", "house name first"
    if kind == "address" and m.groupdict().get("lh2") and not _named_in_lower_case(m, "2"):
        return None  # ", grandads farm ,"
    if kind == "address" and m.groupdict().get("lh") and not _named_in_lower_case(m):
        return None  # "at grandads farm", "at ivy house"
    lone = m.groupdict().get("lone")
    if kind == "address" and lone and (not _unknown(_key(lone)) or _key(lone) in LISTED):
        return None  # "lives at home", "staying at kai's", but "lives at moorcroft"
    if kind == "address" and m.re is _SECTIONS["address room in lodgings"]:
        if not _LODGINGS.search(m.string):
            return None  # "meeting in room 5": nobody is put up there
    if kind == "address" and m.groupdict().get("bare") and not _bare_street(m):
        return None  # "14 days", "hes 14 innit", "kaci 4 tevrin 2"
    first = _key(m.groupdict().get("bn") or "")
    if text.endswith(("Tower", "Heights", "Mansions")):
        first = ""  # "Kelvin Tower" is a block of flats, whoever Kelvin is
    if kind == "address" and (first in FIRST and not _known(first) or first in NOT_NAMES):
        return None  # "Connor Hall 17" is a boy, "at Civic House" an office, "Marlowe House" a home
    place = m.groupdict().get("pl")
    if kind == "address" and place and not text.lower().startswith("the "):
        words = [_key(w) for w in place.split()]
        person = words[0] in FIRST and not _known(words[0]) and words[-1] not in _BUILDINGS
        lone = len(words) == 1 and words[0] in COMMON
        if person or lone or all(w in NOT_NAMES for w in words):
            return None  # "see Reception, room 3", "Kai, room 5", but "Clifftop, room 5"
    named = m.groupdict().get("v") or ""
    if kind == "address" and named and _key(named.split()[-1]) in _NOT_HOMES:
        return None  # "she's at Oakfield Primary"
    if kind == "address" and m.groupdict().get("y"):
        first = m.group("x").split()[0]
        if _key(first) in _CUES["street stop"] or (first.islower() and _key(first) in COMMON):
            return None  # "the road", "main road"
        if _key(first) in _NOT_STREETS:
            return None  # "saved on Google Drive"
    if kind == "ref" and len(re.sub(r"\D", "", text)) < 3 and m.re not in _FEW_DIGITS:
        return None
    return (m.start("v"), m.end("v")) if "v" in m.re.groupindex and m.group("v") else (start, end)


# Words after which a number and a street word are an address, however everyday the words: "at 3
# fir tree walk", "hes at 7 church view", "at her dads 45 bank top"
_PLACED = re.compile(
    r"\b(?:at|lives|living|staying|stays|moved\s+to|address\s+is)"
    r"(?:\s+(?:his|her|their|my|your)?\s*(?!its\b)[a-z]+s)?\s+$",
    re.IGNORECASE,
)
_NOT_STREETS = {"google", "shared", "network", "onedrive", "team", "teams", "test", "hard"}

# Where a room is someone's home for now: "room 207" in a message about a hotel or a hostel
_LODGINGS = re.compile(
    r"\b(?:hostel|hotel|b\s*&\s*b|bnb|b\s+and\s+b|travelodge|premier\s+inn|inn|refuge|supported"
    r"|accommodation|foyer|shelter|guest\s*house|lodgings?|holiday\s+park|caravan\s+park|site|halls"
    r"|bedsit|hmo|digs|placement|children['’]?s\s+home|care\s+home|unit|secure)\b",
    re.IGNORECASE,
)
# Before a house number with a bare street after it, what says it is where someone is: "at nans
# 14 ashgrove", "from 86 stainbeck", "address 38 bellbrooke", "mums 4 raynville", "top flat of 22
# cowper"
_BARE_CUE = re.compile(
    r"(?:\b(?:at|from|to|into|lives|living|live|staying|stays|stay|moved|moving|address|addr)"
    r"(?:\s+(?:his|her|their|my|your)?\s*(?!its\b)[a-z]+['’]?s)?"
    r"|\b(?:mum|mam|dad|nan|nana|nanna|gran|granny|grandma|grandad|aunt|auntie|aunty|uncle|cousin"
    r"|friend|mate|sister|brother|boyfriend|girlfriend|bf|gf|partner|carer)['’]?s"
    r"|\b(?:flat|floor|flr|room|attic|block|house|bedroom|loft|basement|annexe|top|bottom)\s+(?:of|on))"
    r"\s*[:,-]?\s*$",
    re.IGNORECASE,
)
# Before a number, what makes it an age or a count, not a house: "hes 14 innit", "year 9 ..."
_NOT_HOUSE_BEFORE = re.compile(
    r"\b(?:aged?|(?:he|she|i|who|they)\s+(?:is|was|are|were)|am|im|i['’]m|hes|shes|he['’]s|she['’]s"
    r"|turned|turns|nearly|about|only|of|took|taking|missed|had|has|have|with|than|every|year"
    r"|yr|class|ward|bus|route|junction|page|para|section|step|level|band|grade|stage|tier|week"
    r"|day|item|point|group|option|question|under|over|top)\s*$",
    re.IGNORECASE,
)
_NEXT_AGE = re.compile(r"\s*[,(]?\s*\d{1,2}\b(?![/.:]\d)")  # "tevrin 4": the next child's age


_HOUSEHOLDS = {"parents", "grandparents", "family", "familys"}  # "grandparents farm"


def _named_in_lower_case(m: re.Match[str], n: str = "") -> bool:
    """Whether "at low moor farm" names a house: no word is someone's ("grandads", "kai's"), and
    before a house or a hall, one word is no everyday one ("beckett house", not "ivy house")."""
    words = [_key(w) for w in m.group("lh" + n).split()]
    owner = any(
        w.endswith("s")
        and (w[:-1] in PERSONS or w[:-1] in FIRST or w[:-2] in PERSONS)
        or w in PERSONS
        or w in _HOUSEHOLDS
        for w in words
    )  # "grandads farm", "grandparents farm", "kai's farm"
    plain = m.group("ls" + n) in ("house", "hall", "bungalow") and all(w in COMMON for w in words)
    return not owner and not plain


def _bare_street(m: re.Match[str]) -> bool:
    """Whether a number and one lower-case word are a house and its street ("at nans 14
    ashgrove", "61 compton"), not an age before a name ("kaci 4 tevrin 2") or a count ("3 cpps")."""
    before, word = m.string[max(0, m.start() - 40) : m.start()], _key(m.group("bare"))
    if m.group("no") or m.group("back") or _BARE_CUE.search(before):
        return _unknown(word) or word in LISTED and word not in COMMON or word in UK_PLACES
    prev = re.search(r"([^\W\d_]+)\W*$", before)
    key = _key(prev.group(1)) if prev else ""
    person = key in PERSONS or key in FIRST and not _known(key)
    if person or _NOT_HOUSE_BEFORE.search(before) or _NEXT_AGE.match(m.string, m.end()):
        return False  # "mum 25 tevrin", "kaci 4 tevrin 2": an age
    if re.fullmatch(r"(?:19|20)\d\d", m.group("hn")):
        return False  # a year
    if word.endswith("s") or m.group("hn").isalpha() and " " not in m.group("hn").strip():
        return False  # "4 appts", "3 sibs"; "one capita" (but "thirty eight fearnville")
    if not re.search(r"(?:^|[,;:(/–-])\s*$", before):
        return False  # "had 1 refferal, then": with no cue, an address stands as an item of its own
    return _unknown(word) and word not in LISTED


# Last words of a named place where nobody lives: "at Oakfield Primary", "at Priory Surgery"
_NOT_HOMES = {"school", "academy", "primary", "college", "nursery", "hospital", "surgery"}
_NOT_HOMES |= {"practice", "centre", "center", "clinic", "university", "church", "mosque"}
_NOT_HOMES |= {"council", "police", "station", "office", "offices", "court", "prison", "library"}
_CIVIC = re.compile(r"(?:the\s+)?(?:town|county|city|village|guild|church)\s+hall\b", re.IGNORECASE)
# Last words of a named building someone may live in: "Willow Lodge (room 2)" is no person
_BUILDINGS = {"house", "lodge", "hall", "court", "cottage", "farm", "manor", "villa", "heights"}
_BUILDINGS |= {"tower", "towers", "mansions", "grange", "view", "trees"}
# Words of an institution's name, which stays when the wing or the cell in it goes
_INSTITUTIONS = {"hmp", "hmyoi", "yoi", "stc", "sch", "hmpyoi"}

_HOUSE_NAME = re.compile(
    r"(?<![\w/])(?:(?:The|Ty|Tŷ)\s+)?[A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
    r"(?:\s+[A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)*)?,?\s*$"
)


def _with_house_name(text: str, span: Span) -> Span:
    """The address with the house name before it: "Rosemount, 2 Kirk Brae", "Tŷ Gwyn, 4 Heol y
    Parc"; not a town or an organisation ("Sutton, 4 High St"), nor an everyday word."""
    m = _HOUSE_NAME.search(text, max(0, span.start - 40), span.start)
    if m is None or not m.group().rstrip().endswith(","):
        return span
    words = [_key(w) for w in re.findall(r"[\w'’-]+", m.group())]
    named = all(w in LISTED for w in words)  # "Sadia Akhtar, 14 Elm Road", not "Hazel Bank"
    before = re.findall(r"[\w'’]+", text[max(0, m.start() - 20) : m.start()])
    titled = [_key(w) for w in before[-1:]] + words[:1]  # "Mrs Rebecca Toft, 5", "Aunty Val, 2"
    named = named or any(w in TITLES or w in CUES for w in titled)
    words = [w for w in words if w not in {"the", "ty"}]
    organisation = words[-1] in _CUES["organisation ends"]  # "the Civic Centre, London Road"
    organisation = organisation or bool(_INSTITUTIONS & set(words))  # "HMP Leeds, A wing, cell 3"
    place = any(w in NOT_NAMES and w not in UK_PLACES for w in words)  # many a house is "Glenmore"
    place = place or [_key(w) for w in before[-1:]] == ["in"] and all(w in UK_PLACES for w in words)
    if named or organisation or place or all(w in COMMON for w in words):
        return span
    return Span(m.start(), span.end, span.kind, span.placeholder)


_PART = _pattern("part of an address").pattern
_STREETS_BESIDE = _CUES["strong street"] | _CUES["street abbreviations"]
_STREETS_BESIDE |= _CUES["street beside an address"]
# Parts are joined by a space or a comma, or by the stray commas of a pasted record: "Flat 3 ,Crown
# House,, High St"
_PART_AFTER = re.compile(rf"(?:\s*,[\s,]*|\s+)(?:{_PART})", re.IGNORECASE)
_PART_BEFORE = re.compile(rf"(?<![\w/])(?:{_PART})(?:\s*,[\s,]*|\s+)$", re.IGNORECASE)
# "no 8", "4 ", and in a pasted record "9B, , " (a letter or a stray comma says it is no age)
_NUMBER_BEFORE = re.compile(
    r"(?<![\w/.,-])(?:(?:no\.?|number)\s*|\d{1,4}[a-z]?\s+|\d{1,4}[a-z]?\s*,\s*,[\s,]*|\d{1,4}[a-z]\s*,\s*)$",
    re.IGNORECASE,
)


# What may follow a building named with "the" after a flat's number: punctuation, the end or a
# postcode ("flat 4 the old chapel, ..."), not the rest of a sentence ("flat 3 the police said")
_PUNCTUATION_NEXT = re.compile(r"\s*(?:[,;:()!?]|\.(?!\w)|$)|\s+[a-z]{1,2}\d", re.IGNORECASE)
# A flat's number, which a block or a street in lower case may follow: "flat 6 riverside"
_FLAT_NUMBER_BEFORE = re.compile(
    r"\b(?:flat|apartment|apt|maisonette|studio|room|bedroom|pitch|plot|unit|caravan|static|chalet)"
    r"\s*\d+[a-z]?(?:/\d+)?$",
    re.IGNORECASE,
)
_FLAT_BEFORE = re.compile(r"(?<![\w'’-])flat\s+$", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"(?:{})\b".format(_FRAGMENTS["NUMBER"]), re.IGNORECASE)


def _with_parts(text: str, span: Span, others: list[Span]) -> Span:
    """The address with the parts beside it that belong to it: "Flat 2/1, 45 Allison Street",
    "71 Cavendish Road, room 4", "Block C, flat 61, Brandon Estate", "no. 4 the Cottages", "4
    Nelson House". Each part needs a word that makes it one (a flat, a building, a strong street
    word), so the town after an address stays ("14 Elm Road, Forest Hill")."""

    def joins(m: re.Match[str] | None) -> bool:
        if m is None or any(o.start < m.end() and m.start() < o.end for o in others):
            return False
        if named := m.group("numbered") or m.group("estate") or m.group("lestate"):  # "4 Tobson"
            return not all(_key(w) in COMMON for w in re.findall(r"[^\W\d]+", named))
        if lower := m.group("lowpart"):  # "flat 6 riverside": after a flat's number only
            flat = _FLAT_NUMBER_BEFORE.search(text, max(0, m.start() - 20), m.start())
            if not flat or m.group().startswith(","):
                return False
            words = [_key(w) for w in re.findall(r"[^\W\d_]+", lower) if w != "the"]
            if m.group("lowthe") and not _PUNCTUATION_NEXT.match(text, m.end()):
                return False  # "flat 3 the police said they": a sentence, not a building
            if m.group("lowthe") or m.group("lowb"):  # "flat 4 the old chapel", "quarry house"
                return not all(w in NOT_NAMES and w not in UK_PLACES for w in words)
            known = [w in COMMON or w in NOT_NAMES and w not in UK_PLACES for w in words]
            return not any(known) and not any(w in FIRST for w in words)
        street = m.group("street")
        return street is None or _key(street) in _STREETS_BESIDE

    start, end = span.start, span.end
    while joins(m := _PART_AFTER.match(text, end)):
        assert m is not None
        end = m.end()
    number = _NUMBER_BEFORE.search(text, max(0, start - 12), start)
    if number and (text[start].isdigit() or text[start].isupper() and number.group()[0].isdigit()):
        start = number.start()  # "no 8 Cherry Tree Walk", "4 Nelson House"
    elif (flat := _FLAT_BEFORE.search(text, max(0, start - 12), start)) and _NUMBER_WORD.match(
        text, start
    ):
        start = flat.start()  # "flat twelve Harrow Court"
    while joins(m := _PART_BEFORE.search(text, max(0, start - 80), start)):
        assert m is not None
        start = m.start()
    last = re.search(r"(\w+)\.$", text[start:end])
    if last and _key(last.group(1)) not in _CUES["street abbreviations"]:
        end -= 1  # "..., Stones Lane. Which": the full stop ends the sentence
    return Span(start, end, span.kind, span.placeholder)


_SHORT_DATE = re.compile(
    r"(?<![\w/.£$-])(?P<d>[12]\d|3[01]|0?[1-9])/(?P<m>1[0-2]|0?[1-9])"
    r"(?![\w/%]|[.,]\d|\s*(?:of|times|days|hours|people|children|kids|staff)\b)",
    re.IGNORECASE,
)


def _more_short_dates(text: str, taken: list[Span], free: Callable[[int, int], bool]) -> list[Span]:
    """Once one day/month date is found ("meeting 19/1"), the message's other day/month pairs are
    dates too ("letter went out 5/1", "between 1/2 and 3/2"), not fractions."""
    found = [s for s in taken if s.kind in ("date", "dob")]
    if not any(_SHORT_DATE.fullmatch(text, s.start, s.end) for s in found):
        return []
    return [
        Span(m.start(), m.end(), "date", PLACEHOLDERS["date"])
        for m in _SHORT_DATE.finditer(text)
        if free(m.start(), m.end())
    ]


# ", Sawston -", ", Hatfield Peverel.", ", Kettering SE15 5HL", ", Bingley at 22.15"
_TOWN_AFTER = re.compile(
    r"\s*,\s*(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"(?=\s*(?:$|[,.;:!?)]|\s[-–]\s|[a-z]{1,2}\d[a-z\d]?(?:\s*\d[a-z]{2})?\b|\[POSTCODE\])"
    r"|\s+(?:at|on|in|with|for|since|until|from|near|last|next|this|now|but|so|yesterday|today)\b)",
    re.IGNORECASE,
)


# First names that make a word after an address a person, not its town: the hand-made and world
# lists, not the census, many of whose names are towns ("Bethesda")
_TOWNS_NOT = _NAMES["first"] | _WORLD["first"]


_TOWN_ABROAD = re.compile(r"\s+[^\W\d_][\w'’-]*")


def _a_town(text: str, name: tuple[int, int], taken: list[Span]) -> bool:
    """Whether a word taken for a name is the town ending an address: "14 Elm Road, Sawston -".
    Towns are often surnames (Ashby, Hatfield), rarely first names."""
    for s in taken:
        town = _TOWN_AFTER.match(text, s.end) if s.kind == "address" else None
        if s.kind == "postcode" and not text[s.start].isalpha():  # "90-123 Łódź": abroad, the
            town = _TOWN_ABROAD.match(text, s.end)  # town follows its code
        if town and town.start() < name[0] < town.end():
            words = re.findall(r"[\w'’-]+", text[name[0] : name[1]])
            # "Sawston", "Bethesda", not "Kai Smith" (a census name may well be a town)
            return not any(_key(w) in _TOWNS_NOT for w in words)
    return False


_EXTENSION = re.compile(  # "ext 4412", "extension four four one two"
    rf",?\s*(?:ext|extn|extension|x)\.?\s*(?:\d{{2,6}}\b|{_DIGIT_WORDS}(?:\s+{_DIGIT_WORDS}\b){{1,5}})",
    re.IGNORECASE,
)


_EXTENSION_BEFORE = re.compile(r"\b(?:ext|extn|extension)\.?\s*$", re.IGNORECASE)


def _extension(text: str, end: int) -> int:
    """Where a phone number ends once its extension is counted: "8545 3000 ext 4412"."""
    ext = _EXTENSION.match(text, end)
    return ext.end() if ext else end


def _nhs_valid(number: str) -> bool:
    """The NHS number's check digit (modulus 11) is right."""
    digits = [int(c) for c in number if c.isdigit()]
    check = (11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11) % 11
    return len(digits) == 10 and check == digits[9]


class _Tok(NamedTuple):
    start: int
    end: int  # of the name itself: "Kai" in "Kai's"
    word: str
    key: str
    possessive: bool
    sentence_start: bool
    cap: bool
    acronym: bool  # "DSL", "UPNs"


def _tokens(masked: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(masked):
        if masked[m.end() : m.end() + 1].isdigit():
            continue  # "Y9", "KS2", "P3": a year group or a code, never a name
        if len(m.group()) == 1 and "&" in masked[max(0, m.start() - 1) : m.end() + 1]:
            continue  # "B&B", "A&E", "M&S"
        word = m.group()
        possessive = word[-2:] in ("'s", "’s") and len(word) > 3
        word = word[:-2] if possessive else word
        if re.fullmatch(r"[A-Z]{2,3}s", word) and masked[m.end() : m.end() + 1] == " ":
            word, possessive = word[:-1], True  # "RJs mum": initials owning, apostrophe dropped
        i = m.start() - 1
        while i >= 0 and masked[i] in " \t\"'‘’“”(*•-":  # look back past spaces and quotes
            i -= 1
        first = i < 0 or masked[i] in ".!?\n\r"
        acronym = len(word) > 1 and word.removesuffix("s").isupper()
        fields = (word, _key(word), possessive, first, word[0].isupper(), acronym)
        out.append(_Tok(m.start(), m.start() + len(word), *fields))
    return out


def _known(key: str) -> bool:
    """An everyday word, place, organisation or acronym, or the plural of one ("Thursdays")."""
    plural = key.endswith("s") and key not in LISTED
    return (
        key in COMMON
        or key in NOT_NAMES
        or plural
        and (key[:-1] in COMMON or key[:-1] in NOT_NAMES)
    )


def _clear(key: str) -> bool:
    """A listed name that is no everyday word, place or acronym: "kai", "khan", not "will"."""
    return key in LISTED and not _known(key)


def _namelike(t: _Tok) -> bool:
    """Could be a name if something points at it: listed, or capitalised and not a known word."""
    if "-" in t.word:
        parts = [_key(p) for p in t.word.split("-")]
        if parts[0] in FIRST and _clear(parts[0]) and len(parts) == 2:
            return True  # "ellie-may", "tommy-lee", though "may" is a month
        listed_or_unknown = any(p in LISTED or p not in COMMON for p in parts)
        if t.cap and len(parts) == 2 and all(p in SURNAMES for p in parts):
            return True  # "Ward-Price", "Price-Lord": two surnames, whatever else they are
        if any(p in NOT_NAMES for p in parts) or not listed_or_unknown:
            return False
        return t.cap or any(_clear(p) for p in parts)
    if t.cap:
        return t.key not in NOT_NAMES and (t.key in LISTED or not _known(t.key))
    return _clear(t.key)


# Words after which a capitalised word names a place, not a person: "St George's", "Op
# Fortress", "HMP Berwyn", "Ysgol Bro Teifi"
_NAMES_NEXT = {"st", "saint", "op", "operation", "hmp", "hmyoi", "ysgol"}
_NAMES_NEXT_ANY_CASE = {"operation", "hmp", "hmyoi"}  # "for operation Nightjar"
# Words a form writes before a colon, never a name: "Addr: 2 Elm Rd", "NINO: ..."
_LABELS = {"addr", "tel", "mob", "dob", "ref", "nino", "attendees"}
# Family words that make the capitalised words after them a person, not a phrase in Title Case
_KIN = {"granny", "grandma", "grandad", "grandpa", "nan", "nana", "nanna", "gran", "aunty"}
_KIN |= {"nain", "taid"}  # Welsh: grandmother, grandfather
_KIN |= {"auntie", "aunt", "uncle", "mum", "mam", "dad", "cousin"}
_PARENTS = {"mum", "mam", "dad"}  # "mum dosent": after these an unknown word may be a typo
# Days and months, which a capitalised word after a person word may be: "saw mum Sunday"
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_CALENDAR |= {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
_CALENDAR |= {"january", "february", "march", "april", "may", "june", "july", "august"}
_CALENDAR |= {"september", "october", "november", "december", "today", "tomorrow", "tonight"}
# Words after which a capitalised word that is no first name is a place: "in Weston"
_PLACE_BEFORE = {"in", "near", "around", "outside", "across"}


def _phrases(toks: list[_Tok], gap: Callable[[int], str]) -> tuple[list[bool], list[bool]]:
    """Words that are no name whatever points at them ("Harris Academy", "St George's", "Clare's
    Law", "Op Fortress"), and unknown words that only look like names because they sit in Title
    Case beside known words ("Special Guardianship Order") or are products ("AssetPlus")."""
    n = len(toks)
    org, phrase = [False] * n, [False] * n
    for j, t in enumerate(toks):
        if j and t.key == "law" and toks[j - 1].possessive:
            org[j - 1] = True
        elif j and t.key in _CUES["organisation ends"]:
            i, members = j - 1, list[int]()
            lower_ok = t.key in _CUES["organisation ends in lower case"]
            while (t.cap or lower_ok) and i >= 0 and toks[i].cap and gap(i) == " ":
                if toks[i].possessive or toks[i].key in TITLES:
                    break
                members, i = [*members, i], i - 1
            titled = i >= 0 and toks[i].key in TITLES and gap(i) == " "  # "DC Lena Park"
            for i in [] if titled else members:
                org[i] = True
        if t.key in _NAMES_NEXT and (t.cap or t.key in _NAMES_NEXT_ANY_CASE) and j + 1 < n:
            org[j + 1] = gap(j).strip(". ") == ""
        if j + 1 < n and t.key in _PLACE_BEFORE and gap(j) == " ":
            place = toks[j + 1]  # "placed in Weston", "the centre in Ashford": a place
            org[j + 1] = org[j + 1] or place.cap and not place.possessive and place.key not in FIRST
        phrase[j] = bool(re.search(r"[a-z][A-Z]", t.word)) and not _CAMEL_NAME.match(t.word)
    j = 0
    while j < n:  # each run of capitalised words joined by single spaces
        k = j
        while k + 1 < n and toks[k].cap and toks[k + 1].cap and gap(k) == " ":
            k += 1
        run, greetings = toks[j : k + 1], _CUES["greetings"]
        if run[0].key in TITLES or run[0].key in _KIN:  # "Mrs Mavis Senior", "Granny Maud Pickles"
            j = k + 1
            continue
        title_case = any(
            _known(t.key)
            and t.key not in LISTED
            and t.key not in greetings
            and t.key not in TITLES  # "DS Mark Fenwick" is no Title Case phrase
            and not t.sentence_start
            for t in run
        )
        if len(run) > 1 and title_case and not any(_clear(t.key) for t in run):
            for i in range(j, k + 1):
                phrase[i] = phrase[i] or toks[i].key not in LISTED
        j = k + 1
    return org, phrase


def _unknown(key: str) -> bool:
    """Neither a known nor a dictionary word, nor shaped like an English one ("safegaurding",
    "facilities"). Mid-sentence, a capitalised dictionary word may still be a name ("Saffron");
    in lower case or starting a sentence, "unknown" must mean more ("Godmother wants", "the
    referrer's details")."""
    if "-" in key:
        return any(_unknown(part) for part in key.split("-"))  # "non-mol" is two known words
    english = key in ENGLISH or key.endswith("s") and key[:-1] in ENGLISH
    return len(key) > 2 and not _known(key) and not english and not _WORDLIKE.search(key)


_LETTERS = set("BCDEFGHJKLMNOPQRSTUVWXYZ")  # a capital standing for a name: not "I", "A"


# An age and nothing after it that would make it something else: "is 11.", "was 16 and"
_AGE_ALONE = re.compile(
    r"\s*(?:nearly\s+|now\s+|only\s+|just\s+)?\d{1,2}(?:\s*(?:yrs?|years?)(?:\s+old)?)?"
    r"(?=\s*(?:$|[,.;!?)]|(?:and|n|&)\s|[-–]\s))",
    re.IGNORECASE,
)


def _acts(t: _Tok, nxt: _Tok | None, after_next: str) -> bool:
    """Whether a word starting a sentence, in any case, is someone doing something: a listed
    first name or an unknown word before "told", "rang", "has disclosed", "is 14", or a first
    name before "from" ("dawn from business support")."""
    agent = re.search(r"(?:er|or|ist|ian|ant|ent)$", t.key) and t.key not in FIRST  # "caller"
    if nxt is not None and nxt.key in {"is", "was"} and t.key in FIRST | _MONTH_NAMES:
        if _AGE_ALONE.match(after_next):
            return True  # "Paris is 11", "august is 16": an age says it is a person
    if nxt is None or not (t.key in FIRST or _unknown(t.key)) or t.key in NOT_NAMES or agent:
        return False
    if nxt.key in _CUES["deeds"]:
        return True
    if nxt.key in {"has", "had", "hasnt", "hadnt"}:
        return re.match(r"\s*(?:not\s+|been\s+|just\s+)?\w+ed\b", after_next) is not None
    if nxt.key in {"is", "was"} and t.key in FIRST and t.key not in _VERBS_TOO | _MODALS:
        role = _IS_ROLE.match(after_next)  # "joy is mums sister", "frank is the grandad"
        if role and _key(role.group("r")).removesuffix("s") in CUES:
            return True
    if nxt.key in {"is", "was"}:
        return re.match(r"\s*(?:nearly\s+|now\s+|only\s+|just\s+)?\d", after_next) is not None
    if nxt.key in _DID and t.key in FIRST and t.key not in _VERBS_TOO:
        return True  # "grace locked herself in", "jack kicked off", "blessing cried"
    return nxt.key == "from" and t.key in FIRST


def _seed(
    t: _Tok,
    prev: _Tok | None,
    between: str,
    nxt: _Tok | None,
    phrase: bool,
    closing: bool,
    after_next: str = "",
) -> bool:
    """Whether this word is a name on its own evidence, before names grow. ``closing``: the
    message or clause ends after it; ``after_next``: the text after the next word."""
    collar = prev and prev.key in _CUES["collar titles"] and re.fullmatch(r"\s+\x00+\s+", between)
    ends = prev is not None and prev.acronym and "." in between  # "signed by a DI. Do I..."
    if prev and prev.key in TITLES and not ends and (re.fullmatch(r"\.?\s+", between) or collar):
        if prev.key == "ps" and t.key in COMMON:
            return False  # "PS Can you...", a postscript
        plain = prev.cap or prev.key in _CUES["plain titles"]  # "mrs okpara", not "pc crashed"
        mrs = prev.key in _SURNAME_TITLES and t.key not in _NOT_SURNAMES and len(t.key) > 1
        return (
            (t.cap and t.key not in {"and", "or"})
            or _clear(t.key)
            or plain
            and not _known(t.key)
            or mrs  # "mr and mrs rice", "ms hope"
        )
    if prev and prev.key in CUES and re.fullmatch(r"[\s,(\"'‘“:=]+|\s+-\s+", between):
        listed = t.key in LISTED and t.key not in CORE and t.key not in NOT_NAMES  # "aunty grace"
        listed = listed or "-" in t.word and _namelike(t)  # "child bobby-lee"
        initials = t.acronym and len(t.word) <= 3 and not _known(t.key)  # "child KB"
        label = ":" in between  # "child: tevrin"
        naming = prev.key in NAMING and prev.key not in _CUES["labels"]
        if naming and t.cap and t.key not in NOT_NAMES and t.key not in {"the", "a", "an"}:
            return True  # "a girl called Star"
        if naming and t.key in FIRST and t.key not in _PRONOUNS:
            return True  # "a girl called hope", "a lad called bill"
        kin = prev.key in _KIN_CUES and between == " " and not t.cap
        pair = len(t.word) == 2 and not _known(t.key) and t.key not in ENGLISH  # "brother tj"
        doing = nxt is not None and (nxt.key in _CUES["name verbs"] or _VERBLIKE.search(nxt.key))
        if kin and (pair or _unknown(t.key) and len(t.key) > 2) and (closing or doing):
            return True  # "mums friend jas rang", "her brother manjit took her passport"
        family = prev.key in _KIN - _PARENTS and between == " " and not t.cap
        if family and _unknown(t.key) and len(t.key) > 2:
            return True  # "uncle sherko", "nan wanjiru": a family word, then a word no list has
        acting = t.cap and not t.acronym and not t.sentence_start and between == " "
        acting = acting and len(t.word) > 1 and t.key not in _CALENDAR | {"ive", "im", "id", "ill"}
        title_case = prev.cap and not prev.sentence_start or nxt is not None and nxt.cap
        if acting and not title_case and (doing or closing):
            return True  # "mummy's friend Lucky gave him", "her bf Spider."
        unknown = (naming or label) and not _known(t.key)  # "a boy called zephyr"
        labelled = prev.key in _CUES["labels"] and (t.key in LISTED or not _known(t.key))
        shouted = t.acronym and labelled  # "Surname THORNTON"
        plain = t.cap and not t.acronym and _namelike(t)
        return listed or initials or unknown or shouted or plain
    if prev and prev.key in NAMING and re.fullmatch(r"\s*[=-]\s*", between):
        return not _known(t.key)  # "nickname - tev"
    if prev and not t.cap and re.fullmatch(r"[\s:]+", between) and _unknown(t.key):
        if prev.key in _CUES["pointers"] or prev.key in _CUES["greetings"] and closing:
            return True  # "re tevrin", "fao tevrin", "cheers tevrin"
    if prev and prev.key == "fao" and re.fullmatch(r"[\s:]+", between) and t.key in FIRST:
        return t.key not in NOT_NAMES  # "fao: mark": for the attention of a person
    initials = t.acronym and len(t.word) <= 3 and not _known(t.key)
    if prev and prev.key in _CUES["pointers"] and re.fullmatch(r"[\s:]+", between) and initials:
        return True  # "re JM"
    if prev and prev.key == "the" and nxt and nxt.key in _CUES["households"]:
        surname = t.cap and t.key in SURNAMES  # "the Ward family"
        return _unknown(t.key) or _namelike(t) or surname  # "the zhorvanka family"
    owned = nxt is not None and (nxt.key in CUES or nxt.key in _OWNED)
    if t.possessive and t.key in FIRST and owned and not (prev and prev.key in _DETERMINERS):
        return not t.acronym  # "storm's dad", "Rose's mum", "grace's social worker"
    if t.possessive and initials and nxt is not None and nxt.key in CUES:
        return True  # "KB's mum"
    joined = prev is not None and prev.key in {"and", "n", "then", "but", "so"} and between == " "
    opens = t.sentence_start or joined or prev is not None and between in (", ", ",")
    initials = t.acronym and len(t.word) <= 3 and not _known(t.key) or t.word in _LETTERS
    if opens and initials and nxt is not None and nxt.key in _CUES["deeds"]:
        return True  # "JB disclosed", "T told me"
    aged = re.match(r"\s*(?:nearly\s+|now\s+|only\s+|just\s+)?\d", after_next)
    if opens and initials and t.acronym and nxt is not None and nxt.key == "from":
        return True  # "DB from the review team"
    if opens and initials and nxt is not None and (nxt.key in {"is", "was"} and aged):
        return t.acronym  # "KB is 8", not "A is 2"
    if opens and not t.acronym and _acts(t, nxt, after_next):
        return True  # "rich told me", "kaisen rang", "hope is 14", "mark from the YOT"
    if t.acronym or len(t.word) == 1 or phrase:
        return False  # "DSL", "Plan A": a name only beside a title, a cue or another name
    if t.cap and not t.sentence_start:
        family = t.key.endswith("s") and t.key[:-1] in SURNAMES  # "the Shahs", "the Greens"
        if prev is not None and prev.key == "the":
            return family or t.key not in ENGLISH and _namelike(t)  # not "the Echo"
        first_name = t.key in FIRST and t.key not in NOT_NAMES  # "Will", "Grace" mid-sentence
        return first_name or (_namelike(t) and (not _known(t.key) or "-" in t.word))
    if t.cap:  # a sentence start: "Kai rang", "Kai's mum", "Kenzo is 4"
        acts = nxt is not None and nxt.key in _CUES["name verbs"] and not _known(t.key)
        deed = nxt is not None and nxt.key in _CUES["deeds"] and t.key in FIRST  # "Will rang"
        acts = acts or deed and t.key not in NOT_NAMES
        # "Tevrin needs a placement", "Tevrin, can you...", not "Dispose of it", "Record the..."
        after = closing or nxt is not None and re.search(r"[^s]s$|ed$", nxt.key) is not None
        alone = _unknown(t.key) and _namelike(t) and after
        hyphened = "-" in t.word and _namelike(t) and _key(t.word.split("-")[0]) in FIRST
        return _clear(t.key) or acts or alone or hyphened or (t.possessive and not _known(t.key))
    unknown_owner = t.possessive and _unknown(t.key)  # "zephyr's mum"
    unknown_owner = unknown_owner and ("-" not in t.word or _namelike(t))  # not "year-old's"
    return _clear(t.key) or ("-" in t.word and _namelike(t)) or unknown_owner


def _full_name_opens(toks: list[_Tok], j: int, gap: Callable[[int], str]) -> bool:
    """Whether a sentence opens with a first name and a surname, both capitalised, that the
    sentence then treats as a person: "Mark White, dob ...", "Will Brown will be at ...",
    "Kezia Bright born ...". Either may be an everyday word; together, in that place, they are
    a name. Not "Grace Period is", "Hope Street has" (no surname)."""
    if j + 1 >= len(toks) or gap(j) != " ":
        return False
    first, last = toks[j], toks[j + 1]
    if not (first.cap and last.cap) or first.acronym or last.acronym or first.possessive:
        return False
    if first.key in NOT_NAMES or last.key in NOT_NAMES:
        return False
    if not (first.key in FIRST or _unknown(first.key)):
        return False
    if not (last.key in SURNAMES or _unknown(last.key)):
        return False
    if j + 2 == len(toks):
        return True  # the message ends with the name
    after = gap(j + 1).strip()[:1]
    nxt = toks[j + 2].key if not after else None
    closing = after in tuple(",.;:!?()-")
    return last.possessive or closing or nxt in _CUES["name verbs"] or nxt in _PERSON_NEXT


# Titles only ever followed by a surname, whatever word it is: "mrs rice", "mr white"
_SURNAME_TITLES = {"mr", "mrs", "ms", "mx"}
# Words before a noun, so not before a name's particle: "in the van Kai said"
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "your", "this", "that"}
# Words that make a nickname with the name after them: "Big Dave", "Tall Ricky", "Little Mo"
_NICKNAMED = {"big", "little", "lil", "tall", "young", "wee", "mad", "fat", "skinny"}
# Listed first names that are mostly verbs after "and": "kai and will ring"
# "(maternal nan)", "(mum, 34)", "(mums bf, 26)": a role in brackets, perhaps with an age after it
_IN_BRACKETS = re.compile(r"\s*\((?:[a-z']+\s+){0,2}([a-z]+)(?:,\s*[^()]{1,20})?\)", re.IGNORECASE)
_VERBS_TOO = {"will", "may", "mark", "sue", "can", "pat"}
_NOT_SURNAMES = _CUES["street stop"] | _CUES["name verbs"] | _VERBS_TOO | {"can", "did", "does"}
# "jack 16 wants", "kb 15 disclosed": a number after a word, as an age (not "3 mins", "4 of")
_AGE_AFTER = re.compile(
    r"\s+\d{1,2}(?![\d:/%]|\.\d)(?:\s*[,;)]|\s*\.?$|\.\s|\s+(?!(?:mins?|minutes?|hours?|hrs?"
    r"|days?|weeks?|wks?|months?|mths?|times?|x|am|pm|of|percent|miles?|years?|yrs?|pounds?|quid|kids|children"
    r"|people|more|others|sessions|visits|calls|to|or|-)\b))",
    re.IGNORECASE,
)
# What "his name is" may be followed by that gives no name: "name is Unknown", "is Not known"
_NOT_GIVEN = {"st", "not", "unknown", "the", "a", "an", "on", "in", "redacted", "withheld", "blank"}
_NOT_GIVEN |= {"missing", "spelt", "spelled", "wrong", "different", "same", "also", "still", "now"}
_SCHOOL_YEAR_AFTER = re.compile(r"\s*\((?:yr|year|y)\s?\d{1,2}\b[^()]{0,20}\)", re.IGNORECASE)
_ITS = re.compile(r"\b(?:it['’]?s|this\s+is)\s+$", re.IGNORECASE)  # "hi its val, ..."
_FROM = re.compile(r"\s*(?:from\b|,|\(|-|here\b|at\s+the\b|in\s+the\b)", re.IGNORECASE)
_PERSON_NEXT = {"born", "dob", "aged", "age", "will", "would", "can", "wants", "needs", "says"}


def _names(masked: str) -> list[tuple[int, int]]:
    letters = [c for c in masked if c.isalpha()]
    if len(letters) > 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        if len(lowered := masked.lower()) == len(masked):
            masked = lowered  # SHOUTING: capitals say nothing, so trust only lists and cues
    toks = _tokens(masked)

    def gap(i: int) -> str:  # what lies between token i and the next
        return masked[toks[i].end : toks[i + 1].start]

    org, phrase = _phrases(toks, gap)
    name = [False] * len(toks)
    introduced: set[int] = set()
    for j, t in enumerate(toks):
        if not (org[j] or t.key in _NOT_SEEDS or t.word == "I"):
            prev, nxt = toks[j - 1] if j else None, toks[j + 1] if j + 1 < len(toks) else None
            owning = (
                nxt is not None and t.possessive and re.fullmatch(r"['’]?s ", gap(j)) is not None
            )
            spaced = nxt is not None and (gap(j) == " " or owning)
            following = nxt if spaced else None  # "Kai rang", "Rose's dad"
            closing = nxt is None or gap(j).strip()[:1] in tuple(",.!?;:)(&-/")
            later = masked[following.end : following.end + 20] if following else ""
            name[j] = _seed(t, prev, gap(j - 1) if j else "", following, phrase[j], closing, later)
            said = j > 1 and toks[j - 1].key in {"is", "was"} and gap(j - 2) == gap(j - 1) == " "
            named = said and toks[j - 2].key in NAMING  # "her surname is zhorvanka"
            listed = t.key in LISTED and t.key not in CORE and t.key not in NOT_NAMES
            named = named or said and toks[j - 2].key in CUES and listed  # "partner is jack"
            kin = said and (toks[j - 2].key in CUES or toks[j - 2].key == "family")
            unknown = _unknown(t.key) and len(t.key) > 3
            named = named or kin and closing and unknown  # "aunt is nasreen."
            with_age = _AGED_NEXT.match(masked, t.end) is not None
            named = named or kin and t.cap and not t.acronym and with_age  # "brother is Wolf, 6"
            year = _SCHOOL_YEAR_AFTER.match(masked, t.end)  # "re summer (yr 9)"
            if year and not t.acronym and (t.key in FIRST or _unknown(t.key)):
                name[j] = name[j] or t.key not in PERSONS and t.key not in NOT_NAMES
            name[j] = name[j] or named and (listed or not _known(t.key))
            told = named and t.cap and t.key not in _NOT_GIVEN and not t.acronym
            name[j] = name[j] or told  # "his name is Junior", "dads name is Christian"
            # In lower case a first name that is also a word needs a stronger sign: "mum is
            # hope", "hi its will from yot", an age after it ("jack 16 wants", "kb 15 disclosed")
            lower_given = t.key in FIRST and t.key not in NOT_NAMES and not t.cap
            strong = said and toks[j - 2].key in CUES
            strong = strong or bool(_ITS.search(masked, max(0, t.start - 12), t.start))
            strong = strong and bool(_FROM.match(masked, t.end)) or strong and said
            if not t.cap and _AGE_AFTER.match(masked, t.end) and t.key not in _NOT_BEFORE_AGE:
                pair = len(t.word) == 2 and not _known(t.key) and t.key not in ENGLISH
                name[j] = name[j] or lower_given or pair
            name[j] = name[j] or strong and lower_given
            role = _IN_BRACKETS.match(masked, t.end)  # "LM (mum) 23 and RM (dad) 26"
            if role and _key(role.group(1)) in CUES and t.acronym and len(t.word) <= 3:
                name[j] = name[j] or not _known(t.key)
            if _AGED_NEXT.match(masked, t.end):  # "about mahnoor, 14,", "KL, 14, disclosed"
                initials = t.acronym and len(t.word) <= 3 and not _known(t.key)
                word = not t.acronym and (_unknown(t.key) or t.key in LISTED)
                name[j] = name[j] or initials or word
            if t.sentence_start and _introduces(toks, j, masked):  # "drew 15 (leaving care)"
                name[j] = True
                if (both := _INTRODUCED.match(masked, t.end)) and both.group("and"):
                    introduced.add(j + 2)  # "lucky 9 and chance 7": once the loop has passed it
            if t.sentence_start and _full_name_opens(toks, j, gap):  # "Mark White, dob ..."
                name[j] = name[j + 1] = True
    for j in introduced:
        name[j] = name[j] or toks[j].key not in _NOT_INTRODUCED | PERSONS
    _capitals_before_ages(toks, name, masked, gap)
    _names_in_capitals(toks, name, gap)
    _lower_case_names(toks, name, org, masked, gap)
    _surname_first(toks, name, gap)
    grown = True
    while grown:  # grow each name over the surname-like words beside it
        grown = False
        for j in [j for j, is_name in enumerate(name) if is_name]:
            for k in (j - 1, j + 1):
                if not 0 <= k < len(toks) or name[k] or org[k] or toks[k].key in _NOT_SEEDS:
                    continue
                t, lo = toks[k], min(j, k)
                if toks[lo].possessive or not re.fullmatch(r"\.?\s+", gap(lo)):
                    continue
                if "." in gap(lo) and len(toks[lo].word) > 1 and len(t.word) > 1:
                    continue  # "J. Smith", "Mark. K x", but not "Amira Chaudhry. Forced marriage"
                shouted = t.acronym and len(t.word) > 3 and not _known(t.key) and k == j + 1
                shouted = shouted and toks[j].cap and not toks[j].acronym  # "Grace AKINTOLA"
                if k == j - 1 and t.cap and t.key in _NICKNAMED and toks[j].cap:
                    name[k] = grown = True  # "Big Dave", "Tall Ricky", "'Little Mo'"
                    continue
                unlisted = t.key not in LISTED
                if t.word == "I" or (phrase[k] or t.acronym and not shouted) and unlisted:
                    continue  # "Kai YOT" has no surname, "Tyler SMITH" has
                alone = k + 1 == len(toks) or gap(k).strip()[:1] in tuple("(,.;)")
                texting = t.word in set("aiuryxcbkn") and not (
                    alone and t.word == "n"
                )  # "jamal n tia"
                small = not toks[j].cap and not texting and (alone or _given(toks[j]))
                small = small and k > j  # "rohan m (yr 8)", "emma j and emma h"
                initial = len(t.word) == 1 and (t.word.isupper() and t.word not in "IA" or small)
                initial = initial or k == j - 1 and t.word == "A" and gap(k) == ". "  # "A. Mensah"
                one = len(t.word) == 1 and t.word not in "iI" and k == j - 1 and k > 0
                initial = initial or one and toks[k - 1].key in TITLES  # "mr a. rahman"
                aged = not t.cap and not toks[j].cap and _AGED_NEXT.match(masked, toks[j].end)
                given = k == j - 1 and aged and t.key not in COMMON and t.key not in NOT_NAMES
                surname = k > j and toks[j].key in FIRST and t.cap and t.key in SURNAMES
                titled = j > 0 and toks[j - 1].key in TITLES  # "DS Mark Fenwick"
                first = toks[j].cap and toks[j].key in FIRST and (_clear(toks[j].key) or titled)
                placed = t.key not in NOT_NAMES or t.key in UK_PLACES  # "Kelly Sutton"
                placed = placed or titled and j > 0 and k == j + 1  # "DC Lena Park"
                placed = placed or first and t.key in SURNAMES  # "Kelsey Brook", "Jason Lord"
                surname = surname or shouted
                plain = t.cap and not t.acronym and not t.sentence_start and placed
                surname = surname or k > j and first and plain  # "Leanne Bright", "Terry Cook"
                # "Mrs Mavis Senior", not "Mrs Smith Tuesday"
                after_title = k == j + 1 and titled and plain and t.key not in NOT_NAMES
                surname = surname or after_title
                cued = k == j - 1 and k > 0 and toks[k - 1].key in CUES and gap(k - 1) == " "
                given = given or cued and t.cap and t.key in FIRST  # "mum Chelsea Dyson"
                lower = not toks[j].cap and not t.cap and _given(toks[j]) and t.key in SURNAMES
                lower = lower and t.key not in _NOT_SURNAMES  # "ruby wood", not "kai will"
                # "tom rich rang", "amelia north nhs ...", "jamie north (dad)": an everyday word
                # that is a common surname, after a first name, where what follows is a person's
                known_first = _given(toks[j]) or toks[j].key in FIRST  # "sue wood, 15 kiln row"
                worded = not toks[j].cap and not t.cap and known_first and k == j + 1
                worded = worded and t.key in WORD_SURNAMES and t.key not in _NOT_AFTER_GIVEN
                person_after = _PERSON_AFTER.match(masked, t.end) or _AGE_AFTER.match(masked, t.end)
                lower = lower or worded and person_after is not None
                surname = surname or k == j + 1 and lower
                # "tyler rice, both 16", "kian bolton d.o.b": in lower case, the word between a
                # first name and an age or a date of birth is a surname, whatever else it is
                aged_after = k == j + 1 and not toks[j].cap and not t.cap and _given(toks[j])
                aged_next = bool(_AGED_NEXT.match(masked, t.end))
                ends = t.key not in COMMON or t.key in WORD_SURNAMES  # not "kai about 30,"
                aged_next = aged_next or ends and _AGE_ENDS.match(masked, t.end) is not None
                aged_after = aged_after and len(t.word) > 1 and aged_next
                surname = surname or aged_after and t.key not in _NOT_AFTER_GIVEN
                given = (
                    given or k < j and t.key in FIRST and toks[j].key in SURNAMES
                )  # "hope smith"
                particle = t.key in _CUES["particles"] and k > j and k + 1 < len(toks)
                before = toks[j].cap or toks[j].key in _CUES["particles"]  # "van der Merwe"
                particle_before = k == j - 1 and t.key in _CUES["particles"] and before
                particle_before = particle_before and not (k and toks[k - 1].key in _DETERMINERS)
                lower_or_first = toks[j].key in FIRST or not toks[j].cap  # "re tevrin zhorvanka"
                unknown_pair = not t.cap and not toks[j].cap and _unknown(toks[j].key)
                given = given or k < j and unknown_pair and _unknown(t.key)  # "nirojan balasu..."
                surname = surname or k > j and lower_or_first and not t.cap and _unknown(t.key)
                if (
                    initial
                    or surname
                    or given
                    or _namelike(t)
                    or particle
                    and _namelike(toks[k + 1])
                    or particle_before
                ):
                    name[k] = grown = True
            for k in (j - 1, j + 1):  # "TJ (Terrell-James Osei)", "Tilly (TB)": initials
                lo = min(j, k)
                if 0 <= k < len(toks) and not name[k] and gap(lo).strip() == "(":
                    closed = k < j or masked[toks[k].end : toks[k].end + 1] == ")"
                    same = toks[k].word[0] == toks[j].word[0]  # "TJ (Terrell-James)", not "TM (Jo)"
                    short = toks[k].acronym or len(toks[k].word) == 2  # "tj (tyrone jackson)"
                    if closed and same and short and len(toks[k].word) <= 3:
                        name[k] = grown = not _known(toks[k].key)
            k = j - 1  # "SMITH, John": a surname in capitals before a comma
            if k >= 0 and not name[k] and toks[k].acronym and toks[k].key in SURNAMES:
                if gap(k) == ", " and toks[j].cap and not toks[j].acronym:
                    name[k] = grown = True
            for k, joint in ((j - 2, j - 1), (j + 2, j + 1)):  # "Ola and Tayo Adeyemi"
                if not 0 <= k < len(toks) or name[k] or org[k] or toks[k].key in _NOT_SEEDS:
                    continue
                t, lo = toks[k], min(j, k)
                spaced = gap(lo) == " " and gap(lo + 1) == " "
                lower = not t.cap and not toks[j].cap and _given(t)  # "faith and summer okonkwo"
                if spaced and toks[joint].key in {"and", "or", "n"} and not toks[lo].possessive:
                    if lower or t.cap and not t.acronym and not phrase[k] and _namelike(t):
                        if t.key in FIRST or not _known(t.key):
                            name[k] = grown = True
    dobs = [m.span() for m in re.finditer(r"d\.\s?o\.\s?b", masked, re.IGNORECASE)]
    for j, t in enumerate(toks):  # "Kai Smith D.O.B 4/5/11": the D, O and B are no initials
        if name[j] and any(start <= t.start < end for start, end in dobs):
            name[j] = False
    for j, t in enumerate(toks):  # "Suspect: Connor Tate", "From: Nasreen Hussain To: MASH"
        label = _known(t.key) or t.key in ENGLISH or t.key in _LABELS  # "Addr:", not "Tayla:"
        if name[j] and t.cap and label and masked.startswith(":", t.end):
            name[j] = False  # a label, as forms and email headers write one
    _again(toks, name, org)
    return [(t.start, t.end) for t, is_name in zip(toks, name, strict=True) if is_name]


# What a child did, after a first name that opens a clause: "jack kicked off at tea time"
_DID = {"kicked", "cried", "screamed", "smashed", "threw", "locked", "legged", "ran", "went"}
_DID |= {"took", "broke", "hit", "punched", "bit", "refused", "shouted", "swore", "lashed"}
_DID |= {"absconded", "disclosed", "self-harmed", "turned", "walked", "stormed", "slept", "stayed"}
# Words that end in the way a verb does after a name: "manjit took", "jas keeps"
_VERBLIKE = re.compile(
    r"(?:[^s]s|ed)$|^(?:took|went|came|got|ran|saw|left|hit|kept|told|gave|sold|brought|bought|said)$"
)
# Family words after which even an everyday first name is a name: "her nan june", "mum dawn"
_FAMILY = _KIN | {"mother", "father", "brother", "sister", "stepdad", "stepmum", "partner"}
_FAMILY |= {"boyfriend", "girlfriend", "husband", "wife", "son", "daughter", "fella", "bf", "gf"}
_FAMILY |= {"sibling", "twin", "nanny", "grandmother", "grandfather", "stepsister", "stepbrother"}
_KIN_CUES = _FAMILY | {"friend", "mate", "bro", "sis", "pal"}  # "mums friend jas", "bro tj"
# Where a home named by its owner's name stops: "her mate leannes on clay pit lane"
_AT_HOME = re.compile(r"\s*(?:[,.;!?)]|$)|\s+(?:on|in|at|house|place|flat|for|last|since)\b")
# Words before "family" that say which one, not whose: "the foster family", "the rose family"
_WHICH_FAMILY = {"foster", "host", "birth", "young", "whole", "same", "wider", "extended", "new"}
_WHICH_FAMILY |= {"adoptive", "kinship", "other", "entire", "blended", "current", "previous"}
_WHICH_FAMILY |= {"original", "next", "first", "second", "respite", "link", "connected", "royal"}
_MONTH_NAMES = {"april", "june", "july", "august"}  # "nan june": a name after a family word
# What a child or a parent has, after a possessive typed without its apostrophe: "kaydens dad",
# "graces new school", "tashas marac action"
_OWNED = CUES | {"new", "old", "own", "school", "file", "plan", "cp", "cin", "ehcp", "address"}
_OWNED |= {"phone", "number", "name", "passport", "account", "records", "record", "flat", "house"}
_OWNED |= {"room", "placement", "referral", "case", "review", "assessment", "birthday", "bedroom"}
_OWNED |= {"marac", "pep", "chronology", "health", "hiv", "status", "details", "step", "foster"}
_OWNED |= {"social", "mobile", "contact", "home", "place", "siblings", "sisters", "brothers"}
_OWNED |= {"probation", "youth", "key", "personal", "support", "gp", "nursery", "class", "form"}
_OWNED |= {"door", "party", "weight", "bf", "gf", "car", "bike", "stuff", "clothes", "bag"}
_OWNED |= {"arm", "arms", "leg", "legs", "face", "head", "hand", "hands", "neck", "eye", "eyes"}
_OWNED |= {"inhaler", "meds", "medication", "tablets", "glasses", "teeth", "hair", "bruise"}
_OWNED |= {"bruises", "injury", "injuries", "diary", "attendance", "behaviour", "been", "got"}
_OWNED_BY_UNKNOWN = CUES | {"foster", "social", "school", "key", "youth", "probation", "mobile"}
_OWNED_BY_UNKNOWN |= {"phone", "number", "address", "file", "records", "plan", "case", "placement"}
# Where a lower-case name may open a clause: "jack white 9 ...", "..., destiny long 16", "for
# alesha marsh, 04/04/2009"
_OPENS = re.compile(
    r"(?:^|[.!?,;:(\n-]|\b(?:and|n|for|re|with|to|about|on|says|said|told|that|but|so|then)\b)\W*$",
    re.IGNORECASE,
)
# A role after a name: "rich the key worker", "bill the grandad"
_THE_ROLE = re.compile(r"\s+the\s+((?:[a-z]+\s+){0,2}[a-z]+)\b", re.IGNORECASE)
# After a lower-case surname: an age, a date of birth, a number the person has, a pause or a deed
_PERSON_AFTER = re.compile(
    r"\s*(?:[,()]|[-–]\s|\.\s|\.?$)|\s+(?:nhs|upn|mosaic|ref|case|dob|d\.o\.b|born|aged?|rang|says|said"
    r"|told|wants|wanted|keeps|is\s+\d|was\s+\d)\b",
    re.IGNORECASE,
)


def _big(toks: list[_Tok], j: int, gap: Callable[[int], str]) -> bool:
    """Whether token ``j`` follows "big" or "lil" in lower case, as a nickname: "big mo"."""
    prev = toks[j - 1] if j else None
    if prev is None or prev.cap or gap(j - 1) != " ":
        return False
    owned = j > 1 and toks[j - 2].key in _DETERMINERS  # "her little kai" is no nickname
    return prev.key in {"big", "lil"} or prev.key == "little" and not owned  # "little tony"


def _first_before(prev: _Tok, j: int, org: list[bool], gap: Callable[[int], str]) -> bool:
    """Whether the word before token ``j`` may be a first name in lower case beside it."""
    return gap(j - 1) == " " and not prev.cap and not org[j - 1]


def _opens_at(masked: str, at: int) -> bool:
    return _OPENS.search(masked, max(0, at - 12), at) is not None


# What a worker does with a person, and what may follow the person: "saw amber at school"
_MET = re.compile(
    r"\b(?:saw|seen|see|seeing|visited|visiting|rang|phoned|called|texted|txted|met|collected"
    r"|dropped|took|picked\s+up|(?:spoke|met|sat\s+down)\s+(?:to|with|w))\s+$",
    re.IGNORECASE,
)
_MET_WHERE = re.compile(
    r"\s*(?:[,.;!?)]|$)|\s+(?:at|from|to|twice|again|today|yesterday|tonight|and|n|no|off|back"
    r"|after|before|this|last|re|about|on)\b",
    re.IGNORECASE,
)
# Two people's ages after their names: "river n storm r 3", "grace and hope are sisters 12 and 10"
_ARE_AGED = re.compile(
    r"\s+(?:are|r|were)\s+(?:(?:both|twins|sisters|brothers|siblings|aged|only|nearly)\s+)*\d",
    re.IGNORECASE,
)
# What two people's initials may be followed by: "JS and KO both named", "JB and TB are"
_TOGETHER = re.compile(
    r"\s+(?:both|are|were|have|had|said|told|disclosed|live|lived|went|ran|got)\b", re.IGNORECASE
)
_GOES_BY = re.compile(r"\b(?:go(?:es)?\s+by|went\s+by|known\s+as|calls\s+(?:him|her)self)\s+$")
# An age and then a word, after a name that opens a message or follows another's age: "paris 6
# mum taking her", "nevaeh 8 ace 3" (not "6 of them", "3 mins")
_AGE_THEN_WORD = re.compile(
    r"\s+\d{1,2}(?:\s+(?!(?:of|mins?|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|mths?|years?"
    r"|yrs?|times?|x|am|pm|to|or|and|percent|people|kids|children|more|others)\b)[a-z]|\s*$)",
    re.IGNORECASE,
)
# An age after a surname that ends what is said of the child, or before what they do: "gemma
# pickles 5 and", "connor hey 15 lives at", "jack leeds 9 (yes thats his surname)"
_AGE_ENDS = re.compile(
    r"\s+\d{1,2}(?:\s*[,;)(]|\s*\.?$|\.\s|\s+(?:and|&|n|is|was|lives|has|at|in|from|now)\s)",
    re.IGNORECASE,
)
# An age after a capitalised first name at the head of a list or a sentence: "Mercy 10 [Destiny]
# 7", "Hope 16 says", "Gypsy 4 - thats her name" (not "Section 47 strategy", no first name)
_CAPITAL_AGED = re.compile(
    r"\s+\d{1,2}(?![\d:/%]|[.,]\d)(?:\s*[,;)(]|\s*\.?$|\.\s|\s+[-–]\s|\s+\x00|\s+(?-i:[A-Z])"
    r"|\s+(?:and|&|n|is|was|has|says|said|in|at|lives|from|with|stabbed|told)\b)",
    re.IGNORECASE,
)
# The same after a capitalised word no list has, where only a person fits: "Ceejay 14 [Tyrese]",
# "Lemar 16 stabbed" (not "kv. Mladost 1, bl. 45", an address abroad)
_UNKNOWN_AGED = re.compile(
    r"\s+\d{1,2}(?:\s+\x00|\s+[-–]\s|\s+(?:is|was|has|says|said|lives|stabbed|told)\b)", re.I
)
# An age before another person of the family: "ameer 14 and his cousin", "lola 9 & her brother"
_AGE_AND_KIN = re.compile(r"\s+\d{1,2}\s+(?:and|&|n)\s+(?:his|her|their)\b", re.IGNORECASE)
# An age that ends a child's place in a list: "..., chelsea 7, and", "... and max 8."
_AGE_IN_LIST = re.compile(r"\s+\d{1,2}(?:\s*[,;)]|\s*\.?$|\.\s|\s+(?:and|&|n)\s)", re.IGNORECASE)
# Before a child in a list of children and their ages: "deacon 10 nevaeh 8", "[NAME] 9, chelsea
# 7", "... 10 and max 8", "the kids are rajveer 10"
_AN_AGE_BEFORE = re.compile(
    r"(?:(?<![\d/.:])\d{1,2}(?:\s*,|\s+(?:and|&|n))?|\b(?:kids|children|twins|boys|girls|siblings)"
    r"\s+(?:are|r)|\b(?:kids|children):)\s+$",
    re.IGNORECASE,
)
# A role after "is": "joy is mums sister", "frank is the grandad", "jan is a carer"
_IS_ROLE = re.compile(
    r"\s*(?:the|a|an|my|our|his|her|their|mums?|mams?|dads?|nans?|grans?|[a-z]+['’]s)\s+"
    r"(?:(?:new|old|foster|kinship|step|paternal|maternal|birth|real|other|main)\s+)*"
    r"(?P<r>[a-z]+)\b(?![’'])",
    re.IGNORECASE,
)
# Two people's role after their names: "pat and sue r the foster carers", "mark and faith are
# family friends"
_ARE_ROLE = re.compile(
    r"\s+(?:are|r|were)\s+(?:(?:the|our|my|his|her|their|both|family|foster|kinship|respite|new"
    r"|old|paternal|maternal|special)\s+)*(?P<r>[a-z]+)\b",
    re.IGNORECASE,
)
# What a person, not a thing, is doing: "india is staying with her", "grace is on a cp plan"
_IS_DOING = re.compile(
    r"\s+(?:is|was|s)\s+(?:still\s+|now\s+|not\s+)?(?:staying|living|refusing|drinking|using"
    r"|self[\s-]harming|missing|saying|telling|asking|crying|struggling|sleeping|smoking"
    r"|attending|placed|back\s+(?:in|at|with|home)|on\s+(?:a|the)\s+(?:cp|cin|child)|in\s+(?:care"
    r"|hospital|custody|foster)|at\s+(?:her|his|their)\b|pregnant|scared)\b",
    re.IGNORECASE,
)
_TELLS = {"says", "said", "that", "know", "knows", "confirm", "tell", "think", "thinks", "and", "n"}
_IS_AGED, _DIGIT_NEXT = re.compile(r"\s+(?:is|was)\s+\d"), re.compile(r"\s*\d")


@dataclass(frozen=True)
class _Word:
    """A lower-case word and what its neighbours say of it, for the rules below."""

    j: int  # its index among the tokens
    t: _Tok
    prev: _Tok | None
    after: _Tok | None  # the next word, when a single space stands between
    given: bool  # a listed first name, though no verb: "faith", "summer"
    pair: bool  # two letters that are no word: "dj", "kb"
    initials: bool  # "TW", "KB"
    aged: bool  # a number after it that reads as an age
    opens: bool  # it opens a clause
    pronoun: bool  # the word before is a pronoun or a modal: "she hopes", "will mark"


def _names_in_capitals(toks: list[_Tok], name: list[bool], gap: Callable[[int], str]) -> None:
    """A first name and a surname pasted in capitals from a system: "KACPER WISNIEWSKI DOB",
    "PARTIES WAYNE STOREY" (a listed first name that is no everyday word, then a word that is no
    known one; not "MARK AS READ", "CAFCASS NOTE")."""
    for j in range(len(toks) - 1):
        t, nxt = toks[j], toks[j + 1]
        if not (t.acronym and nxt.acronym and len(t.word) > 2 and len(nxt.word) > 2):
            continue
        first = t.key in FIRST and t.key not in COMMON and t.key not in NOT_NAMES
        if first and gap(j) == " " and not _known(nxt.key):
            name[j] = name[j + 1] = True


_DIGIT_NEXT_WORD = re.compile(r"\s+\d")


def _capitals_before_ages(
    toks: list[_Tok], name: list[bool], masked: str, gap: Callable[[int], str]
) -> None:
    """A capitalised word before an age, heading a sentence or a list of children: "Mercy 10
    Destiny 7", "Hope 16 says", "Chase 7 and Cash 3", "Ceejay 14 Tyrese 11"."""
    for j, t in enumerate(toks):
        if not t.cap or t.acronym or not _DIGIT_NEXT_WORD.match(masked, t.end):
            continue
        listed = j > 0 and (
            gap(j - 1).strip() in {",", "-", "–", "("}
            or _AN_AGE_BEFORE.search(masked, max(0, t.start - 16), t.start) is not None
        )
        first = t.key in FIRST and t.key not in _NOT_FIRST_BEFORE_AGE and t.key not in UK_PLACES
        unknown = not first and _unknown(t.key) and t.key not in NOT_NAMES
        if not (first or unknown) or not (t.sentence_start or listed):
            continue
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        sibling = nxt is not None and nxt.cap and nxt.key in FIRST
        aged = (_CAPITAL_AGED if first else _UNKNOWN_AGED).match(masked, t.end) is not None
        name[j] = name[j] or aged or sibling and re.fullmatch(r"\s+\d{1,2}\s+", gap(j)) is not None


def _lower_case_names(
    toks: list[_Tok], name: list[bool], org: list[bool], masked: str, gap: Callable[[int], str]
) -> None:
    """Names typed in lower case that only their neighbours give away: an age after them
    ("destiny long 16"), what they own ("kaydens dad"), the company they keep ("nan june",
    "dawn (mum)", "saw amber at school")."""
    n = len(toks)
    for j in range(1, n):
        if name[j] and _big(toks, j, gap):
            name[j - 1] = True  # "big dave", when "dave" is found already
    for j, t in enumerate(toks):
        if name[j] or org[j] or t.cap and not t.acronym or t.key in _NOT_SEEDS:
            continue
        pair = len(t.word) == 2 and not _known(t.key) and t.key not in ENGLISH  # "dj baker 17"
        initials = t.acronym and 2 <= len(t.word) <= 3 and not _known(t.key)
        could = t.key in LISTED or pair or initials or t.word.endswith("s") or len(t.word) == 1
        if not (could or _unknown(t.key)):
            if t.key not in COMMON and _in_child_list(toks, j, name, masked):
                name[j] = True  # "kids are dotty 5 and ...", "[NAME] 9 and diamond 5."
            continue  # an everyday word that is no name, whatever stands beside it
        prev = toks[j - 1] if j else None
        aged = _AGE_AFTER.match(masked, t.end) or _AGED_NEXT.match(masked, t.end)
        word = _Word(
            j,
            t,
            prev,
            toks[j + 1] if j + 1 < n and gap(j) == " " else None,
            given=t.key in FIRST and t.key not in _VERBS_TOO | _MODALS,
            pair=pair,
            initials=initials,
            aged=aged is not None,
            opens=bool((aged or t.key in FIRST or pair) and _opens_at(masked, t.start)),
            pronoun=prev is not None and prev.key in _PRONOUNS | _MODALS,
        )
        _aged_names(word, toks, name, org, masked, gap)
        _owners(word, name, masked, gap)
        _names_by_company(word, toks, name, masked, gap)
    for j in range(n - 2):  # "paris and king are twins", "dev and sav are brothers"
        a, b = toks[j], toks[j + 2]
        if toks[j + 1].key not in {"and", "n", "&"} or name[j] and name[j + 2] or a.cap or b.cap:
            continue
        role = _ARE_ROLE.match(masked, b.end)
        said = _key(role.group("r")).removesuffix("s") if role else ""
        if said not in CUES:
            continue
        others = [t for t, found in ((a, name[j]), (b, name[j + 2])) if not found]
        siblings = said in {"twin", "brother", "sister", "sibling", "cousin"}
        if (siblings or len(others) == 1) and all(
            t.key in LISTED or _unknown(t.key) for t in others
        ):
            name[j] = name[j + 2] = True


_KIDS_ARE = re.compile(
    r"\b(?:(?:kids|children|twins|siblings)\s+(?:are|r)|(?:yp|child|girl|boy|kid|baby|son|daughter)"
    r"\s*,)\s+$",
    re.IGNORECASE,
)
_AGE_THEN_DEED = re.compile(r"\s+\d{1,2}\s+(?P<d>[a-z]+)", re.IGNORECASE)


def _in_child_list(toks: list[_Tok], j: int, name: list[bool], masked: str) -> bool:
    """Whether a word with an age after it is one of a list of children and their ages: after
    "kids are", or after a name found and its age ("kian 9 and diamond 5", not "3 and page 5")."""
    t = toks[j]
    if not (_AGE_IN_LIST.match(masked, t.end) or _AGE_THEN_WORD.match(masked, t.end)):
        return False
    if _KIDS_ARE.search(masked, max(0, t.start - 20), t.start):
        return True
    if t.sentence_start and (deed := _AGE_THEN_DEED.match(masked, t.end)):
        return _key(deed.group("d")) in _CUES["deeds"]  # "cherry 10 told her teacher"
    k = j - 1 if j and toks[j - 1].key in {"and", "n"} else j
    aged = k > 0 and re.fullmatch(r"\s+\d{1,2}\s*,?\s*", masked[toks[k - 1].end : toks[k].start])
    return bool(aged) and name[k - 1]


def _aged_names(
    w: _Word,
    toks: list[_Tok],
    name: list[bool],
    org: list[bool],
    masked: str,
    gap: Callable[[int], str],
) -> None:
    """A name the ages beside it give away: "TW 13 disclosed", "farid ahmadi 11", "paris 6 mum
    taking her", "mj is 14", "jack white 9", "river n storm r 3"."""
    j, t, prev = w.j, w.t, w.prev
    n = len(toks)
    if w.aged and (w.initials or w.opens and _unknown(t.key)):
        name[j] = True  # "TW 13 disclosed", "kyra 15 been going to"
    if w.aged and prev is not None and _unknown(t.key) and _first_before(prev, j, org, gap):
        opened = _given(prev) or _unknown(prev.key) and _opens_at(masked, prev.start)
        if opened:
            name[j - 1] = name[j] = True  # "farid ahmadi 11. can i"
    first_name = (t.key in FIRST or _unknown(t.key)) and t.key not in _NOT_FIRST_BEFORE_AGE
    listed = t.sentence_start or _AN_AGE_BEFORE.search(masked, max(0, t.start - 16), t.start)
    in_list = listed and not t.sentence_start and _AGE_IN_LIST.match(masked, t.end)
    in_list = in_list or t.sentence_start and _AGE_AND_KIN.match(masked, t.end)  # "and his cousin"
    if first_name and listed and (_AGE_THEN_WORD.match(masked, t.end) or in_list):
        name[j] = True  # "paris 6 mum taking her", "deacon 10 nevaeh 8 ace 3", "... and max 8."
    after = w.after
    if after is not None and after.key in {"is", "was"} and t.key in FIRST and j + 1 < n:
        plain = t.key in _NOT_FIRST_BEFORE_AGE or prev is not None and prev.key in _DETERMINERS
        if not plain and _AGE_ALONE.match(masked, after.end):
            name[j] = True  # "anyway brook is 10, his dad", "paris - paris is 7 -"
    deed = w.after is not None and w.after.key in _CUES["deeds"]
    if w.pair and not t.cap and (t.sentence_start or w.opens) and deed:
        name[j] = True  # "jb said her stepdad hit her"
    if w.pair and not t.cap and (t.sentence_start or w.opens) and _IS_AGED.match(masked, t.end):
        name[j] = True  # "mj is 14", "..., kb is 14"
    unknown_first = _unknown(t.key) and _opens_at(masked, t.start)  # "gran (mags hall 67)"
    named_first = (t.key in FIRST or w.pair) and w.opens or unknown_first  # "will brown 16"
    if j + 1 < n and gap(j) == " " and named_first and not toks[j + 1].cap and not w.aged:
        last = toks[j + 1]
        surname = last.key in WORD_SURNAMES and last.key not in _NOT_AFTER_GIVEN
        aged = _AGED_NEXT.match(masked, last.end) or _AGE_AFTER.match(masked, last.end)
        if surname and aged:  # "jack white 9 school dsl asking", "destiny long 16, wants"
            name[j] = name[j + 1] = True
    pair_of = j + 2 < n and toks[j + 1].key in {"and", "n"} and gap(j) == gap(j + 1) == " "
    other = toks[j + 2] if pair_of else None
    if (w.given or _unknown(t.key)) and other and not other.cap:
        if (_given(other) or _unknown(other.key)) and _ARE_AGED.match(masked, other.end):
            name[j] = name[j + 2] = True  # "river n storm r 3 and 18 months"
    first = t.key in FIRST and t.key not in _MODALS | _PRONOUNS
    if first and other and not other.cap and other.key in FIRST:
        role = _ARE_ROLE.match(masked, other.end)  # "pat and sue r the foster carers"
        if role and _key(role.group("r")).removesuffix("s") in CUES:
            name[j] = name[j + 2] = True


def _owners(w: _Word, name: list[bool], masked: str, gap: Callable[[int], str]) -> None:
    """A name that owns something, its apostrophe dropped: "kaydens dad", "chelseas bf",
    "her mate leannes on clay pit lane", and families: "the rose family", "the nowaks"."""
    j, t, prev, after = w.j, w.t, w.prev, w.after
    plural = t.word.endswith("s") and not t.possessive and t.key not in COMMON  # not "this"
    stem = t.key[:-1] if plural else ""
    owner = t.possessive and t.key in FIRST or stem in FIRST and stem not in NOT_NAMES
    kin_after = after is not None and after.key in CUES  # "chelseas bf", "indias aunty"
    owner = owner or stem in FIRST and kin_after
    unknown = _unknown(stem) and not stem.endswith("s") and not t.acronym  # "petrits nan"
    owned = after is not None and (after.key in _FAMILY or after.key in _OWNED_BY_UNKNOWN)
    owner = owner or unknown and owned  # "kezias foster carer"
    friend = prev is not None and prev.key in _KIN_CUES and gap(j - 1) == " "
    home = friend and plural and t.key not in ENGLISH and (stem in FIRST or unknown)
    home = home and _AT_HOME.match(masked, t.end) is not None
    if home and stem not in NOT_NAMES:
        name[j] = True  # "her mate leannes on clay pit lane", "his girlfriend megans in"
    the = prev is not None and prev.key == "the" and gap(j - 1) == " "
    households = after is not None and after.key in _CUES["households"]
    if the and households and t.key in LISTED and t.key not in _WHICH_FAMILY:
        name[j] = True  # "the rose family"
    if the and plural and _clear(stem) and stem in SURNAMES and not t.possessive:
        name[j] = True  # "strat for the nowaks"
    if owner and after is not None and after.key in _OWNED and not w.pronoun:
        name[j] = True  # "kaydens dad", "graces new school", "RJs mum"


def _names_by_company(
    w: _Word, toks: list[_Tok], name: list[bool], masked: str, gap: Callable[[int], str]
) -> None:
    """A name the words around it give away: "nan june", "dawn (mum)", "rich the key worker",
    "big mo", "saw amber at school", "JS and KO both", "goes by ty"."""
    j, t, prev = w.j, w.t, w.prev
    family = prev is not None and prev.key in _FAMILY and gap(j - 1) == " "
    word_name = w.given and (t.key not in NOT_NAMES or t.key in _MONTH_NAMES)
    named = _unknown(t.key) and len(t.key) > 3 and bool(_PERSON_AFTER.match(masked, t.end))
    if family and not t.possessive and (word_name or named):
        name[j] = name[j] or not _DIGIT_NEXT.match(masked, t.end)  # not "mum june 3rd"
    placed = t.key in FIRST and t.key in NOT_NAMES  # a place that is a name: "chelsea", "india"
    if family and placed and w.after is not None and w.after.key in _CUES["deeds"]:
        name[j] = True  # "mum chelsea says she forgot"
    first = t.key in FIRST and t.key not in _VERBS_TOO | _MODALS | _PRONOUNS | _CALENDAR
    told = prev is None or t.sentence_start or prev.key in _TELLS or gap(j - 1).strip() == ","
    if first and told and _IS_DOING.match(masked, t.end):
        name[j] = True  # "says india is staying with her", "hope is back in hospital"
    role = _IN_BRACKETS.match(masked, t.end)  # "dawn (mum) says", "summer (twins, 6)"
    said = _key(role.group(1)) if role else ""
    if (
        role
        and (said in CUES or said.removesuffix("s") in CUES)
        and (t.key in FIRST or _unknown(t.key))
    ):
        name[j] = True
    the_role = _THE_ROLE.match(masked, t.end)  # "rich the key worker", "bill the grandad"
    role_words = the_role.group(1).split() if the_role else []
    wish = t.key in {"hope", "trust", "wish"} or w.pronoun  # "hope the carer agrees"
    if w.given and not wish and any(_key(r) in CUES for r in role_words):
        name[j] = True
    letter = len(t.word) == 1 and t.key not in {"a", "i"}
    if _big(toks, j, gap) and (w.given or w.pair or letter or _unknown(t.key)):
        name[j - 1] = name[j] = True  # "big mo", "lil t", "big al"
    met = w.given and _MET.search(masked, max(0, t.start - 14), t.start) and not w.pronoun
    if met and _MET_WHERE.match(masked, t.end):
        name[j] = True  # "saw amber at school", "rang grace twice", "picked up summer from"
    n = len(toks)
    if w.initials and j + 2 < n and toks[j + 1].key in {"and", "&"} and gap(j) == gap(j + 1):
        other = toks[j + 2]  # "JS and KO both named", "JB and TB are the same family"
        both = other.acronym and 2 <= len(other.word) <= 3 and not _known(other.key)
        if both and _TOGETHER.match(masked, other.end):
            name[j] = name[j + 2] = True
    nicknamed = _GOES_BY.search(masked, max(0, t.start - 20), t.start)
    if nicknamed and (w.given or w.pair or _unknown(t.key)):
        name[j] = True  # "tyler goes by ty", "known as pete"


def _surname_first(toks: list[_Tok], name: list[bool], gap: Callable[[int], str]) -> None:
    """Names as case systems write them, opening a line: "KENNEDY-BROWN, Harley", "DE LA TORRE,
    Mateo", "Ward, Bradley", "Barakat, Rukhsana" (not "Thanks, Sarah", "Leeds, Kai")."""
    for j in range(len(toks) - 1):
        given = toks[j + 1]
        if gap(j) != ", " or not given.cap or given.acronym:
            continue
        i = j
        while toks[i].acronym and not toks[i].sentence_start and i > 0 and gap(i - 1) == " ":
            i -= 1  # "DE LA TORRE": the capitals before it
        run = toks[i : j + 1]
        if not run[0].sentence_start or len(run) > 4:
            continue
        shouted = all(t.acronym for t in run) and not all(_known(t.key) for t in run)
        surname = len(run) == 1 and run[0].cap and (_unknown(run[0].key) or run[0].key in SURNAMES)
        if (shouted or surname) and (given.key in FIRST or _unknown(given.key) or shouted):
            for k in range(i, j + 2):
                name[k] = True


def _given(t: _Tok) -> bool:
    """A listed first name, whatever else it is, but a place or a verb: "faith", "summer"."""
    first = t.key.split("-")[0]  # "tommy-lee"
    return first in FIRST and t.key not in NOT_NAMES and t.key not in _VERBS_TOO


def _again(toks: list[_Tok], name: list[bool], org: list[bool]) -> None:
    """A name found once is a name wherever else the message has it: "Jack's mum wants Jack's
    PEP", "see Paris ... Paris's mum". In the same case, or in lower case if it is a listed
    name and no everyday word."""
    found = {toks[j].key: toks[j].cap for j, is_name in enumerate(name) if is_name}
    for j, t in enumerate(toks):
        surname = t.cap and found.get(t.key) and t.key in SURNAMES  # "Grace Lord ... if Lord is"
        if name[j] or org[j] or t.key not in found or t.key in _NOT_SEEDS | _NICKNAMED:
            continue  # "little tony ... her little kai": "little" names only beside a name
        if t.key in NOT_NAMES and not surname:
            continue
        verb = j > 0 and toks[j - 1].key in _TO_VERB and t.key in COMMON  # "wants to sue the"
        verb = verb and j + 1 < len(toks) and toks[j + 1].key in _OBJECTS
        if len(t.key) > 1 and (t.cap == found[t.key] or t.cap or _clear(t.key)) and not verb:
            name[j] = True


# A word after these and before an object is a verb, not the name found elsewhere: "to sue the"
_OBJECTS = {"the", "a", "an", "them", "him", "her", "us", "you", "me", "it", "this", "that"}
_TO_VERB = {"to", "will", "would", "should", "could", "might", "must", "can", "may", "dont"}


# Words before "one" that make it a child: "the older one is 12"
_ONES = {"older", "oldest", "younger", "youngest", "little", "big", "bigger", "baby", "middle"}
_ONES |= {"eldest", "other", "small", "smaller", "elder", "second", "first"}
# Cues after which a number is an age whoever it belongs to: "aged 15", "looks about 15"
# Words that make "they're 16" a rule, not an age: "once they're 16", "until they're 25"
_CONDITION_BEFORE = re.compile(r"\b(?:if|once|until|till|when|unless|whether)\s+they\W*$", re.I)
_SURE_AGE_CUES = {"age", "aged", "ages", "now", "say", "says", "turned", "turns", "turning"}
_SURE_AGE_CUES |= {"looks", "seems", "appears", "both"}
_PRONOUNS = {"he", "she", "they", "you", "i"}
_MODALS = {"will", "would", "shall", "should", "might", "could", "must"}
_NOT_BEFORE_AGE = _CUES["street stop"] | _CUES["name verbs"] | _PRONOUNS
_NOT_BEFORE_AGE |= _CUES["relations and roles"]
_NOT_BEFORE_AGE |= {"aged", "age", "turned", "turns", "now", "just", "nearly", "about", "approx"}
_NOT_BEFORE_AGE |= {"under", "over", "around", "only", "both", "also", "be", "are", "were", "yr"}
# counted things and short forms a number follows: "max 1 in 3", "rm 12", "mark 10 papers"
_NOT_BEFORE_AGE |= {"max", "min", "mark", "marks", "top", "rm", "no", "nr", "pg", "pt", "ch", "st"}
_NOT_BEFORE_AGE |= {"rd", "sq", "ft", "kg", "cm", "mm", "km", "ml", "mg", "ks", "yr", "wk", "hr"}
# Of the first names, words that may stand before a number as what they are: "may 15", "will 3"
_NOT_FIRST_BEFORE_AGE = _NOT_BEFORE_AGE | _MODALS | _VERBS_TOO | _MONTH_NAMES | {"may", "march"}
_NOT_AFTER_GIVEN = _NOT_SURNAMES | _CUES["relations and roles"] | _MODALS | _PRONOUNS
_NOT_AFTER_GIVEN |= {"now", "just", "only", "also", "still", "aged", "age", "who", "both", "nearly"}
# After "will be 16": "she will be 16 next month", "he'd be 18 by then"
_FUTURE = re.compile(r"\s+(?:next|in|on|by|this|soon|tomorrow|when|before|at\s+the\s+end)\b")


# A person introduced at the start of a sentence by an age and a bracket, or by a role in one:
# "drew 15 (leaving care)", "kit (christopher) 11", "angel (12, from albania)", "guy (mums
# neighbour)", "lucky 9 and chance 7"
_INTRODUCED = re.compile(
    r"\s+\d{1,2}\s*(?:y/?o|yrs?)?\s*\((?!\s*\d)"
    r"|\s*\(\s*\d{1,2}\s*[,)]"
    r"|\s*\([^()\d]{1,30}\)\s*,?\s*\d{1,2}(?!\d|[/:.,]\d|\s*(?:mins?|hours?|hrs?|days?|weeks?|times?|pm|am)\b)"
    r"|\s+\d{1,2}\s+(?P<and>and|n|&)\s+[a-z][\w'’-]*\s+\d{1,2}(?![\d/:.])",
    re.IGNORECASE,
)
# Words that open a sentence before a number or a bracket without naming anyone: "section 47
# (...)", "year 9 and year 10", "ages 3 and 5", "she (14) said"
_NOT_INTRODUCED = {"section", "page", "year", "yr", "room", "week", "day", "part", "level", "about"}
_NOT_INTRODUCED |= {"over", "under", "only", "all", "just", "ok", "plan", "step", "phase", "item"}
_NOT_INTRODUCED |= {"question", "reg", "box", "bus", "flat", "number", "no", "tier", "stage"}
_NOT_INTRODUCED |= {"form", "appendix", "case", "ref", "ward", "bed", "unit", "block", "floor"}
_NOT_INTRODUCED |= {"cell", "aged", "age", "ages", "approx", "around", "nearly", "almost", "maybe"}
_NOT_INTRODUCED |= {"has"}
_NOT_INTRODUCED |= {"have", "had", "is", "was", "are", "were", "be", "and", "or", "but", "so", "if"}
_NOT_INTRODUCED |= {"then", "now", "also", "re", "fao", "q", "total", "score", "grade", "sats"}
_NOT_INTRODUCED |= {"ks", "covid", "with", "for", "at", "in", "on", "of", "to", "by", "from", "its"}
_NOT_INTRODUCED |= {"kids", "children", "twins", "both", "siblings", "boys", "girls", "another"}
_NOT_INTRODUCED |= {"patient", "subject", "referrer", "victim", "suspect", "complainant", "art"}
_NOT_INTRODUCED |= {"perpetrator", "alleged", "applicant", "contact", "respondent", "article"}
_NOT_INTRODUCED |= _DETERMINERS | _PRONOUNS | _CALENDAR | _CUES["greetings"] | _LABELS


def _introduces(toks: list[_Tok], j: int, masked: str) -> bool:
    """Whether a word opening a sentence is a person's name that an age and a bracket, or a role
    in brackets, introduce (any word, as parents name children "drew", "sage" or "chance")."""
    t = toks[j]
    if t.acronym or len(t.word) < 2 or t.key in _NOT_INTRODUCED or t.possessive:
        return False
    if t.key in PERSONS or t.key.removesuffix("s") in PERSONS:
        return False  # "mum (sarah) 32": the bracket holds the name
    if _INTRODUCED.match(masked, t.end):
        return True
    role = _IN_BRACKETS.match(masked, t.end)  # "guy (mums neighbour)", "jan (polish dad, 35)"
    return role is not None and _key(role.group(1)) in CUES


def _someone_will(before: list[str]) -> bool:
    """Whether the words before "be" are a person and a modal: "she will", "Kai'll", "he'd"."""
    last = before[-1].lower() if before else ""
    if m := re.fullmatch(r"(.+)['’](?:ll|d)", last):
        who = m.group(1)
    elif _key(last) in _MODALS and len(before) > 1:
        who = before[-2].lower()
    else:
        return False
    return who in _PRONOUNS or _key(who) in PERSONS or "\x00" in who


# An age nobody has: "can a 15 year old consent?", "does a 13yo need...", "16-17 year olds"
# (not "if a 4 month old with a fracture is known": that is often someone's)
_ANY_ONE = re.compile(r"\b(?:can|could|should|would|does|do|did|must|may|might)\s+an?\s+$", re.I)
_IS_ANY_ONE = re.compile(r"[^\w\x00]*is\s+an?\s+$", re.I)  # "is a 14 year old able to..."
# "if a child is 12", "when a kid turns 18", "once the YP is 16": a rule's age, in the age cue
_ANY_CHILD = re.compile(
    r"\b(?:if|when|whenever|once)\s+(?:a|an|the|your|their)\s+[\w'’]+\s*$", re.I
)


def _general(masked: str, m: re.Match[str]) -> bool:
    """Whether an age is a rule's, not a person's: a question about any child, or a group."""
    before = masked[max(0, m.start() - 40) : m.start()]
    opening = _IS_ANY_ONE.fullmatch(masked, 0, m.start()) is not None
    return m.group().lower().endswith("olds") or opening or _ANY_ONE.search(before) is not None


def _ages(masked: str, people: list[tuple[int, int]], names: int) -> Iterator[Span]:
    """The ages in a masked message; ``people`` are where persons stand, the first ``names`` of
    them names (after which more may follow an age than after "mum" or "girl")."""
    for pattern in _AGES:
        for m in pattern.finditer(masked):
            if _general(masked, m):
                continue
            start, end = m.span("v") if "v" in m.re.groupindex else m.span()
            number, into = m.group("n"), m.groupdict().get("p") or m.groupdict().get("q")
            if into:
                number = str(int(number) + _INTO_DECADE[into.lower()])
            if span := _age_span(start, end, number, m.groupdict().get("u")):
                yield span
            if m.re is _HEDGED:
                yield from _more_ages(masked, end)  # "maybe 14 or 15"
    for m in _AGE_CUE.finditer(masked):  # "aged 15", "he's 15", "ages 3 and 5"
        if _ANY_CHILD.search(masked, max(0, m.start() - 40), m.start()):
            continue
        before = re.findall(r"[\w'’\x00]+", masked[max(0, m.start() - 30) : m.start()])
        last = before[-1].rstrip("'’") if before else ""  # "Kai's 15"
        plural = _key(last).removesuffix("s") in PERSONS  # "the boys are 13 and 15"
        one = _key(last) == "one" and len(before) > 1 and _key(before[-2]) in _ONES
        plural = plural or one  # "the older one is 12", "the little one's 3"
        person = _key(last) in PERSONS or plural or last.endswith("\x00") or last[:1].isupper()
        pronoun = m.group("c").lower() in {"hes", "shes", "im"}  # "kicked him out, hes 16"
        they = m.group("c").lower() == "theyre" or m.group("c").lower() == "re" and last == "they"
        if they:  # "theyre 3 and 1", but not "until they're 25", "if they're under 18"
            listed = re.search(r"\d\s*(?:and|&)\s*\d", m.group("list")) and not m.group("q")
            if not listed or _CONDITION_BEFORE.search(masked, 0, m.start()):
                continue
            pronoun = True
        if m.group("c").lower() in {"am", "m", "im"} and m.group("u"):
            continue  # "I'm 19", but not "I'm 2 weeks into the placement"
        joined = person or _key(last) in {"and", "but"}  # "she was 12 and is 15 now"
        now = (m.group("q") or "").lower() == "now" or joined and masked.startswith(" now", m.end())
        cue = "now" if now else m.group("c").lower()  # "is now 17", "is 15 now"
        cue = "says" if cue.endswith(" be") else cue  # "claims to be 15"
        if cue == "be" and _FUTURE.match(masked, m.end()) and _someone_will(before):
            cue = "turns"  # "she will be 16 next month", not "it will be 3 on Friday"
        if cue not in _SURE_AGE_CUES and not pronoun:
            if not person or _known(_key(last)) and _key(last) not in PERSONS and not plural:
                continue  # "he is 15", "Kaya is 12", but not "the limit is 10" nor "It is 2"
        numbers = list(_NUMBER.finditer(m.group("list")))
        for number in numbers:
            last_one = number is numbers[-1]
            end = m.end() if last_one else m.start("list") + number.end()
            unit = m.group("u") if last_one else None
            if span := _age_span(m.start("list") + number.start(), end, number.group(), unit):
                yield span
    for at, (start, end) in enumerate(people):  # "Kai (15)", "Zainab Hussain, 17,", "mum 23"
        after = (_AFTER_NAME if at < names else _AFTER_PERSON).match(masked, end)
        if not after and (teen := _AFTER_NAME.match(masked, end)) and len(teen.group("n")) == 2:
            after = teen  # "yp 16 sofa surfing", "kid 10 wandering": two digits are an age
        if not after:
            continue
        word = _key(masked[start:end])
        counted = after.group("of") and word not in _CUES["aged of"]  # "a mum of 3"
        numbered = word in _CUES["numbered"] and re.match(r"\s+\d\b", after.group())  # "child 2"
        if after.group("u") or not (counted or numbered):
            if span := _age_span(after.start("n"), after.end(), after.group("n"), after.group("u")):
                yield span
            yield from _more_ages(masked, after.end())  # "(siblings, 6 and 8)"


def _more_ages(masked: str, at: int) -> Iterator[Span]:
    """The ages listed straight after one: "6 and 8", "14 or 15"."""
    for more in _MORE_AGES.finditer(masked, at):
        if more.start() != at:
            break
        if span := _age_span(*more.span("n"), more.group("n"), None):
            yield span
        at = more.end()


_MORE_AGES = re.compile(  # "(siblings, 6 and 8)", "kids 4 and 6 are with nan"
    r"\s*(?:,|and|&|or|\bn\b)\s*(?P<n>\d\d?)(?:\s*(?:yrs?|years?)(?:\s+old)?)?"
    r"(?=\s*(?:$|[,.;)&?!\"'”’]|and\b|or\b|n\b)|\s[-–]\s"
    r"|\s+(?:are|were|have|had|live|living|both|all|who|in|at|with|from|home|alone|left|staying"
    r"|missing|not|still|went|off|asleep)\b)"
)


# A nickname in quotes: after a name ("Ryan 'Bones' McCarthy", "Dylan Price 'Pricey'"), after
# the words that give one ("goes by 'Sugar'", "known as 'Tank'", "groomed by 'Sk8rboi'"), or
# before where it is used ("'T' on the estate")
_CALLED = (  # "goes by", "known as", "calls the baby", "called him", "nickname is"
    r"\b(?:goes|went)\s+by|\bknown\s+as|\bknows?\s+(?:him|her|them)\s+as"
    r"|\bname(?:\s+is|\s+was|\s+will\s+be|\s+on\s+(?:her|his|the)\s+\w+\s+is)?(?=\s+['‘\"“])"
    r"|\bcall(?:s|ing|in)?(?!\s+(?:me|it|us|you|to|for|back|out|up|in|on|round|over)\b)(?:\s+[\w'’]+){0,3}"
    r"|\bcalled(?:\s+(?:him|her|them)(?:self|selves)?)?|\baka|\bnickname(?:d|\s+is|\s+was|['’]s)?"
    r"|\bstreet\s+name(?:\s+is)?"
)
_NICKNAME = re.compile(
    rf"(?:(?:\x00|{_CALLED}|\ba\.k\.a\.?|\bby|\bor)\s+)"
    r"['‘\"“](?!(?:The|A|An|This|That|No|Yes)\b)(?P<v>[A-Z][\w.’-]*(?:\s[A-Z][\w.’-]*)?)['’\"”]"
    # in lower case too where the words before can only give a name: "a guy called 'tank'",
    # "calls him 'uncle t'", "calling herself 'auntie bee'", "calls the baby 'peanut'"
    rf"|(?:{_CALLED})\s+['‘\"“]"
    r"(?!(?i:the|a|an|this|that|no|yes|in|it|me|us|him|her|them|you)\b)"
    r"(?P<x>[a-z][\w.’-]*(?:\s[\w.’-]+)?)['’\"”](?!\w)"
    r"|['‘\"“](?P<w>[A-Z][\w.’-]*(?:\s[A-Z][\w.’-]*)?)['’\"”](?=\s+(?:on|round|around)\s+the\s+"
    r"(?:street|estate|block|road|scene|streets)\b)"
)


# A person word, then a word or two in quotes: "her bf is 'Spider'", "dad's friend 'uncle tel'",
# "baby 'Rain'"
_ROLE_QUOTED = re.compile(
    r"\b(?P<r>[a-z]+)(?:\s+(?P<is>is|was|called|named))?,?\s+['‘\"“]"
    r"(?P<q>[^\W\d_][\w.’-]*(?:\s[^\W\d_][\w.’-]*)?)['’\"”](?!\w)",
    re.IGNORECASE,
)


def _nicknames(masked: str) -> Iterator[Span]:
    for m in _NICKNAME.finditer(masked):
        group = "v" if m.group("v") else "x" if m.group("x") else "w"
        yield Span(*m.span(group), "name", PLACEHOLDERS["name"])
    for m in _ROLE_QUOTED.finditer(masked):
        words = [_key(w) for w in m.group("q").split()]
        if _key(m.group("r")) not in CUES or words[0] in _NOT_GIVEN | _DETERMINERS:
            continue
        kin = len(words) == 2 and words[0] in _KIN  # "'uncle tel'"
        # straight after the person word, a word that is no everyday one: "boyfriend 'smithy'",
        # "new fella 'spike'" (but "dad is 'fine'")
        beside = m.group("is") is None and words[0] not in COMMON
        if m.group("q")[0].isupper() or kin or beside or all(_unknown(w) for w in words):
            yield Span(*m.span("q"), "name", PLACEHOLDERS["name"])


# A name and another for the same person beside it in brackets: "kit (christopher) 11", "tyreece
# 15 (ty)", "reuben (reubs)". The word outside or inside the brackets is a name when the other is
# one, unless it is a person word ("mum (sarah)", "sarah (mum)") or an everyday word that is no
# first name ("the (…)", "kai (cla)")
_BRACKETED_AFTER = re.compile(r"\x00(?:\s+\d{1,2})?\s*\(\s*(?P<v>[a-z][a-z'’-]{1,14})\s*\)")
_BRACKETED_BEFORE = re.compile(
    r"(?<![\w'’\x00-])(?P<v>[a-z][a-z'’-]{1,14})(?:\s+\d{1,2})?\s*\(\s*\x00[\x00\s]*\)"
)
_BRACKETED_ROLE = re.compile(  # "mum (rose)", "nan (pat)"; "mark = dad"
    r"\b(?P<r>[a-z]+)\s*\(\s*(?P<v>[a-z][a-z'’-]{1,14})\s*\)"
    r"|(?<![\w'’\x00-])(?P<w>[a-z][a-z'’-]{1,14})\s*=\s*(?P<s>[a-z]+)\b",
    re.IGNORECASE,
)
# "justice 14 (yes thats his name)", "bunny (nickname, real name bernadette)": the bracket says
# the word before it is a name
_NAMED_IN_BRACKETS = re.compile(
    r"(?<![\w'’\x00-])(?P<v>[a-z][a-z'’-]{1,14})(?P<a>\s+\d{1,2})?\s*\((?=[^()]{0,40}\b(?:nick)?names?\b)",
    re.IGNORECASE,
)


def _bracketed_names(text: str, taken: list[Span]) -> Iterator[Span]:
    """Names the brackets beside a name, a person word or "name" give away."""
    names = [s for s in taken if s.kind == "name"]
    masked = _mask(_mask(text, taken).replace("\x00", "\x01"), names)  # only names as \x00
    for pattern in (_BRACKETED_AFTER, _BRACKETED_BEFORE):
        for m in pattern.finditer(masked):
            key = _key(m.group("v"))
            if key not in PERSONS and (key in FIRST or _unknown(key)):
                yield Span(*m.span("v"), "name", PLACEHOLDERS["name"])
    for m in _NAMED_IN_BRACKETS.finditer(masked):
        key = _key(m.group("v"))  # an everyday word only with an age: "cash 14 (his real name)"
        if key not in PERSONS and (key not in CORE or m.group("a")):
            yield Span(*m.span("v"), "name", PLACEHOLDERS["name"])
    for m in _BRACKETED_ROLE.finditer(masked):
        role, group = (m.group("r"), "v") if m.group("r") else (m.group("s"), "w")
        key = _key(m.group(group))
        if _key(role) in PERSONS and key not in PERSONS and key not in NOT_NAMES:
            if key in FIRST or _unknown(key):
                yield Span(*m.span(group), "name", PLACEHOLDERS["name"])


# An officer's collar number after the name: "DC Bashir 6620", "PC Holt (3319)", "PS Wright, 1190"
_POLICE_TITLE = re.compile(
    r"\b(?:pc|dc|ds|ps|sgt|sergeant|insp|inspector|di|dci|dsi|pcso|det|detective|constable)\.?\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_COLLAR_AFTER = re.compile(
    r"(?:\s*,\s*|\s*\(\s*|\s+)(?:(?:badge|collar|shoulder|warrant)(?:\s+(?:no|number))?\.?\s*)?"
    r"(?P<v>\d{3,5})(?![\w/]|[.,:]\d)",
    re.IGNORECASE,
)


def _collar_numbers(text: str, names: list[tuple[int, int]]) -> Iterator[Span]:
    for start, end in names:
        if _POLICE_TITLE.search(text, max(0, start - 40), start) and (
            m := _COLLAR_AFTER.match(text, end)
        ):
            yield Span(*m.span("v"), "ref", PLACEHOLDERS["ref"])


# "7 Ivy Bank, LS12 4RS", "14 Rydal Mount, Penrith CA11 7RX": a number and capitalised words
# before a postcode are a street, whatever its last word; with no number, a street word must
# end them ("Pilgrims Way, Westerham TN16"); a town may stand between
_CAPITALISED = r"[A-Z][\w'’-]*"
_STREET_BEFORE = re.compile(
    rf"(?<![\w/.,-])(?P<v>\d{{1,4}}[a-z]?,?\s+(?:{_CAPITALISED}\s+){{0,2}}{_CAPITALISED}"
    rf"|(?:{_CAPITALISED}\s+){{1,2}}(?:{'|'.join(w.title() for w in _CUES['street'])}))"
    rf"(?:,\s*(?:{_CAPITALISED}\s+)?{_CAPITALISED})?,?\s*$"
)
_OUTWARD = _pattern("postcode outward")
# What may stand between an address and its outward code: a town or two ("Westerham TN16")
_TOWN_BETWEEN = re.compile(r"[\s,]*(?:[A-Z][a-z'’-]+[\s,]+){0,2}")
_LOWER_TOWN_BETWEEN = re.compile(r"[\s,]*(?:[a-z][a-z'’-]+[\s,]+){0,2}")


# "22 church gate, loughborough le11 3rt", "2 weavers croft slaithwaite hd7 5ly": typed in lower
# case, the words after a number are a street when a postcode follows (and no word is "for" or
# "mins": checked in code)
_LOWER_WORD = r"[a-z][a-z'’-]*"
_LOWER_STREET_BEFORE = re.compile(
    rf"(?<![\w/.,-])(?P<v>\d{{1,4}}[a-z]?,?\s+(?:{_LOWER_WORD}\s+){{0,2}}{_LOWER_WORD})"
    rf"(?:,?\s*(?P<town>{_LOWER_WORD}(?:\s+{_LOWER_WORD})?))?,?\s*$"
)


def _streets_before_outward_codes(text: str) -> Iterator[Span]:
    """A street and its town before an outward code: "8 bank side, todmorden ol14"."""
    for code in _OUTWARD.finditer(text):
        if _key(code.group("a")) not in _CUES["postcode areas"]:
            continue
        m = _LOWER_STREET_BEFORE.search(text, max(0, code.start() - 60), code.start())
        if m is None or not m.group("town"):
            continue  # no town between: "has 2 kids at ls7"
        words = [_key(w).strip(",") for w in m.group("v").split()[1:]]
        street = words[-1] in _CUES["street"] or words[-1] in _CUES["street abbreviations"]
        if street and not any(w in _CUES["street stop"] for w in words):
            yield Span(*m.span("v"), "address", PLACEHOLDERS["address"])
            yield Span(
                code.start(), _sector_end(text, code.end()), "postcode", PLACEHOLDERS["postcode"]
            )


def _streets_before_postcodes(text: str, taken: list[Span], existing: set[Span]) -> Iterator[Span]:
    for postcode in (s for s in taken if s.kind == "postcode"):
        m = _STREET_BEFORE.search(text, max(0, postcode.start - 60), postcode.start)
        if m and postcode in existing and not m.group("v")[0].isdigit():
            continue  # "[ADDRESS], Ebbw Vale [POSTCODE]": the street went the first time
        if m:
            yield Span(*m.span("v"), "address", PLACEHOLDERS["address"])
        elif m := _LOWER_STREET_BEFORE.search(text, max(0, postcode.start - 60), postcode.start):
            words = [_key(w) for w in m.group().split()[1:]]
            if not any(w.strip(",") in _CUES["street stop"] for w in words):
                yield Span(*m.span("v"), "address", PLACEHOLDERS["address"])


def _outward_codes_after_addresses(text: str, taken: list[Span]) -> Iterator[Span]:
    """An outward code too short to trust alone, right after an address: "16 brook st wf13",
    "33 Manor Oaks Rd, S2", "27 Broom Road G52 3"."""
    for address in (s for s in taken if s.kind == "address"):
        between = _TOWN_BETWEEN.match(text, address.end)
        assert between is not None
        lower = _LOWER_TOWN_BETWEEN.match(text, address.end)  # "16 st marys view, ossett wf5"
        assert lower is not None
        towns = [_key(w) for w in re.findall(r"[a-z'’-]+", lower.group())]
        if lower.end() > between.end() and all(w in UK_PLACES or w not in COMMON for w in towns):
            between = lower
        m = _OUTWARD.match(text, between.end())
        if m and _key(m.group("a")) in _CUES["postcode areas"] and between.end() > address.end:
            yield Span(m.start(), _sector_end(text, m.end()), "postcode", PLACEHOLDERS["postcode"])


# A house number said apart from its street: "She said no. 32", "(number 18)", "Number 26." (not
# "number 3 on the list", "no 1 priority")
_HOUSE_NUMBER = re.compile(
    r"\b(?:no\.?|number)\s*\d{1,4}[a-z]?\b(?!\s+(?:on|in|of)\s+(?:the|a|my|our)\s+(?:list|queue|line"
    r"|waiting|table|register|rota)\b)(?=\s*(?:$|[,;:)(!?]|\.(?!\d)|\s[-–]\s|\s(?:but|and|or|so"
    r"|then|now|i|we|he|she|they|on|in|with|where|which)\b))",
    re.IGNORECASE,
)


def _house_numbers_beside(text: str, taken: list[Span]) -> Iterator[Span]:
    """A house number alone in a message that gives the street or the home elsewhere: "Nan
    lives on [Elm Road]. She said no. 32", "a house on [Larkfield Ave] (number 18)"."""
    if not any(s.kind == "address" for s in taken):
        return
    for m in _HOUSE_NUMBER.finditer(text):
        yield Span(m.start(), m.end(), "address", PLACEHOLDERS["address"])


def _with_sector(text: str, span: Span) -> Span:
    """An outward code with the sector digit after it: "Ruthin, LL15 1 - early help"."""
    if not re.fullmatch(r"[a-z]{1,2}\d[a-z\d]?", text[span.start : span.end], re.IGNORECASE):
        return span
    return Span(span.start, _sector_end(text, span.end), span.kind, span.placeholder)


def _sector_end(text: str, end: int) -> int:
    """Where an outward code ends once the sector digit after it is counted: "G52 3 for a fight"."""
    sector = re.match(r"\s\d(?![\w/])", text[end:])
    return end + sector.end() if sector else end


# A number typed with the letter O for a nought ("O77OO 9OO 186", "2OO9"), read as digits: a
# run of three or more digits and Os, a digit among them, with no other letter beside it
_NOUGHTS = re.compile(r"(?<![^\W\d_])(?=[\dOo]*\d)(?=[\dOo]*[Oo])[\dOo]{3,}(?![^\W\d_])")
_AS_NOUGHT = str.maketrans("Oo", "00")


def _mask(text: str, spans: list[Span]) -> str:
    """The text with each span blanked out, so later passes neither match nor cross it."""
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = "\x00" * (s.end - s.start)
    return "".join(chars)


def redact(text: str) -> Redacted:
    """Replace names, dates, ages, addresses and identifying numbers with placeholders.

    An age becomes its band (``[AGE 13-15]``, see ``AGE_BANDS``), a date beside "dob" or
    "born" ``[DOB]``. Placeholders already in the text are kept (and not counted as found).
    """
    original = unicodedata.normalize("NFKC", text)
    text = _NOUGHTS.sub(lambda m: m.group().translate(_AS_NOUGHT), original)  # "O77OO 9OO 186"
    # Placeholders already there keep their text, and give the context their kind gave the
    # first time ("[ADDRESS], Whitby": a town after an address), so a second pass changes nothing.
    existing = {Span(m.start(), m.end(), _kind_of(m.group()), m.group())
                for m in _EXISTING.finditer(text)}  # fmt: skip
    taken = list(existing)

    def free(start: int, end: int) -> bool:
        return start < end and not any(s.start < end and start < s.end for s in taken)

    digits = _DIGIT.search(text) is not None
    for kind, needs_digit, pattern in _PATTERNS:
        needs = _NEEDS.get(pattern)
        if needs_digit and not digits or needs is not None and not needs.search(text):
            continue
        for m in pattern.finditer(text):
            if (cut := _cut(kind, m)) is None or not free(*cut):
                continue
            dob = kind == "date" and _BIRTH_CUE.search(text, max(0, cut[0] - 60), cut[0])
            found = "dob" if dob else kind
            if kind == "nhs" and not _nhs_valid(m.group()):  # a wrong check digit: a reference,
                cue = _NHS_CUE.search(text, max(0, cut[0] - 25), cut[0])  # unless "NHS" says
                found = "nhs" if cue else "ref"  # otherwise (a typo in an NHS number)
            taken.append(Span(*cut, found, PLACEHOLDERS[found]))
    taken += _more_short_dates(text, taken, free)
    taken += [s for s in _streets_before_postcodes(text, taken, existing) if free(s.start, s.end)]
    taken += [s for s in _streets_before_outward_codes(text) if free(s.start, s.end)]
    taken = [_with_house_name(text, s) if s.kind == "address" else s for s in taken]
    others = [s for s in taken if s.kind != "address"]
    taken = [_with_parts(text, s, others) if s.kind == "address" else s for s in taken]
    taken += [s for s in _outward_codes_after_addresses(text, taken) if free(s.start, s.end)]
    taken += [s for s in _house_numbers_beside(text, taken) if free(s.start, s.end)]
    taken = [_with_sector(text, s) if s.kind == "postcode" else s for s in taken]
    names = [n for n in _names(_mask(text, taken)) if not _a_town(text, n, taken)]
    taken += [Span(start, end, "name", PLACEHOLDERS["name"]) for start, end in names]
    taken += [s for s in _nicknames(_mask(text, taken)) if free(s.start, s.end)]
    taken += [s for s in _bracketed_names(text, taken) if free(s.start, s.end)]
    taken += [s for s in _collar_numbers(text, names) if free(s.start, s.end)]
    people = [(s.start, s.end) for s in taken if s.placeholder == "[NAME]"]
    named = len(people)
    people += [(m.start(), m.end()) for m in _PERSON_WORD.finditer(text)]
    people += [(s.start, s.end) for s in taken if s.kind == "dob"]  # "DOB 14/02/08 (17)"
    for span in _ages(_mask(text, taken), people, named):
        if free(span.start, span.end):
            taken.append(span)
    merged: list[Span] = []  # one placeholder for "Tyler Brown-Smith", "Flat 3, 22 Grove Road"
    for s in sorted((s for s in taken if s.kind), key=lambda s: s.start):
        joiner = {"address": r"[\s,]*", "name": r"\.?\s*"}.get(s.kind, r"\s*")  # "J. [NAME]"
        last = merged[-1] if merged else None
        if (
            last
            and last.kind == s.kind != "age"
            and not (last in existing and s in existing)
            and re.fullmatch(joiner, text[last.end : s.start])
        ):
            end = max(last.end, s.end)  # a house name may have grown one over the other
            merged[-1] = Span(last.start, end, s.kind, PLACEHOLDERS[s.kind])
        else:
            merged.append(s)
    out, at = [], 0
    for s in merged:
        out += [original[at : s.start], s.placeholder]
        at = s.end
    new = tuple(s for s in merged if s not in existing)
    return Redacted("".join(out) + original[at:], frozenset(s.kind for s in new), new)


def _kind_of(placeholder: str) -> str:
    """The kind a placeholder stands for: "[AGE 13-15]" is an age, "[NHS NUMBER]" an nhs."""
    return "age" if placeholder.startswith("[AGE") else _KINDS.get(placeholder, "")
