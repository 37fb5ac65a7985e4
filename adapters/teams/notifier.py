"""The hand-off to the IG team: posted to their Teams conversation when a staff member asks.

It carries what the conversation chose (topic, answers, outcome, decision reference) rendered
with the knowledge's own labels, and who asked (an @mention, so the IG team can reply): never a
word the staff member typed.
"""

from __future__ import annotations

from botbuilder.schema import ConversationAccount, ConversationReference

from adapters.teams import cards
from adapters.teams.cards import Card, blocks, text_block
from adapters.teams.outbox import Outbox
from bot.knowledge import Knowledge
from bot.models import Handoff
from bot.summary import answer_lines


class IgNotifier:
    """Posts hand-offs to ``conversation`` (``INFOSHARE_TEAMS_IG_CONVERSATION``)."""

    def __init__(self, outbox: Outbox, conversation: str, knowledge: Knowledge) -> None:
        self.outbox, self.conversation, self.knowledge = outbox, conversation, knowledge

    async def hand_off(
        self, handoff: Handoff, asked: ConversationReference, name: str | None
    ) -> bool:
        """Post the hand-off through the service that brought the request (the same tenant's);
        True once the IG conversation has it."""
        user = asked.user.id if asked.user is not None else None
        target = ConversationReference(
            channel_id=asked.channel_id,
            service_url=asked.service_url,
            bot=asked.bot,
            conversation=ConversationAccount(id=self.conversation, is_group=True),
        )
        shown = handoff_card(self.knowledge, handoff, name, user)
        title = self.knowledge.messages.platform.handoff_title
        return await self.outbox.deliver(target, [cards.message(shown, title)])


def handoff_card(
    knowledge: Knowledge, handoff: Handoff, name: str | None, user: str | None
) -> Card:
    """The hand-off card: ids turned into the knowledge's labels, nothing typed."""
    words = knowledge.messages.platform
    topic = knowledge.topics.get(handoff.topic) if handoff.topic else None
    outcome = knowledge.outcomes.get(handoff.outcome) if handoff.outcome else None
    mention = f"<at>{name}</at>" if name and user else None
    facts = [
        (words.handoff_topic, topic.label if topic else words.not_yet),
        (words.handoff_outcome, outcome.title if outcome else words.not_yet),
        (knowledge.messages.labels.reference, handoff.decision_id or words.not_yet),
    ]
    body = [
        text_block(words.handoff_title, size="Medium", weight="Bolder"),
        text_block(f"**{words.handoff_from}:** {mention or words.someone}"),
        {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in facts]},
    ]
    answers = answer_lines(knowledge, handoff.topic, handoff.answers)
    if answers:
        body += blocks(f"**{words.handoff_answers}**\n" + "\n".join(answers))
    body.append(text_block(f"{knowledge.organisation.short_name} · {knowledge.version}",
                           isSubtle=True, size="Small"))  # fmt: skip
    shown = cards.card(body, words.handoff_title)
    if mention is not None:  # Teams turns <at>name</at> into a mention only with its entity
        mentioned = {"id": user, "name": name}
        shown["msteams"]["entities"] = [
            {"type": "mention", "text": mention, "mentioned": mentioned}
        ]
    return shown
