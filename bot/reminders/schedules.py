"""Schedule rules: cron ("0 9 * * 1") or plain English ("every Monday 9:00"), read into one
model, and the next slot after a moment, in Europe/London time.

Summer time, decided once for every rule:

- **Spring** (the last Sunday of March, 01:00 becomes 02:00): a slot at a local time that
  doesn't exist that day fires an hour later by the clock (01:30 fires at 02:30 BST), the same
  instant it would have been in GMT. It fires once, even if the rule also names 02:30.
- **Autumn** (the last Sunday of October, 02:00 BST goes back to 01:00 GMT): a local time
  that happens twice fires once, the first time (BST). An hourly rule skips the repeated hour.

Slots are returned in UTC; everything stored is UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_SEARCH_DAYS = 366 * 8 + 2  # the rarest rule, 29 February on a Monday, recurs within 28 years;
# a rule with nothing in 8 years is refused when written (see ``parse_rule``)
DAY_NAMES = [d.lower() for d in calendar.day_name]  # monday .. sunday
_DAY_ABBR = {d[:3]: i for i, d in enumerate(DAY_NAMES)} | {"tues": 1, "thur": 3, "thurs": 3}
_MONTH_ABBR = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


class RuleError(ValueError):
    """A rule that can't be read; the message names the part that is wrong."""


@dataclass(frozen=True)
class Rule:
    """When a schedule fires, in London wall-clock time. ``weekdays`` use Monday = 0.
    ``days`` and ``weekdays`` both None means every day; both set means either (as cron).
    ``nth`` is (1..4 or -1 for last, weekday): "first Monday of the month"."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None = None
    months: frozenset[int] = frozenset(range(1, 13))
    weekdays: frozenset[int] | None = None
    nth: tuple[int, int] | None = None

    def matches(self, day: dt.date) -> bool:
        if day.month not in self.months:
            return False
        if self.nth is not None:
            which, weekday = self.nth
            if day.weekday() != weekday:
                return False
            if which == -1:
                return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
            return (day.day - 1) // 7 + 1 == which
        by_day = self.days is not None and day.day in self.days
        by_weekday = self.weekdays is not None and day.weekday() in self.weekdays
        if self.days is None and self.weekdays is None:
            return True
        return by_day or by_weekday

    def slots_on(self, day: dt.date) -> list[dt.datetime]:
        """The day's slots in UTC, in order, each instant once (see the module note)."""
        if not self.matches(day):
            return []
        instants = {
            _utc(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON))
            for hour in self.hours
            for minute in self.minutes
        }
        return sorted(instants)

    def next_after(self, after: dt.datetime) -> dt.datetime | None:
        """The first slot strictly after ``after`` (aware), in UTC; None if there is none."""
        day = after.astimezone(LONDON).date() - dt.timedelta(days=1)  # a shifted spring slot
        for _ in range(_SEARCH_DAYS):
            for slot in self.slots_on(day):
                if slot > after:
                    return slot
            day += dt.timedelta(days=1)
        return None

    def upcoming(self, after: dt.datetime, count: int) -> list[dt.datetime]:
        slots: list[dt.datetime] = []
        while len(slots) < count:
            found = self.next_after(slots[-1] if slots else after)
            if found is None:
                break
            slots.append(found)
        return slots


def _utc(local: dt.datetime) -> dt.datetime:
    """``local`` (fold 0: the first of a repeated hour, GMT's offset for a missing one) in UTC."""
    return local.astimezone(dt.UTC)


def parse_rule(text: str) -> Rule:
    """A rule from cron or English; RuleError naming the bad part otherwise."""
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise RuleError("the schedule is empty: write, say, 'every Monday 9:00' or '0 9 * * 1'")
    rule = _cron(cleaned) if cleaned[0].isdigit() or cleaned[0] == "*" else _english(cleaned)
    if rule.next_after(dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) is None:
        raise RuleError(f"'{cleaned}' never happens")
    return rule


# --- cron: minute hour day-of-month month day-of-week ---

_CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)


def _cron(text: str) -> Rule:
    parts = text.split(" ")
    if len(parts) != 5:
        raise RuleError(
            f"'{text}' has {len(parts)} fields; cron needs 5: minute hour day-of-month month "
            "day-of-week, like '0 9 * * 1'"
        )
    values = [_cron_field(p, *spec) for p, spec in zip(parts, _CRON_FIELDS, strict=True)]
    minutes, hours, days, months, weekdays = values
    weekdays_mon0 = None if weekdays is None else frozenset((d - 1) % 7 for d in weekdays)
    return Rule(
        text=text,
        minutes=minutes or frozenset(range(60)),
        hours=hours or frozenset(range(24)),
        # cron: day-of-month and day-of-week both restricted means either; one '*' means the
        # other alone decides
        days=days,
        months=months or frozenset(range(1, 13)),
        weekdays=weekdays_mon0,
    )


def _cron_field(part: str, name: str, low: int, high: int) -> frozenset[int] | None:
    """The values a field allows; None for '*' (anything)."""
    if part == "*":
        return None
    names = _DAY_ABBR if name == "day of week" else _MONTH_ABBR if name == "month" else {}
    offset = 1 if name == "day of week" else 0  # cron's Sunday = 0, names map Monday = 0
    found: set[int] = set()
    for item in part.split(","):
        body, _, step_text = item.partition("/")
        step = _number(step_text, f"step in {name} '{item}'", 1, high) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            start = _value(a, name, low, high, names, offset)
            end = _value(b, name, low, high, names, offset)
            if end < start:
                raise RuleError(f"{name} range '{body}' runs backwards")
        else:
            start = _value(body, name, low, high, names, offset)
            end = high if step_text else start
        found.update(range(start, end + 1, step))
    return frozenset(found)


def _value(text: str, name: str, low: int, high: int, names: dict[str, int], offset: int) -> int:
    key = text.lower()[:3] if text.isalpha() else ""
    if key in names:
        return names[key] + offset
    return _number(text, f"{name} '{text}'", low, high)


def _number(text: str, what: str, low: int, high: int) -> int:
    if not text.isdigit():
        raise RuleError(f"{what} is not a number")
    value = int(text)
    if not low <= value <= high:
        raise RuleError(f"{what} is out of range {low}-{high}")
    return value


# --- English ---

_TIME = re.compile(r"^(?:at )?(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$")


def _english(text: str) -> Rule:
    lower = text.lower()
    match = re.match(r"^(.*?)(?: at)? (\S+(?: ?[ap]m)?)$", lower)
    if match is None:
        raise RuleError(f"'{text}' has no time: end it with one, like 'every Monday 9:00'")
    when, time_text = match.group(1), match.group(2)
    hour, minute = _time(time_text)
    hours, minutes = frozenset({hour}), frozenset({minute})
    ordinal = re.match(
        r"^(?:on )?(?:the )?(first|second|third|fourth|last) (\w+) of (?:the|each|every) month$",
        when,
    )
    if ordinal:
        return Rule(text, minutes, hours, nth=(_ORDINALS[ordinal.group(1)], _day(ordinal.group(2))))
    if not when.startswith("every "):
        raise RuleError(
            f"'{text}': start with 'every' (every Monday 9:00, every weekday at 8:30, every day "
            "17:00) or 'first Monday of the month 9:00', or use cron ('0 9 * * 1')"
        )
    days_text = when.removeprefix("every ").removeprefix("on ")
    if days_text == "day":
        return Rule(text, minutes, hours)
    if days_text in ("weekday", "working day"):
        return Rule(text, minutes, hours, weekdays=frozenset(range(5)))
    if days_text in ("weekend", "weekend day"):
        return Rule(text, minutes, hours, weekdays=frozenset({5, 6}))
    names = [n for n in re.split(r",? and |, ?| ", days_text) if n]
    return Rule(text, minutes, hours, weekdays=frozenset(_day(n) for n in names))


def _time(text: str) -> tuple[int, int]:
    match = _TIME.match(text)
    if match is None:
        raise RuleError(f"'{text}' is not a time: write it like 9:00, 17:30 or 9am")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise RuleError(f"'{text}' is not a time: with am or pm the hour is 1 to 12")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise RuleError(f"'{text}' is not a time of day")
    return hour, minute


def _day(name: str) -> int:
    key = name.lower().rstrip("s") if name.lower().endswith("days") else name.lower()
    if key in DAY_NAMES:
        return DAY_NAMES.index(key)
    if key in _DAY_ABBR:
        return _DAY_ABBR[key]
    raise RuleError(f"'{name}' is not a day of the week: write Monday, Tuesday, ... or weekday")


def describe(slot: dt.datetime) -> str:
    """A slot as London time for people: "Mon 30 Mar 2026 09:00 BST"."""
    local = slot.astimezone(LONDON)
    return local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or "")
