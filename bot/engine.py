"""The dialogue core: one turn in, one reply out. Every adapter talks to ``Engine.handle``."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Awaitable, Callable

from bot import messages as log_messages
from bot.answers import answer, command
from bot.flows import FlowMap
from bot.knowledge import Knowledge
from bot.models import ConversationState, DecisionRecord, Handoff, Link, Reply, Turn
from bot.progress import ProgressWriter, new_flow_id
from bot.queries import Heard, identifies, log_query, query_record
from bot.redaction import redact
from bot.routing import HELP, Router
from bot.schema import COMMANDS, INFO_TOPICS
from bot.screens import Screens, join
from bot.snippets import SnippetFinder
from bot.summary import build_summary, new_decision_id, render_summary
from bot.types import Clock, ConversationStore, DecisionLog, QueryLog

log = logging.getLogger(__name__)
Pseudonymise = Callable[[str, str], str]
NEW_QUESTION_CONFIDENCE = 0.35  # mid-flow, free text this sure of a topic starts that topic


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine:
    def __init__(
        self,
        knowledge: Knowledge,
        store: ConversationStore,
        decisions: DecisionLog,
        pseudonymise: Pseudonymise,
        clock: Clock = utc_now,
        queries: QueryLog | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.queries = queries
        self.progress = ProgressWriter(queries) if queries is not None else None
        self.store = store
        self.decisions = decisions
        self.pseudonymise = pseudonymise
        self.clock = clock
        self.flows = {topic: FlowMap(flow) for topic, flow in knowledge.flows.items()}
        self.router = Router(
            knowledge.topics.values(),
            knowledge.phrases.greetings,
            vocabulary=[k for s in knowledge.snippets.values() for k in (*s.keywords, s.title)],
            examples=knowledge.examples,
        )
        self.finder = SnippetFinder(knowledge.snippets.values(), knowledge.topics.values())
        self.screens = Screens(knowledge, self.flows)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._commands: dict[str, Callable[[Turn, ConversationState], Awaitable[Reply]]] = {
            "start-over": self._start_over,
            "cancel": self._cancel,
            "back": self._back,
            "help": self._help,
            "why": self._why,
            "talk-to-ig": self._talk_to_ig,
        }

    async def flush(self) -> None:
        """Write what the engine holds back (flow progress) before its logs are closed."""
        if self.progress is not None:
            await self.progress.flush()

    async def handle(self, turn: Turn) -> Reply:
        """Answer one turn. Turns of one conversation are handled one at a time."""
        key = f"{turn.channel}:{turn.conversation}"
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            saved = await self.store.get(key) or ConversationState()
            state = saved.copied()
            heard = Heard("command", state.topic)
            reply = await self._turn(turn, state, heard)
            if turn.text is not None:
                redacted = redact(turn.text)  # the raw text goes no further than this
                if identifies(redacted) and not state.identifiers_noted:
                    state.identifiers_noted = True
                    reply.text = join(self.knowledge.messages.no_identifiers_needed, reply.text)
                if self.queries is not None:
                    user = self.pseudonymise(turn.channel, turn.user)
                    record = query_record(turn, user, redacted, heard, self.clock())
                    await log_query(self.queries, record)
            if reply.error != "record-failed":  # keep the old state so the answer can be retried
                if self.progress is not None:
                    await self.progress.note(saved, state, turn.channel, self.clock())
                await self.store.put(key, state)
            return reply

    async def _turn(self, turn: Turn, state: ConversationState, heard: Heard) -> Reply:
        if turn.choice is not None:
            return await self._choice(turn, state, turn.choice)
        text = turn.text or ""
        name = command(text, self.knowledge.phrases)
        if name is not None:
            return await self._commands[name](turn, state)
        if state.mode == "question" and state.topic and state.question:
            question = self.flows[state.topic].questions[state.question]
            says = {c.id: c.says for c in question.choices}
            chosen = answer(text, self.screens.choices(state), self.knowledge.phrases, says)
            if chosen is not None:
                heard.kind = "answer"
                return await self._answer(turn, state, chosen)
        return await self._free_text(turn, state, text, heard)

    async def _choice(self, turn: Turn, state: ConversationState, choice: str) -> Reply:
        if choice in COMMANDS:
            return await self._commands[choice](turn, state)
        if state.mode == "menu" and choice in self.knowledge.snippets:
            # From the menu any policy snippet opens by its id: a reminder's "Ask me about this"
            # names the one it came from, which its title alone might route elsewhere.
            return self.screens.snippets(turn, state, self.finder.around(choice))
        if choice not in state.offered:
            return self.screens.reply(turn, state, self.knowledge.messages.unknown_choice,
                               error="unknown-choice")  # fmt: skip
        if state.mode == "question":
            return await self._answer(turn, state, choice)
        if choice in self.knowledge.topics:
            return await self._start_topic(turn, state, choice, None)
        return self.screens.snippets(turn, state, self.finder.around(choice))

    async def _free_text(
        self, turn: Turn, state: ConversationState, text: str, heard: Heard
    ) -> Reply:
        route = self.router.route(text)
        heard.kind, heard.topic, heard.confidence = "question", route.topic, route.confidence
        if state.mode == "question":
            # Words about the topic already in hand ("the officer is pushy") are not a new
            # question: starting that topic again would throw away the answers so far.
            unclear = route.topic in (HELP, "unknown", state.topic)
            if unclear or route.confidence < NEW_QUESTION_CONFIDENCE:
                question = self.screens.question_text(state)
                said = self.knowledge.messages.not_understood.format(question=question)
                return self.screens.reply(turn, state, said)
            prefix = self.knowledge.messages.new_topic
            return await self._start_topic(turn, state, route.topic, text, prefix)
        if route.topic == HELP:
            return self.screens.menu(turn, state, self.knowledge.messages.welcome)
        return await self._start_topic(turn, state, route.topic, text)

    async def _start_topic(
        self, turn: Turn, state: ConversationState, topic: str, text: str | None, prefix: str = ""
    ) -> Reply:
        state.reset()  # a new topic starts from nothing
        state.topic = topic
        if topic == "unknown":
            org = self.knowledge.organisation
            said = self.knowledge.messages.unknown.format(
                ig_team=org.ig_team.name, ig_contact=self.knowledge.contact(org.ig_team)
            )
            return self.screens.menu(turn, state, said, topic="unknown")
        if topic in INFO_TOPICS:
            return self.screens.snippets(turn, state, self.finder.best(topic, text), prefix)
        flow = self.flows[topic]
        state.flow = new_flow_id()  # for flow progress only: linked to no user or conversation
        return await self._go(turn, state, flow.flow.start, join(prefix, flow.flow.opening))

    async def _answer(self, turn: Turn, state: ConversationState, choice: str) -> Reply:
        assert state.topic and state.question
        flow = self.flows[state.topic]
        target = flow.step(state.question, choice, state.answers)
        state.answers.append((state.question, choice))
        return await self._go(turn, state, target)

    async def _go(
        self, turn: Turn, state: ConversationState, target: str, prefix: str = ""
    ) -> Reply:
        assert state.topic
        flow = self.flows[state.topic]
        if target in flow.questions:
            state.mode, state.question = "question", target
            state.offered = [c.id for c in flow.questions[target].choices]
            return self.screens.ask(turn, state, prefix)
        return await self._decide(turn, state, flow, target, prefix)

    async def _decide(
        self, turn: Turn, state: ConversationState, flow: FlowMap, result_id: str, prefix: str
    ) -> Reply:
        assert state.topic
        result = flow.results[result_id]
        record = DecisionRecord(
            id=new_decision_id(),
            time=self.clock(),
            channel=turn.channel,
            user=self.pseudonymise(turn.channel, turn.user),
            topic=state.topic,
            answers=list(state.answers),
            outcome=result.outcome,
            knowledge_version=self.knowledge.version,
            revises=state.revising,
        )
        try:
            await self.decisions.record(record)
        except Exception as exc:  # any storage failure: say so, keep the answers, retry later
            log.error(log_messages.DECISION_NOT_RECORDED, state.topic, type(exc).__name__)
            org = self.knowledge.organisation
            said = self.knowledge.messages.record_failed.format(
                ig_team=org.ig_team.name, ig_contact=self.knowledge.contact(org.ig_team)
            )
            return self.screens.reply(turn, state, said, error="record-failed")
        summary = build_summary(
            self.knowledge, flow, result, state.answers, record.id, record.time, record.revises
        )
        state.mode, state.question, state.offered, state.revising = "done", None, [], None
        state.outcome, state.decision_id = result.outcome, record.id
        text = join(prefix, render_summary(self.knowledge, summary))
        return Reply(
            conversation=turn.conversation,
            topic=state.topic,
            text=join(text, self.knowledge.messages.after_decision),
            actions=self.screens.actions(state),
            links=summary.links,
            outcome=result.outcome,
            decision_id=record.id,
            summary=summary,
        )

    # Commands --------------------------------------------------------------------------------

    async def _start_over(self, turn: Turn, state: ConversationState) -> Reply:
        words = self.knowledge.messages
        decided = state.decision_id
        said = words.restarted_after_decision.format(decision_id=decided) if decided else (
            words.restarted)  # fmt: skip
        return self.screens.menu(turn, state, said)

    async def _cancel(self, turn: Turn, state: ConversationState) -> Reply:
        words = self.knowledge.messages
        decided = state.decision_id
        state.reset()
        said = words.cancelled_after_decision.format(decision_id=decided) if decided else (
            words.cancelled)  # fmt: skip
        return self.screens.reply(turn, state, said)

    async def _back(self, turn: Turn, state: ConversationState) -> Reply:
        if state.topic not in self.flows or not state.answers:
            said = self.knowledge.messages.nothing_to_undo
            return self.screens.reply(turn, state, join(said, self.screens.question_text(state)))
        question, _ = state.answers.pop()
        decided, state.outcome, state.decision_id = state.decision_id, None, None
        if decided is None:
            return await self._go(turn, state, question)
        # The decision stays in the log; the next one made here is recorded as replacing it.
        state.revising = decided
        said = self.knowledge.messages.back_after_decision.format(decision_id=decided)
        return await self._go(turn, state, question, said)

    async def _help(self, turn: Turn, state: ConversationState) -> Reply:
        if state.mode != "question":
            return self.screens.menu(turn, state, self.knowledge.messages.welcome)
        return self.screens.reply(turn, state, self.screens.question_text(state), with_help=True)

    async def _why(self, turn: Turn, state: ConversationState) -> Reply:
        if state.mode != "question" or not state.topic or not state.question:
            return self.screens.reply(turn, state, self.knowledge.messages.why_nothing)
        question = self.flows[state.topic].questions[state.question]
        rules = [self.knowledge.snippets[r] for r in question.rules]
        said = question.why
        if rules:
            said += "\n\n" + "\n".join(f"- **{s.title}** ({s.source})" for s in rules)
        links = self.knowledge.links
        reply = self.screens.reply(turn, state, join(said, question.text))
        reply.links = [Link(title=links[i].title, url=str(links[i].url))
                       for i in dict.fromkeys(x for s in rules for x in s.links)]  # fmt: skip
        return reply

    async def _talk_to_ig(self, turn: Turn, state: ConversationState) -> Reply:
        org = self.knowledge.organisation
        said = self.knowledge.messages.ig_contact.format(
            ig_team=org.ig_team.name,
            ig_contact=self.knowledge.contact(org.ig_team),
            caldicott_guardian=org.caldicott_guardian,
        )
        reply = self.screens.reply(turn, state, join(said, self.screens.question_text(state)))
        reply.handoff = Handoff(topic=state.topic, answers=list(state.answers),
                                outcome=state.outcome, decision_id=state.decision_id)  # fmt: skip
        return reply
