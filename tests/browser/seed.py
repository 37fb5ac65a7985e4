"""Realistic anonymised records for the analytics dashboard's browser tests and screenshot,
written through the project's own storage (query log, flow progress, decision log) before the
server starts.

Four weeks of it, the first starting ``FIRST_WEEK_BACK`` weeks before this one: past the day
after which an undecided flow counts as abandoned, well inside the query log's retention, and
clear of this week, which the chat spec writes to. The figures the dashboard spec asserts follow
from the tables below (its comments say how).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid

from bot.analytics import week_of
from bot.models import DecisionRecord, FlowProgress, QueryRecord
from bot.pseudonym import Pseudonymiser
from bot.redaction import redact
from bot.storage.open import open_decision_log, open_query_log
from bot.summary import new_decision_id

FIRST_WEEK_BACK = 6
CHANNELS = ("slack", "teams", "web")
# Questions typed, by channel, in each of the four weeks.
QUESTIONS = {"slack": [12, 9, 14, 7], "teams": [6, 11, 3, 10], "web": [8, 7, 6, 9]}
# Typed answers to a question on screen: in the export, not in the questions chart.
ANSWERS = {"slack": [2, 0, 1, 1], "teams": [2, 1, 0, 2], "web": [0, 1, 1, 0]}
# Decisions reached, by channel, in each week.
DECISIONS = {"slack": [6, 8, 5, 7], "teams": [5, 2, 6, 5], "web": [0, 5, 1, 6]}
# Flows left undecided: topic, last question asked, how many.
ABANDONED = [("police", "police-purpose", 6), ("routine", "within-agreement", 5),
             ("family", "requester", 3)]  # fmt: skip

# What staff typed, before redaction (names and places are made up, and redacted on the way in).
TEXTS = {
    "police": [
        "the police want the address of Jordan Ellis's mum",
        "PC Khan is asking for the case file on a 15 year old",
        "can I tell the police where the family moved to",
        "officer wants to know if we have concerns about a child on Leigh Road",
    ],
    "family": [
        "grandmother wants to know how Kayla is getting on in foster care",
        "dad without PR asking for school reports",
    ],
    "routine": ["sending the monthly referral list to health under the ISA"],
    "breach": ["I emailed core group minutes to the wrong school"],
    "statistics": ["DfE wants numbers of children in need by ward"],
}
# How many typed questions each topic gets; the rest are knowledge gaps (GAPS).
TOPIC_SHARE = {"police": 35, "family": 20, "routine": 14, "breach": 10, "statistics": 8}
# Questions the assistant could not help with: those asked 5 or more times are listed.
GAPS = [
    ("what's the wifi password", 4), ("What's the wifi password", 2),
    ("whats the wifi password", 1), ("how do I book annual leave", 5),
    ("can I claim mileage for a home visit", 2), ("where is the car park pass form", 1),
]  # fmt: skip
# Decisions as guided flows reach them: topic, outcome, answers given.
PATHS = [
    ("police", "share-minimum", [("immediate-risk", "no"), ("police-purpose", "court-order"),
                                 ("identity-verified", "yes")]),
    ("breach", "report-breach", [("breach-type", "wrong-recipient")]),
    ("family", "do-not-share", [("immediate-risk", "no"), ("requester", "media")]),
    ("routine", "share", [("agreement-exists", "yes"), ("within-agreement", "yes")]),
    ("police", "not-yet", [("immediate-risk", "no"), ("police-purpose", "unclear")]),
]  # fmt: skip
STAFF = 14


def weeks(today: dt.date) -> list[dt.date]:
    """The Mondays of the four seeded weeks."""
    first = week_of(today) - dt.timedelta(weeks=FIRST_WEEK_BACK)
    return [first + dt.timedelta(weeks=n) for n in range(4)]


def _times(monday: dt.date, n: int) -> list[dt.datetime]:
    """``n`` office hours spread over the week's working days."""
    return [
        dt.datetime.combine(monday + dt.timedelta(days=i % 5), dt.time(8 + i * 3 % 9), dt.UTC)
        for i in range(n)
    ]


async def seed(database_url: str, today: dt.date, pseudonym_key: bytes) -> list[dt.date]:
    """Write the records into the database at ``database_url``; the seeded weeks' Mondays."""
    mondays = weeks(today)
    user = Pseudonymiser(pseudonym_key)
    rng = random.Random(6)  # the same records every run
    staff = itertools.cycle(range(STAFF))
    asked = [(t, TEXTS[t][n % len(TEXTS[t])]) for t, k in TOPIC_SHARE.items() for n in range(k)]
    asked += [("unknown", text) for text, k in GAPS for _ in range(k)]
    assert len(asked) == sum(map(sum, QUESTIONS.values())), "a text for every question"
    rng.shuffle(asked)
    queries = await open_query_log(database_url)
    decisions = await open_decision_log(database_url)
    try:
        for (w, monday), channel in itertools.product(enumerate(mondays), CHANNELS):
            for time in _times(monday, QUESTIONS[channel][w]):
                topic, text = asked.pop()
                await queries.record(QueryRecord(
                    id=uuid.uuid4().hex, time=time, channel=channel,
                    user=user(channel, f"staff{next(staff)}"), text=redact(text).text,
                    kind="question", topic=topic, confidence=round(rng.uniform(0.4, 0.95), 2),
                    helped=topic != "unknown"))  # fmt: skip
            for time in _times(monday, ANSWERS[channel][w]):
                await queries.record(QueryRecord(
                    id=uuid.uuid4().hex, time=time, channel=channel,
                    user=user(channel, f"staff{next(staff)}"), text="no", kind="answer",
                    topic="police", confidence=None, helped=True))  # fmt: skip
            for n, time in enumerate(_times(monday, DECISIONS[channel][w])):
                topic, outcome, answers = PATHS[(w + n) % len(PATHS)]
                await decisions.record(DecisionRecord(
                    id=new_decision_id(), time=time, channel=channel,
                    user=user(channel, f"staff{next(staff)}"), topic=topic, answers=answers,
                    outcome=outcome, knowledge_version="seeded"))  # fmt: skip
                await queries.progress([FlowProgress(
                    id=uuid.uuid4().hex, started=time, channel=channel, topic=topic,
                    question=answers[-1][0], outcome=outcome, updated=time)])  # fmt: skip
        for n, (topic, question, k) in enumerate(ABANDONED):
            for i, time in enumerate(_times(mondays[n], k)):
                await queries.progress([FlowProgress(
                    id=uuid.uuid4().hex, started=time, channel=CHANNELS[i % 3], topic=topic,
                    question=question, outcome=None, updated=time)])  # fmt: skip
    finally:
        await queries.close()
        await decisions.close()
    return mondays
