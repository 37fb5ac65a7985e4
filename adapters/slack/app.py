"""The bolt app: Slack events in, core turns through the engine, Block Kit replies out.

Every listener acknowledges at once and leaves the slow part (the engine's turn with its
database write, the Web API calls) to a tracked background task, so Slack always has its answer
well inside three seconds. The adapter makes no decisions: it passes on what was typed or the id
of the button pressed, and shows what the core replies.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.background import Background
from adapters.slack import blocks, convert, reminders
from adapters.slack.api import safely
from adapters.slack.convert import Incoming, Place, Pressed
from adapters.slack.ig_team import SlackIgTeam
from adapters.slack.notifier import IgNotifier
from bot import messages
from bot.engine import Engine
from bot.models import Reply
from bot.reminders import commands
from bot.reminders.service import Reminders
from bot.settings import Settings
from bot.types import SeenKeys

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[None]]
OUR_BUTTONS = re.compile(f"^{blocks.BLOCK_ID}-")
SHARED_BUTTONS = re.compile(f"^{convert.SHARED_BLOCK}")  # a reminder's "Ask me about this"


def build_slack(
    engine: Engine,
    settings: Settings,
    background: Background,
    client: AsyncWebClient,
    reminders: Callable[[], Reminders | None] = lambda: None,
    seen: SeenKeys | None = None,
) -> AsyncApp:
    """A bolt app answering Slack for ``engine``; work after the ack goes to ``background``.
    ``reminders`` gives the reminder commands once the server has them running. Retries are
    remembered in ``seen``, by default beside the engine's conversations (in Redis, for every
    instance, when they are there)."""
    assert settings.slack_signing_secret is not None
    bolt = AsyncApp(
        name="infoshare",
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=client,
        # Listeners run before the response, but only ack and start a background task: that
        # keeps the ack fast and the background work ours to drain, where bolt's own
        # fire-and-forget tasks could be lost at shutdown.
        process_before_response=True,
        # Every request over HTTP has had its signature checked by adapters.slack.routes before
        # it gets here (answering 401 where bolt would answer 500), and Socket Mode has none:
        # checking again would only cost time.
        request_verification_enabled=False,
        logger=quiet_logger(),
    )
    bolt.use(Deduplicate(engine.store.seen_keys() if seen is None else seen))
    adapter = SlackAdapter(engine, background, client, settings.slack_ig_channel)
    adapter.ig_team = SlackIgTeam(client, settings.ig_slack_users, settings.ig_slack_usergroups)
    adapter.reminders = reminders
    adapter.register(bolt)
    return bolt


def quiet_logger() -> logging.Logger:
    """Bolt's loggers, kept from writing request bodies: bolt logs a body that fails signature
    verification at INFO, and the SDKs log payloads at DEBUG."""
    logger = logging.getLogger("adapters.slack.bolt")
    logger.setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))
    if not logger.filters:
        logger.addFilter(lambda record: "RequestVerification" not in record.name)
    logging.getLogger("slack_sdk").setLevel(logger.level)
    return logger


class Deduplicate(AsyncMiddleware):
    """Acknowledges, without handling again, an event Slack retries (same ``event_id``) or a
    second press on a message whose button was already pressed, whichever instance took the
    first: ``seen`` is shared when the conversations are."""

    def __init__(self, seen: SeenKeys) -> None:
        self._seen = seen

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # bolt's keyword name
    ) -> BoltResponse:
        key = convert.dedupe_key(req.body)
        if key is not None and not await self._seen.first_time(f"{convert.CHANNEL}:{key}"):
            log.info(messages.SLACK_DUPLICATE, key.split(":", 1)[0])
            return BoltResponse(status=200, body="")
        return await next()


class SlackAdapter:
    """The listeners, and the background work they start."""

    def __init__(
        self,
        engine: Engine,
        background: Background,
        client: AsyncWebClient,
        ig_channel: str | None,
    ) -> None:
        self.engine, self.background, self.client = engine, background, client
        self.ig_team = SlackIgTeam(client, (), ())  # nobody, until configured
        self.reminders: Callable[[], Reminders | None] = lambda: None
        self.notifier = IgNotifier(client, ig_channel, engine.knowledge) if ig_channel else None
        knowledge = engine.knowledge
        principles = engine.finder.best("principles", "caldicott principles")[0]
        topics = [t for t in knowledge.topics.values() if t.id != "unknown"]
        self.home = blocks.home_view(
            knowledge.messages.welcome, knowledge.messages.menu, topics, principles
        )

    def register(self, bolt: AsyncApp) -> None:
        # Bolt tries listeners in this order, running every matcher of each until one fits:
        # presses, the commonest request, first.
        bolt.block_action({"block_id": OUR_BUTTONS, "action_id": re.compile(".*")})(self.on_press)
        bolt.block_action({"block_id": SHARED_BUTTONS, "action_id": re.compile(".*")})(self.on_ask)
        bolt.event("message")(self.on_message)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("app_home_opened")(self.on_home_opened)
        bolt.event(re.compile(".*"))(self.on_other_event)  # acked, so Slack doesn't retry it
        bolt.command(re.compile(r"^/infoshare"))(self.on_command)

    # Listeners: acknowledge, hand the rest to the background --------------------------------

    async def on_message(self, ack: Ack, event: dict[str, Any]) -> None:
        await ack()
        self._start(convert.from_message(event))

    async def on_mention(self, ack: Ack, event: dict[str, Any]) -> None:
        await ack()
        self._start(convert.from_mention(event))

    async def on_command(self, ack: Ack, body: dict[str, Any]) -> None:
        incoming = convert.from_command(body)
        moved = self.engine.knowledge.messages.platform.continued_in_dm
        await ack(blocks.mrkdwn(moved) if incoming.place is None else "")
        self._start(incoming)

    async def on_press(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        self._start(convert.from_action(body))

    async def on_ask(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        self._start(convert.from_ask(body))

    async def on_home_opened(self, ack: Ack, event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab") == "home" and isinstance(event.get("user"), str):
            call = self.client.views_publish(user_id=event["user"], view=self.home)
            self.background.spawn(self._quietly("views.publish", call), "slack-home")

    async def on_other_event(self, ack: Ack) -> None:
        await ack()

    def _start(self, incoming: Incoming | None) -> None:
        if incoming is not None:
            self.background.spawn(self.converse(incoming), f"slack-{incoming.kind}")

    # After the ack ---------------------------------------------------------------------------

    async def converse(self, incoming: Incoming) -> None:
        """Run the turn(s) through the engine and show the reply where the user is."""
        place = incoming.place or await self._open_dm(incoming.user)
        if place is None:
            return
        service = self.reminders()
        if incoming.text is not None and service is not None:
            if commands.is_reminder_command(incoming.text):
                await self.reminder_command(incoming.text, incoming.user, place, service)
                return
        try:  # first, so a conversation's turns reach the engine in the order they arrived
            replies = [await self.engine.handle(turn) for turn in incoming.turns(place)]
        except Exception as exc:  # logged by type only: the message may hold case details
            log.error(messages.SLACK_TURN_FAILED, incoming.kind, type(exc).__name__)
            return
        reply = replies[-1]
        notice = None
        if reply.handoff is not None and self.notifier is not None:
            sent = await self.notifier.hand_off(
                reply.handoff, incoming.user, place, incoming.origin_ts
            )
            notice = self.notifier.sent_notice() if sent else None
        pressed = incoming.pressed
        if pressed is None:
            await self.post(place, reply, notice)
            return
        taken = reply.error is None  # not a stale button, nor an answer that wasn't saved
        label = pressed.label if taken else None
        if blocks.is_summary(pressed.blocks):  # a decision stays on screen; the reply follows
            await self._update(pressed, pressed.text, blocks.answered(pressed.blocks, label))
            await self.post(place, reply, notice)
            return
        # A question becomes its answer and what comes next: one call, not an update and a post.
        shown = blocks.reply_blocks(reply, self.engine.knowledge.messages, notice)
        await self._update(
            pressed, blocks.fallback(reply), blocks.in_place(pressed.blocks, label, shown)
        )

    async def reminder_command(
        self, text: str, user: str, place: Place, service: Reminders
    ) -> None:
        """An IG member managing reminders (the core reads the command and refuses anyone
        else); the answer, or the polite refusal, shown where they asked."""
        allowed = await self.ig_team.has(user)
        pseudonym = self.engine.pseudonymise(convert.CHANNEL, user)
        try:
            reply = await commands.handle(text, allowed=allowed, user=pseudonym, reminders=service)
        except Exception as exc:  # the reminder store down, say: logged by type, never the text
            log.error(messages.SLACK_TURN_FAILED, "reminder-command", type(exc).__name__)
            return
        words = self.engine.knowledge.messages.platform
        await safely(
            "chat.postMessage",
            self.client.chat_postMessage(
                channel=place.channel,
                thread_ts=place.thread_ts,
                text=blocks.escape(reply.text.split("\n", 1)[0][: blocks.FALLBACK_LIMIT]),
                blocks=reminders.command_blocks(reply, words),
                unfurl_links=False,
                unfurl_media=False,
            ),
        )

    async def post(self, place: Place, reply: Reply, notice: str | None = None) -> None:
        """Show ``reply`` at ``place``; a failure is logged, and the decision (recorded before
        the reply was made) stays recorded."""
        shown = blocks.reply_blocks(reply, self.engine.knowledge.messages, notice)
        await safely(
            "chat.postMessage",
            self.client.chat_postMessage(
                channel=place.channel,
                thread_ts=place.thread_ts,
                text=blocks.fallback(reply),
                blocks=shown,
                unfurl_links=False,
                unfurl_media=False,
            ),
        )

    async def _update(self, pressed: Pressed, text: str, shown: list[dict[str, Any]]) -> None:
        await safely(
            "chat.update",
            self.client.chat_update(
                channel=pressed.channel, ts=pressed.ts, text=text, blocks=shown
            ),
        )

    async def _open_dm(self, user: str) -> Place | None:
        opened = await safely("conversations.open", self.client.conversations_open(users=user))
        channel = (opened or {}).get("channel", {}).get("id")
        return Place(channel) if isinstance(channel, str) else None

    @staticmethod
    async def _quietly(method: str, call: Awaitable[Any]) -> None:
        await safely(method, call)
