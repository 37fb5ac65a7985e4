"""The IG team's monthly review digest: policy snippets overdue for review (their
``last_reviewed`` older than N months) and policy links that no longer answer.

Checking links needs HTTP, which the core doesn't speak: the caller passes a ``LinkChecker``
(``adapters/link_check.py`` is the aiohttp one), or none to skip the check.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot import messages
from bot.knowledge import Knowledge
from bot.models import Link
from bot.reminders.models import Destination, Reminder
from bot.reminders.scheduler import DIGEST_ID, DigestJob
from bot.reminders.schedules import LONDON, Rule, parse_rule
from bot.schema import PolicyLink, Snippet
from bot.settings import Settings

log = logging.getLogger(__name__)
# url -> what is wrong with it ("404", "timeout", "unreachable"), or None if it answers
LinkChecker = Callable[[list[str]], Awaitable[dict[str, str | None]]]


@dataclass(frozen=True)
class Digest:
    months: int
    cutoff: dt.date
    stale: list[Snippet]  # oldest review first
    broken: list[tuple[PolicyLink, str]]
    links_checked: bool

    @property
    def clean(self) -> bool:
        return not self.stale and not self.broken


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


async def review_digest(
    knowledge: Knowledge, today: dt.date, months: int, check: LinkChecker | None
) -> Digest:
    cutoff = months_before(today, months)
    stale = sorted(
        (s for s in knowledge.snippets.values() if s.last_reviewed < cutoff),
        key=lambda s: (s.last_reviewed, s.id),
    )
    broken: list[tuple[PolicyLink, str]] = []
    if check is not None:
        links = knowledge.organisation.policy_links
        problems = await check(sorted({str(link.url) for link in links}))
        broken = [(link, p) for link in links if (p := problems.get(str(link.url)))]
    return Digest(months, cutoff, stale, broken, check is not None)


def render(digest: Digest) -> list[str]:
    """The digest as lines of light Markdown (the same lines the command line prints)."""
    lines = []
    if digest.stale:
        lines.append(f"**{len(digest.stale)} snippets not reviewed since {digest.cutoff}:**")
        lines += [f"- {s.title} (`{s.id}`): last reviewed {s.last_reviewed}" for s in digest.stale]
    else:
        lines.append(f"Every snippet has been reviewed since {digest.cutoff}.")
    if digest.broken:
        lines.append("")
        lines.append(f"**{len(digest.broken)} policy links no longer answer:**")
        lines += [
            f"- {link.title} (`{link.id}`): {link.url} ({why})" for link, why in digest.broken
        ]
    elif digest.links_checked:
        lines.append("Every policy link answers.")
    return lines


def as_reminder(digest: Digest) -> Reminder:
    return Reminder(
        id=DIGEST_ID,
        title="Policy review digest",
        text="\n".join(render(digest)),
        links=[Link(title=link.title, url=str(link.url)) for link, _ in digest.broken],
    )


def digest_job(
    knowledge: Knowledge,
    rule: Rule,
    destinations: list[Destination],
    months: int,
    check: LinkChecker | None,
) -> DigestJob:
    """The scheduler's job that sends the digest to the IG team's ``destinations``."""

    async def build(now: dt.datetime) -> Reminder:
        today = now.astimezone(LONDON).date()
        digest = await review_digest(knowledge, today, months, check)
        log.info(messages.REMINDER_DIGEST_SENT, len(digest.stale), len(digest.broken))
        return as_reminder(digest)

    return DigestJob(rule=rule, destinations=destinations, build=build)


def configured_digest(
    knowledge: Knowledge,
    settings: Settings,
    destinations: list[Destination],
    check: LinkChecker | None,
) -> DigestJob | None:
    """The digest job ``infoshare serve`` runs, from INFOSHARE_REMINDER_DIGEST_SCHEDULE and
    INFOSHARE_REMINDER_STALE_MONTHS; None when it is "off" or the IG team has no channel."""
    text = settings.reminder_digest_schedule
    if text.lower() == "off" or not destinations:
        return None
    months = settings.reminder_stale_months
    return digest_job(knowledge, parse_rule(text), destinations, months, check)
