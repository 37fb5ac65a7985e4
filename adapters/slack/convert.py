"""Slack payloads -> what the core needs: pure functions over Slack's JSON, no SDK, no I/O.

Conversation keys: a direct message conversation is its DM channel; a conversation started by
an @mention lives in the mention's thread, so its key is the channel and the thread's root.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotated_types import MaxLen

from bot.models import Turn

CHANNEL = "slack"
TEXT_LIMIT = next(m.max_length for m in Turn.model_fields["text"].metadata if isinstance(m, MaxLen))
OPENING = "help"  # what an empty message or bare /infoshare says: the menu, as in the terminal
# Buttons everyone in a channel shares (a reminder's "Ask me about this"): each press is its own,
# and answered in the presser's DM.
SHARED_BLOCK = "infoshare_reminder"
DM_NAME = "directmessage"  # Slack's channel_name for a slash command used in a DM

_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")  # <https://x|label>, <#C1|general>
_MARKUP = re.compile(r"<[@!#][^<>]*>")  # user, channel and special mentions without a label
_BARE = re.compile(r"<([^<>]*)>")  # <https://x>


@dataclass(frozen=True)
class Place:
    """Where a conversation is shown: a channel, and the thread in it, if any."""

    channel: str
    thread_ts: str | None = None

    @property
    def key(self) -> str:
        return self.channel if self.thread_ts is None else f"{self.channel}:{self.thread_ts}"


@dataclass(frozen=True)
class Pressed:
    """The message whose button was pressed: updated so its buttons can't be pressed again."""

    channel: str
    ts: str
    label: str
    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class Incoming:
    """One thing a staff member did in Slack, not yet tied to a conversation key when it came
    from somewhere without one (App Home, a slash command outside a DM): those continue in the
    user's DM with the app."""

    user: str
    place: Place | None
    text: str | None = None
    choices: tuple[str, ...] = ()
    origin_ts: str | None = None  # the message the IG team is linked to
    pressed: Pressed | None = None
    kind: str = "message"  # names the background work in logs

    def turns(self, place: Place) -> list[Turn]:
        """The core turns this amounts to, in the conversation at ``place``."""
        common = {"channel": CHANNEL, "conversation": place.key, "user": self.user}
        turns = [Turn(**common, choice=choice) for choice in self.choices]
        if self.text is not None:  # after any choices: "start-over", then the question
            turns.append(Turn(**common, text=self.text))
        return turns


def from_message(event: Mapping[str, Any]) -> Incoming | None:
    """A direct message to the app. Edits, deletions and bots' messages (subtypes) are not."""
    if _not_from_a_person(event) or event.get("channel_type") != "im":
        return None
    return Incoming(
        user=event["user"],
        place=Place(event["channel"]),
        text=clean_text(event.get("text") or ""),
        origin_ts=event["ts"],
    )


def from_mention(event: Mapping[str, Any]) -> Incoming | None:
    """An @mention in a channel: answered in the mention's thread."""
    if _not_from_a_person(event):
        return None
    root = event.get("thread_ts") or event["ts"]
    return Incoming(
        user=event["user"],
        place=Place(event["channel"], root),
        text=clean_text(event.get("text") or ""),
        origin_ts=root,
        kind="mention",
    )


def from_command(body: Mapping[str, Any]) -> Incoming:
    """``/infoshare [question]``. Used in a DM with the app it continues there; used anywhere
    else it continues in the user's DM, so case details stay out of shared channels."""
    channel = body.get("channel_id", "")
    in_dm = body.get("channel_name") == DM_NAME or channel.startswith("D")
    return Incoming(
        user=body["user_id"],
        place=Place(channel) if in_dm else None,
        text=clean_text(body.get("text") or ""),
        kind="command",
    )


def from_action(body: Mapping[str, Any]) -> Incoming | None:
    """A button press: on one of our messages (a choice or action id), or on App Home (a
    topic id, started afresh)."""
    action = body["actions"][0]
    value = action.get("value")
    user = body["user"]["id"]
    container = body.get("container") or {}
    if not isinstance(value, str) or not value:
        return None
    if container.get("type") == "view":
        return Incoming(user=user, place=None, choices=("start-over", value), kind="home")
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or container.get("is_ephemeral") or not channel or not ts:
        return None
    thread = container.get("thread_ts")
    message = body.get("message") or {}
    pressed = Pressed(
        channel=channel,
        ts=ts,
        label=(action.get("text") or {}).get("text", value),
        text=message.get("text", ""),
        blocks=list(message.get("blocks") or []),
    )
    return Incoming(
        user=user,
        place=Place(channel, thread),
        choices=(value,),
        origin_ts=thread or ts,
        pressed=pressed,
        kind="press",
    )


def from_ask(body: Mapping[str, Any]) -> Incoming | None:
    """ "Ask me about this" pressed on a reminder: its snippet opened afresh from the menu, in
    the presser's DM (the reminder is in a channel, and their follow-up may be about a case)."""
    value = body["actions"][0].get("value")
    if not isinstance(value, str) or not value:
        return None
    return Incoming(
        user=body["user"]["id"],
        place=None,
        choices=("start-over",) if value == "start-over" else ("start-over", value),
        kind="reminder-ask",
    )


def dedupe_key(body: Mapping[str, Any]) -> str | None:
    """What makes a request the same as one already handled: an event's id (Slack's retries
    repeat it), or for a press the buttons pressed on that message (a double press is two
    payloads, one answer; a message answered in place gets new buttons, with new block ids)."""
    kind = body.get("type")
    if kind == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    if kind == "block_actions":
        container = body.get("container") or {}
        action = body["actions"][0]
        if str(action.get("block_id", "")).startswith(SHARED_BLOCK):
            return f"action:{body['user']['id']}:{action.get('action_ts')}"
        if container.get("type") == "message":  # a message's buttons change as it is answered
            where = f"{container.get('channel_id')}:{container.get('message_ts')}"
            return f"message:{where}:{action.get('block_id')}"
        return f"action:{body['actions'][0].get('action_ts')}"
    if "command" in body and body.get("trigger_id"):
        return f"command:{body['trigger_id']}"
    return None


def payload_problem(body: Any) -> str | None:
    """Why a signed body isn't something we can handle (a 400), or None if it is."""
    if not isinstance(body, Mapping):
        return "not-an-object"
    kind = body.get("type")
    if "command" in body:
        ok = all(isinstance(body.get(k), str) for k in ("command", "user_id", "channel_id"))
        return None if ok else "bad-command"
    if "ssl_check" in body:
        return None
    checks = {
        "url_verification": lambda b: isinstance(b.get("challenge"), str),
        "event_callback": lambda b: _is_event(b.get("event")),
        "block_actions": lambda b: _is_press(b),
    }
    check = checks.get(kind) if isinstance(kind, str) else None
    if check is None:
        return "unknown-type"
    return None if check(body) else f"bad-{kind}"


def clean_text(text: str) -> str:
    """Slack markup -> the plain words the core routes on: link labels kept, mentions dropped,
    entities decoded, clipped to what a turn can carry. Empty becomes the opening."""
    text = _LINK.sub(lambda m: m.group(2), text)
    text = _MARKUP.sub(" ", text)
    text = _BARE.sub(lambda m: m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = " ".join(text.split())[:TEXT_LIMIT]
    return text or OPENING


def _not_from_a_person(event: Mapping[str, Any]) -> bool:
    """Edits, deletions, joins and bots' messages (the app's own included) carry a subtype or a
    bot id; answering them would have the app talk to itself."""
    if event.get("subtype") or event.get("bot_id"):
        return True
    return not all(isinstance(event.get(k), str) for k in ("user", "channel", "ts"))


def _is_event(event: Any) -> bool:
    return isinstance(event, Mapping) and isinstance(event.get("type"), str)


def _is_press(body: Mapping[str, Any]) -> bool:
    actions, user = body.get("actions"), body.get("user")
    return (
        isinstance(actions, list)
        and len(actions) > 0
        and all(isinstance(a, Mapping) and isinstance(a.get("action_id"), str) for a in actions)
        and isinstance(user, Mapping)
        and isinstance(user.get("id"), str)
        and isinstance(body.get("container") or {}, Mapping)
        and isinstance(body.get("message") or {}, Mapping)
    )
