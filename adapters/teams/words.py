"""The few things only the Teams adapter says, in one place.

Everything else staff read comes from the knowledge files through the core. These belong in
``knowledge/messages.yaml`` once its schema has a place for platform words.
"""

from __future__ import annotations

INTRO_PERSONAL = (
    "Tell me what you are dealing with, in your own words, or type **help** to see the topics. "
    "I'll ask a few questions and record the decision."
)
INTRO_SHARED = (
    "@mention me with what you are dealing with and I'll answer in a thread. For anything "
    "about a particular child or family, message me directly instead, so the details stay "
    "between us."
)
HANDOFF_SENT = "I've passed this to the IG team; they will get back to you."
HANDOFF_TITLE = "IG advice requested"
HANDOFF_FROM = "From"
HANDOFF_TOPIC = "Topic"
HANDOFF_ANSWERS = "Answers so far"
HANDOFF_OUTCOME = "Outcome"
CASE_NOTE = "For the case record"
SOMEONE = "a member of staff"
NOT_YET = "none yet"
