"""The hand-off to the IG team: posted to their channel when a staff member asks for them.

It carries what the conversation chose (topic, answers, outcome, decision reference) rendered
with the knowledge's own labels, who asked, and a link to the conversation: never a word the
staff member typed.
"""

from __future__ import annotations

import re

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.api import safely
from adapters.slack.blocks import context, escape, mrkdwn, sections
from adapters.slack.convert import Place
from bot.knowledge import Knowledge
from bot.models import Handoff
from bot.summary import answer_lines

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,30}$")


class IgNotifier:
    """Posts hand-offs to ``channel`` (``INFOSHARE_SLACK_IG_CHANNEL``)."""

    def __init__(self, client: AsyncWebClient, channel: str, knowledge: Knowledge) -> None:
        self.client, self.channel, self.knowledge = client, channel, knowledge

    async def hand_off(
        self, handoff: Handoff, user: str, place: Place, origin_ts: str | None
    ) -> bool:
        """Post the hand-off; True once the IG channel has it."""
        link = None
        if origin_ts is not None:
            found = await safely(
                "chat.getPermalink",
                self.client.chat_getPermalink(channel=place.channel, message_ts=origin_ts),
            )
            link = found.get("permalink") if found else None
        blocks = handoff_blocks(self.knowledge, handoff, user, link)
        posted = await safely(
            "chat.postMessage",
            self.client.chat_postMessage(
                channel=self.channel,
                text=self.knowledge.messages.platform.handoff_title,
                blocks=blocks,
                unfurl_links=False,
            ),
        )
        return posted is not None

    def sent_notice(self) -> str:
        """What the staff member is told once the hand-off is posted, as mrkdwn."""
        where = f"<#{self.channel}>" if _CHANNEL_ID.match(self.channel) else escape(self.channel)
        said = self.knowledge.messages.platform.handoff_sent
        return mrkdwn(said).format(where=f" in {where}")


def handoff_blocks(
    knowledge: Knowledge, handoff: Handoff, user: str, link: str | None
) -> list[Block]:
    """The hand-off message: ids turned into the knowledge's labels, nothing typed."""
    words = knowledge.messages.platform
    topic = knowledge.topics.get(handoff.topic) if handoff.topic else None
    outcome = knowledge.outcomes.get(handoff.outcome) if handoff.outcome else None
    who = f"<@{user}>" if _USER_ID.match(user) else escape(user)
    fields = [
        (words.handoff_from, who),
        (words.handoff_topic, escape(topic.label if topic else words.not_yet)),
        (words.handoff_outcome, escape(outcome.title if outcome else words.not_yet)),
        (knowledge.messages.labels.reference, escape(handoff.decision_id or words.not_yet)),
    ]
    blocks: list[Block] = [
        *sections(f"**{words.handoff_title}**"),
        SectionBlock(fields=[MarkdownTextObject(text=f"*{escape(k)}*\n{v}") for k, v in fields]),
    ]
    answers = answer_lines(knowledge, handoff.topic, handoff.answers)
    if answers:
        blocks += sections(f"**{words.handoff_answers}**\n" + "\n".join(answers))
    if link and link.startswith("https://"):
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"<{escape(link)}|{words.handoff_link}>"))
        )
    blocks.append(context(f"{knowledge.organisation.short_name} · {knowledge.version}"))
    return blocks
