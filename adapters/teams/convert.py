"""Bot Framework activities -> what the core needs: pure functions over an activity's JSON, no
SDK, no I/O. They read the JSON as Teams sent it, because botbuilder's ``Activity`` model drops
what it doesn't know when it is serialised again (a mention's text, for one).

Conversations: a personal or group chat is its conversation id. In a channel the conversation is
the reply chain the bot was mentioned in; Teams names it ``19:...@thread.tacv2;messageid=ROOT``,
and replies sent to that id land in the thread.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import MaxLen

from bot.models import Turn

CHANNEL = "teams"
OPENING = "help"  # what an empty message says: the menu, as in the terminal
CARD_ACTION = "adaptiveCard/action"  # the invoke an Action.Execute button sends
THREAD = ";messageid="
Scope = Literal["personal", "groupChat", "channel"]
Change = Literal["added", "removed"]


def _limit(field: str) -> int:
    return next(m.max_length for m in Turn.model_fields[field].metadata if isinstance(m, MaxLen))


TEXT_LIMIT = _limit("text")
KEY_LIMIT = _limit("conversation")
CHOICE_LIMIT = _limit("choice")
# Bot Framework's activity types (botbuilder.schema.ActivityTypes); anything else is not one.
ACTIVITY_TYPES = frozenset(
    {
        "message", "contactRelationUpdate", "conversationUpdate", "typing", "endOfConversation",
        "event", "invoke", "invokeResponse", "deleteUserData", "messageUpdate", "messageDelete",
        "installationUpdate", "messageReaction", "suggestion", "trace", "handoff", "command",
        "commandResult",
    }
)  # fmt: skip
_FROM_A_PERSON = ("message", "invoke")  # the activities that become turns need a sender
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.S | re.I)
_TAG = re.compile(r"<[^<>]+>")


@dataclass(frozen=True)
class Press:
    """An Action.Execute button pressed on one of our cards."""

    choice: str  # the verb: the core's choice or action id
    card: str | None  # the card's own id, so a second press on it is not a second answer
    label: str  # the button's words, shown on the card once it is answered


def activity_problem(body: Any) -> str | None:
    """Why a body isn't an activity we can handle (a 400), or None if it is."""
    if not isinstance(body, Mapping):
        return "not-an-activity"
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "not-an-activity"
    if kind not in ACTIVITY_TYPES:
        return "unknown-type"
    url = body.get("serviceUrl")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return "bad-service-url"
    if not isinstance(body.get("channelId"), str):
        return "no-channel-id"
    if not _has_id(body.get("conversation")) or not _has_id(body.get("recipient")):
        return "no-conversation"
    if kind in _FROM_A_PERSON and not _has_id(body.get("from")):
        return "no-sender"
    shapes = {"text": str, "entities": list, "membersAdded": list, "membersRemoved": list,
              "action": str, "name": str, "replyToId": str, "id": str}  # fmt: skip
    for key, shape in shapes.items():
        if body.get(key) is not None and not isinstance(body[key], shape):
            return f"bad-{key}"
    return None


def place(activity: Mapping[str, Any]) -> str:
    """The conversation id replies go to: the chat, or the channel thread."""
    conversation = activity["conversation"]
    found: str = conversation["id"]
    if conversation.get("conversationType") == "channel" and THREAD not in found:
        root = activity.get("replyToId") or activity.get("id")  # a new post is its own root
        if root:
            found = f"{found}{THREAD}{root}"
    return found


def conversation_key(place_id: str) -> str:
    """The core's key for a conversation: its id, or a digest of one too long to be a key."""
    if len(place_id) <= KEY_LIMIT:
        return place_id
    return "sha256:" + hashlib.sha256(place_id.encode()).hexdigest()


def scope(activity: Mapping[str, Any]) -> Scope:
    kind = activity["conversation"].get("conversationType")
    return kind if kind in ("groupChat", "channel") else "personal"


def user_id(activity: Mapping[str, Any]) -> str:
    """The staff member, as the platform names them: their Entra object id where Teams gives it
    (the same person in every chat), else the channel account id. The core pseudonymises it."""
    sender = activity["from"]
    aad = sender.get("aadObjectId")
    return aad if isinstance(aad, str) and aad else str(sender["id"])


def from_message(activity: Mapping[str, Any]) -> Turn | None:
    """What a staff member typed, as a turn; None for a bot's own message."""
    if activity["from"].get("role") == "bot":
        return None
    key = conversation_key(place(activity))
    return Turn(
        channel=CHANNEL, conversation=key, user=user_id(activity), text=clean_text(activity)
    )


def from_press(activity: Mapping[str, Any]) -> Press | None:
    """An Action.Execute press, or None if the invoke is anything else."""
    value = activity.get("value")
    action = value.get("action") if isinstance(value, Mapping) else None
    if activity.get("name") != CARD_ACTION or not isinstance(action, Mapping):
        return None
    verb = action.get("verb")
    if action.get("type") != "Action.Execute" or not isinstance(verb, str):
        return None
    if not verb or len(verb) > CHOICE_LIMIT:
        return None
    data = action.get("data")
    data = data if isinstance(data, Mapping) else {}
    card, label = data.get("card"), data.get("label")
    return Press(
        choice=verb,
        card=card if isinstance(card, str) and card else None,
        label=label if isinstance(label, str) and label else verb,
    )


def press_turn(activity: Mapping[str, Any], press: Press) -> Turn:
    key = conversation_key(place(activity))
    return Turn(channel=CHANNEL, conversation=key, user=user_id(activity), choice=press.choice)


def installation(activity: Mapping[str, Any]) -> Change | None:
    """Whether this activity says the app was added to or removed from its conversation."""
    if activity["type"] == "installationUpdate":
        action = activity.get("action") or ""
        return "added" if action.startswith("add") else "removed" if action else None
    if activity["type"] == "conversationUpdate":
        bot = activity["recipient"]["id"]
        changes: tuple[tuple[Change, str], ...] = (
            ("added", "membersAdded"),
            ("removed", "membersRemoved"),
        )
        for change, key in changes:
            members = activity.get(key) or []
            if any(isinstance(m, Mapping) and m.get("id") == bot for m in members):
                return change
    return None


def reference_key(activity: Mapping[str, Any]) -> str:
    """Where an installation's conversation reference is kept."""
    return f"{CHANNEL}:{activity['conversation']['id']}"


def dedupe_key(activity: Mapping[str, Any]) -> str | None:
    """What makes an activity the same as one already handled: Teams resends an activity with
    its id unchanged. Presses are told apart by card instead (see ``Press.card``)."""
    if activity.get("type") == "invoke" or not activity.get("id"):
        return None
    return f"{activity['channelId']}:{activity['conversation']['id']}:{activity['id']}"


def clean_text(activity: Mapping[str, Any]) -> str:
    """The words typed, as the core routes on them: the bot's @mention removed, other people's
    mentions as their names, HTML dropped and entities decoded, clipped to what a turn can
    carry. Empty becomes the opening."""
    text = activity.get("text") or ""
    bot = activity["recipient"]
    for entity in activity.get("entities") or []:
        if not isinstance(entity, Mapping) or entity.get("type") != "mention":
            continue
        mentioned, said = entity.get("mentioned"), entity.get("text")
        ours = isinstance(mentioned, Mapping) and mentioned.get("id") == bot["id"]
        if ours and isinstance(said, str) and said:
            text = text.replace(said, " ")
    if isinstance(bot.get("name"), str):
        text = text.replace(f"<at>{bot['name']}</at>", " ")  # in case the entity was left out
    text = _AT.sub(r"\1", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = " ".join(text.split())[:TEXT_LIMIT]
    return text or OPENING


def _has_id(account: Any) -> bool:
    return (
        isinstance(account, Mapping) and isinstance(account.get("id"), str) and bool(account["id"])
    )
