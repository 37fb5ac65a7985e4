"""What the conversation shows: a reply built from where the conversation stands, offering
whatever it is waiting on (a question's choices, the menu, related snippets) and the commands
that make sense there. The engine decides what happens; this lays it out as a ``Reply``. Showing
the menu or a snippet also puts the conversation in that mode, so what is offered and what is
accepted next can't drift apart."""

from __future__ import annotations

from bot.flows import FlowMap
from bot.knowledge import Knowledge
from bot.models import Choice, ConversationState, Link, Reply, Turn
from bot.schema import Snippet

RELATED_SHOWN = 4


class Screens:
    def __init__(self, knowledge: Knowledge, flows: dict[str, FlowMap]) -> None:
        self.knowledge = knowledge
        self.flows = flows

    def ask(self, turn: Turn, state: ConversationState, prefix: str = "") -> Reply:
        return self.reply(turn, state, join(prefix, self.question_text(state)))

    def snippets(
        self, turn: Turn, state: ConversationState, found: list[Snippet], prefix: str = ""
    ) -> Reply:
        top, related = found[0], found[1 : 1 + RELATED_SHOWN]
        state.mode, state.topic, state.question = "info", top.topic, None
        state.offered = [s.id for s in related]
        links = self.knowledge.links
        text = join(prefix, f"**{top.title}**\n\n{top.text}")
        if related:
            text = join(text, self.knowledge.messages.info_more)
        return Reply(
            conversation=turn.conversation,
            topic=top.topic,
            text=text,
            choices=[Choice(id=s.id, label=s.title) for s in related],
            actions=self.actions(state),
            links=[Link(title=links[i].title, url=str(links[i].url)) for i in top.links],
        )

    def menu(
        self, turn: Turn, state: ConversationState, said: str, topic: str | None = None
    ) -> Reply:
        state.reset()
        state.mode, state.topic = "menu", topic
        topics = [t for t in self.knowledge.topics.values() if t.id != "unknown"]
        state.offered = [t.id for t in topics]
        return self.reply(turn, state, join(said, self.knowledge.messages.menu))

    # Building replies ------------------------------------------------------------------------

    def reply(
        self,
        turn: Turn,
        state: ConversationState,
        text: str,
        error: str | None = None,
        with_help: bool = False,
    ) -> Reply:
        """A reply that shows ``text`` and re-offers whatever the conversation is waiting on."""
        question = None
        if state.mode == "question" and state.topic and state.question:
            question = self.flows[state.topic].questions[state.question]
        choices = self.choices(state)
        return Reply(
            conversation=turn.conversation,
            topic=state.topic,
            question=question.id if question else None,
            text=join(text, question.help) if (question and with_help) else text,
            help=question.help if question else None,
            choices=choices,
            actions=self.actions(state),
            error=error,
        )

    def choices(self, state: ConversationState) -> list[Choice]:
        if state.mode == "question" and state.topic and state.question:
            question = self.flows[state.topic].questions[state.question]
            return [Choice(id=c.id, label=c.label) for c in question.choices]
        if state.mode == "menu":
            return [Choice(id=t, label=self.knowledge.topics[t].label) for t in state.offered]
        if state.mode == "info":
            return [Choice(id=s, label=self.knowledge.snippets[s].title) for s in state.offered]
        return []

    def actions(self, state: ConversationState) -> list[Choice]:
        labels = self.knowledge.phrases.command_labels
        names = ["talk-to-ig"]
        if state.mode == "question":
            names = ["why", *(["back"] if state.answers else []), "start-over", "talk-to-ig"]
        elif state.mode == "done" and state.topic in self.flows and state.answers:
            names = ["back", "start-over", "talk-to-ig"]
        return [Choice(id=n, label=labels[n]) for n in names]  # type: ignore[index]

    def question_text(self, state: ConversationState) -> str:
        if state.mode == "question" and state.topic and state.question:
            return self.flows[state.topic].questions[state.question].text
        return ""


def join(*parts: str) -> str:
    """Paragraphs, leaving out the empty ones."""
    return "\n\n".join(p for p in parts if p)
