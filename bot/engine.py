"""The dialogue core: one turn in, one reply out. Every adapter talks to ``Engine.handle``."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Callable

from bot import messages as log_messages
from bot.answers import Reading, command, number, read
from bot.commands import Commands
from bot.flows import FlowMap
from bot.knowledge import Knowledge
from bot.models import ConversationState, DecisionRecord, Reply, Turn
from bot.progress import ProgressWriter, new_flow_id
from bot.queries import Heard, identifies, log_query, query_record
from bot.redaction import redact
from bot.routing import HELP, Route, Router
from bot.schema import COMMANDS, INFO_TOPICS
from bot.screens import Screens, join
from bot.snippets import SnippetFinder
from bot.summary import build_summary, new_decision_id, render_summary
from bot.text import normalise
from bot.types import Clock, ConversationStore, DecisionLog, QueryLog

log = logging.getLogger(__name__)
Pseudonymise = Callable[[str, str], str]
NEW_QUESTION_CONFIDENCE = 0.35  # mid-flow, free text this sure of a topic starts that topic
# ...and one that also names an answer only when it scores as much as a decisive term with
# company ("the police also want her school records"); short answers score far less, whatever
# topic their few words lean to ("we haven't asked them yet").
NEW_QUESTION_SCORE = 6.0


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
        self._commands = Commands(knowledge, self.flows, self.screens, self._go).table()

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
                if self.queries is not None and heard.logged:
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
        if not normalise(text):  # nothing typed (or only "?"): what can be done here, unlogged
            heard.logged = False
            return await self._commands["help"](turn, state)
        name = command(text, self.knowledge.phrases)
        if name is not None:
            return await self._commands[name](turn, state)
        if (at := number(text)) is not None:  # a number picks from what is on screen, if any
            heard.kind = "answer"
            return await self._number(turn, state, at)
        reading, route = Reading(), None
        if state.mode == "question" and state.topic and state.question:
            question = self.flows[state.topic].questions[state.question]
            says = {c.id: c.says for c in question.choices}
            reading = read(text, self.screens.choices(state), self.knowledge.phrases, says)
            if reading.loose:  # a choice named among other words: unless it's a new question
                route = self.router.route(text)
                best = max(route.scores.values(), default=0.0)
                if self._new_question(state, route) and best >= NEW_QUESTION_SCORE:
                    reading = Reading()
            if reading.choice is not None:
                heard.kind = "answer"
                return await self._answer(turn, state, reading.choice)
        return await self._free_text(turn, state, text, heard, route, reading.ambiguous)

    async def _number(self, turn: Turn, state: ConversationState, at: int) -> Reply:
        choices = self.screens.choices(state)
        if 1 <= at <= len(choices):
            chosen = choices[at - 1].id
            if state.mode == "question":
                return await self._answer(turn, state, chosen)
            return await self._choice(turn, state, chosen)
        words = self.knowledge.messages
        said = words.unknown_choice if choices else words.no_numbered_choices
        if state.mode == "idle":
            return self.screens.menu(turn, state, said)
        return self.screens.reply(turn, state, join(said, self.screens.question_text(state)))

    def _new_question(self, state: ConversationState, route: Route) -> bool:
        """Whether, mid-flow, free text is sure enough of another topic to start it. Words
        about the topic in hand ("the officer is pushy") are not a new question: starting that
        topic again would throw away the answers so far."""
        other = route.topic not in (HELP, "unknown", state.topic)
        return other and route.confidence >= NEW_QUESTION_CONFIDENCE

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
        self,
        turn: Turn,
        state: ConversationState,
        text: str,
        heard: Heard,
        route: Route | None = None,
        ambiguous: bool = False,
    ) -> Reply:
        route = route or self.router.route(text)
        heard.kind, heard.topic, heard.confidence = "question", route.topic, route.confidence
        if state.mode == "question":
            if not self._new_question(state, route):
                words = self.knowledge.messages
                again = words.ambiguous if ambiguous else words.not_understood
                said = again.format(question=self.screens.question_text(state))
                return self.screens.reply(turn, state, said)
            prefix = self.knowledge.messages.new_topic
            return await self._start_topic(turn, state, route.topic, text, prefix)
        if route.topic == HELP:
            return self.screens.menu(turn, state, self.knowledge.messages.welcome)
        return await self._start_topic(turn, state, route.topic, text)

    async def _start_topic(
        self, turn: Turn, state: ConversationState, topic: str, text: str | None, prefix: str = ""
    ) -> Reply:
        if topic == "unknown":  # no new topic: a decision made stays in hand (see menu)
            org = self.knowledge.organisation
            said = self.knowledge.messages.unknown.format(
                ig_team=org.ig_team.name, ig_contact=self.knowledge.contact(org.ig_team)
            )
            return self.screens.menu(turn, state, said, topic="unknown")
        state.reset()  # a new topic starts from nothing
        state.topic = topic
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
