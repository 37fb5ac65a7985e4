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
from bot.summary import answer_lines

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
        self,
        turn: Turn,
        state: ConversationState,
        said: str,
        topic: str | None = None,
        forget: bool = False,
    ) -> Reply:
        """The topics to choose from. A decision made in the conversation is remembered (so
        starting over or cancelling later still says it stays recorded) unless ``forget``."""
        kept = (state.decision_id, state.revising)
        state.reset()
        if not forget:
            state.decision_id, state.revising = kept
        state.mode, state.topic = "menu", topic
        topics = [t for t in self.knowledge.topics.values() if t.id != "unknown"]
        state.offered = [t.id for t in topics]
        return self.reply(turn, state, join(said, self.knowledge.messages.menu))

    def help(self, turn: Turn, state: ConversationState) -> Reply:
        """Mid-flow or after a decision: what can be typed or pressed there, in place. (The
        question's own hint is in ``help``, which every platform shows once.)"""
        words = self.knowledge.messages.help
        if state.mode == "question":
            lines = [words.why, *([words.back] if state.answers else []), words.start_over,
                     words.cancel, words.talk_to_ig]  # fmt: skip
            text = join(_listed(words.question_intro, lines), self.question_text(state))
            return self.reply(turn, state, text)
        back = "back" in [a.id for a in self.actions(state)]
        lines = [words.why_decision, *([words.back_decision] if back else []), words.start_over,
                 words.cancel, words.talk_to_ig]  # fmt: skip
        intro = words.decision_intro.format(decision_id=state.decision_id)
        return self.reply(turn, state, _listed(intro, lines))

    def reasons(self, turn: Turn, state: ConversationState) -> Reply:
        """After a decision: the answers, lawful basis and rules it rests on, in brief."""
        assert state.topic and state.decision_id
        flow, knowledge = self.flows[state.topic], self.knowledge
        words, labels = knowledge.messages, knowledge.messages.labels
        said = words.why_decision.format(decision_id=state.decision_id)
        answers = "\n".join(answer_lines(knowledge, state.topic, state.answers))
        text = said + ("\n" + answers if answers else "")
        try:
            result = flow.results[flow.replay(state.answers)]
        except KeyError:  # the knowledge changed since: the answers are still the reasons
            return self.reply(turn, state, text, without="why")
        rules = [knowledge.snippets[r] for r in result.rules if r in knowledge.snippets]
        text = join(text, f"**{labels.basis}**\n{result.basis}")
        if rules:
            listed = "\n".join(f"- {s.title} ({s.source})" for s in rules)
            text = join(text, f"**{labels.rules}**\n{listed}")
        reply = self.reply(turn, state, text, without="why")
        reply.links = self.links([*result.links, *(i for s in rules for i in s.links)])
        return reply

    # Building replies ------------------------------------------------------------------------

    def links(self, ids: list[str]) -> list[Link]:
        """The policy links with these ids, once each, in order."""
        links = self.knowledge.links
        return [Link(title=links[i].title, url=str(links[i].url))
                for i in dict.fromkeys(ids) if i in links]  # fmt: skip

    def reply(
        self,
        turn: Turn,
        state: ConversationState,
        text: str,
        error: str | None = None,
        without: str | None = None,
    ) -> Reply:
        """A reply that shows ``text`` and re-offers whatever the conversation is waiting on,
        and the commands that make sense there (but not ``without``, the one just used)."""
        question = None
        if state.mode == "question" and state.topic and state.question:
            question = self.flows[state.topic].questions[state.question]
        return Reply(
            conversation=turn.conversation,
            topic=state.topic,
            question=question.id if question else None,
            text=text,
            help=question.help if question else None,
            choices=self.choices(state),
            actions=[a for a in self.actions(state) if a.id != without],
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


def _listed(intro: str, lines: list[str]) -> str:
    return "\n".join([intro, *(f"- {line}" for line in lines)])
