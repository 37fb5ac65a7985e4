"""The commands staff can type or press at any point of a conversation: start over, cancel,
back, help, why and talk to the IG team. Each takes the turn and the conversation's state (which
it may change) and returns the reply; ``Engine`` dispatches to them by id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.flows import FlowMap
from bot.knowledge import Knowledge
from bot.models import ConversationState, Handoff, Reply, Turn
from bot.screens import Screens, join

Command = Callable[[Turn, ConversationState], Awaitable[Reply]]
# How Back moves the conversation to a question: the engine's own step, so a question reached
# by going back is asked exactly as one reached going forward.
Go = Callable[[Turn, ConversationState, str, str], Awaitable[Reply]]


class Commands:
    def __init__(
        self, knowledge: Knowledge, flows: dict[str, FlowMap], screens: Screens, go: Go
    ) -> None:
        self.knowledge, self.flows, self.screens, self.go = knowledge, flows, screens, go

    def table(self) -> dict[str, Command]:
        """Each command's handler by its id (``bot.schema.COMMANDS``)."""
        return {
            "start-over": self.start_over,
            "cancel": self.cancel,
            "back": self.back,
            "help": self.help,
            "why": self.why,
            "talk-to-ig": self.talk_to_ig,
        }

    async def start_over(self, turn: Turn, state: ConversationState) -> Reply:
        words = self.knowledge.messages
        return self._leave(turn, state, words.restarted, words.restarted_after_decision)

    async def cancel(self, turn: Turn, state: ConversationState) -> Reply:
        words = self.knowledge.messages
        return self._leave(turn, state, words.cancelled, words.cancelled_after_decision)

    def _leave(self, turn: Turn, state: ConversationState, plain: str, decided: str) -> Reply:
        """The conversation forgotten, saying so, and naming the decision that stays recorded
        if there is one (never "nothing was recorded" then). The topics follow, so a number
        typed next picks one rather than going nowhere."""
        decision = _in_hand(state)
        said = decided.format(decision_id=decision) if decision else plain
        return self.screens.menu(turn, state, said, forget=True)

    async def back(self, turn: Turn, state: ConversationState) -> Reply:
        if state.topic not in self.flows or not state.answers:
            said = self.knowledge.messages.nothing_to_undo
            return self.screens.reply(turn, state, join(said, self.screens.question_text(state)))
        question, _ = state.answers.pop()
        decided, state.outcome, state.decision_id = state.decision_id, None, None
        if decided is None:
            return await self.go(turn, state, question, "")
        # The decision stays in the log; the next one made here is recorded as replacing it.
        state.revising = decided
        said = self.knowledge.messages.back_after_decision.format(decision_id=decided)
        return await self.go(turn, state, question, said)

    async def help(self, turn: Turn, state: ConversationState) -> Reply:
        """What can be done where the conversation is, leaving it there: the question (or the
        decision, so Back still works) stays; elsewhere, the topics."""
        if state.mode == "question" or (state.mode == "done" and state.decision_id):
            return self.screens.help(turn, state)
        words = self.knowledge.messages
        return self.screens.menu(turn, state, join(words.welcome, words.help.menu_intro))

    async def why(self, turn: Turn, state: ConversationState) -> Reply:
        if state.mode == "done" and state.topic in self.flows and state.decision_id:
            return self.screens.reasons(turn, state)
        if state.mode != "question" or not state.topic or not state.question:
            return self.screens.reply(turn, state, self.knowledge.messages.why_nothing)
        question = self.flows[state.topic].questions[state.question]
        rules = [self.knowledge.snippets[r] for r in question.rules]
        said = question.why
        if rules:
            said += "\n\n" + "\n".join(f"- **{s.title}** ({s.source})" for s in rules)
        reply = self.screens.reply(turn, state, join(said, question.text), without="why")
        reply.links = self.screens.links([x for s in rules for x in s.links])
        return reply

    async def talk_to_ig(self, turn: Turn, state: ConversationState) -> Reply:
        org = self.knowledge.organisation
        said = self.knowledge.messages.ig_contact.format(
            ig_team=org.ig_team.name,
            ig_contact=self.knowledge.contact(org.ig_team),
            caldicott_guardian=org.caldicott_guardian,
        )
        text = join(said, self.screens.question_text(state))
        reply = self.screens.reply(turn, state, text, without="talk-to-ig")
        reply.handoff = Handoff(topic=state.topic, answers=list(state.answers),
                                outcome=state.outcome, decision_id=state.decision_id)  # fmt: skip
        return reply


def _in_hand(state: ConversationState) -> str | None:
    """The decision this conversation has recorded and not yet left for a new topic: the one
    on screen, or the one gone back from (which stays recorded until replaced)."""
    return state.decision_id or state.revising
