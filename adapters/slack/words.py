"""The few things only the Slack adapter says, in one place.

Everything else staff read comes from the knowledge files through the core. These belong in
``knowledge/messages.yaml`` once its schema has a place for platform words.
"""

from __future__ import annotations

CONTINUED_IN_DM = "I've replied in our direct messages, so the details stay between us."
HANDOFF_SENT = "I've passed this to the IG team in {channel}; they will get back to you."
HANDOFF_TITLE = "IG advice requested"
HANDOFF_FROM = "From"
HANDOFF_TOPIC = "Topic"
HANDOFF_ANSWERS = "Answers so far"
HANDOFF_OUTCOME = "Outcome"
HANDOFF_LINK = "Open the conversation"
NOT_YET = "none yet"
