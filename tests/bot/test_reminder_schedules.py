"""Schedule rules as the IG team writes them, read into slots in London time."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reminders.schedules import RuleError, describe, parse_rule

UTC = dt.UTC
FRIDAY = dt.datetime(2026, 11, 27, 12, tzinfo=UTC)


def upcoming(rule: str, count: int = 3, after: dt.datetime = FRIDAY) -> list[str]:
    return [describe(slot) for slot in parse_rule(rule).upcoming(after, count)]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("every Monday 9:00", ["Mon 30 Nov 2026 09:00 GMT", "Mon 07 Dec 2026 09:00 GMT"]),
        ("every Monday at 9am", ["Mon 30 Nov 2026 09:00 GMT", "Mon 07 Dec 2026 09:00 GMT"]),
        ("0 9 * * 1", ["Mon 30 Nov 2026 09:00 GMT", "Mon 07 Dec 2026 09:00 GMT"]),
        ("0 9 * * mon", ["Mon 30 Nov 2026 09:00 GMT", "Mon 07 Dec 2026 09:00 GMT"]),
        ("every weekday at 8:30", ["Mon 30 Nov 2026 08:30 GMT", "Tue 01 Dec 2026 08:30 GMT"]),
        ("every day 17:00", ["Fri 27 Nov 2026 17:00 GMT", "Sat 28 Nov 2026 17:00 GMT"]),
        ("Every Tuesday and Thursday at 2pm",
         ["Tue 01 Dec 2026 14:00 GMT", "Thu 03 Dec 2026 14:00 GMT"]),
        ("first Monday of the month 9:00",
         ["Mon 07 Dec 2026 09:00 GMT", "Mon 04 Jan 2027 09:00 GMT"]),
        ("last Friday of the month 16:00",
         ["Fri 27 Nov 2026 16:00 GMT", "Fri 25 Dec 2026 16:00 GMT"]),
        ("30 8 1,15 * *", ["Tue 01 Dec 2026 08:30 GMT", "Tue 15 Dec 2026 08:30 GMT"]),
        ("*/30 9-10 * * 1-5", ["Mon 30 Nov 2026 09:00 GMT", "Mon 30 Nov 2026 09:30 GMT"]),
    ],
)  # fmt: skip
def test_rules_in_cron_or_english_give_the_slots_a_person_expects(
    rule: str, expected: list[str]
) -> None:
    assert upcoming(rule, 2) == expected


@pytest.mark.parametrize(
    ("rule", "names"),
    [
        ("every Mondy 9:00", "'mondy' is not a day of the week"),
        ("every Monday 25:00", "'25:00' is not a time of day"),
        ("every Monday", "'monday' is not a time"),
        ("weekly on Monday 9:00", "start with 'every'"),
        ("0 9 * * 8", "day of week '8' is out of range 0-7"),
        ("61 9 * * *", "minute '61' is out of range 0-59"),
        ("0 9 * *", "has 4 fields; cron needs 5"),
        ("0 9 31 2 *", "never happens"),
        ("", "the schedule is empty"),
    ],
)
def test_a_rule_that_cant_be_read_is_refused_naming_the_bad_part(rule: str, names: str) -> None:
    with pytest.raises(RuleError, match=names):
        parse_rule(rule)


def test_london_time_holds_across_both_clock_changes() -> None:
    march = upcoming("every day 9:00", 3, dt.datetime(2026, 3, 28, 12, tzinfo=UTC))
    assert march == [
        "Sun 29 Mar 2026 09:00 BST",
        "Mon 30 Mar 2026 09:00 BST",
        "Tue 31 Mar 2026 09:00 BST",
    ]
    assert parse_rule("every day 9:00").next_after(dt.datetime(2026, 3, 28, 12, tzinfo=UTC)) == (
        dt.datetime(2026, 3, 29, 8, tzinfo=UTC)
    )
    october = parse_rule("every day 9:00").upcoming(dt.datetime(2026, 10, 24, 12, tzinfo=UTC), 2)
    assert october == [
        dt.datetime(2026, 10, 25, 9, tzinfo=UTC),
        dt.datetime(2026, 10, 26, 9, tzinfo=UTC),
    ]


def test_a_time_missing_in_spring_fires_an_hour_later_once() -> None:
    slots = parse_rule("30 1,2 * * *").upcoming(dt.datetime(2026, 3, 28, 12, tzinfo=UTC), 3)
    # 29 March: 01:30 doesn't exist and becomes 02:30 BST, the same instant as 02:30: once
    assert [describe(s) for s in slots] == [
        "Sun 29 Mar 2026 02:30 BST",
        "Mon 30 Mar 2026 01:30 BST",
        "Mon 30 Mar 2026 02:30 BST",
    ]


def test_an_hourly_rule_skips_the_repeated_hour_in_autumn() -> None:
    slots = parse_rule("0 * * * *").upcoming(dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), 3)
    # 01:00 happens twice on 25 October: it fires once, at 01:00 BST; next comes 02:00 GMT
    assert slots == [
        dt.datetime(2026, 10, 25, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 2, tzinfo=UTC),
        dt.datetime(2026, 10, 25, 3, tzinfo=UTC),
    ]
