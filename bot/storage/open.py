"""Opening the storage a deployment asks for, from its URLs.

One instance: ``sqlite:///PATH`` and no Redis URL (conversation state stays in the process).
Several instances behind a load balancer: ``postgresql://...`` and ``redis://...``, both, so any
instance can take a conversation's next turn and every decision lands in one log (see
``bot.storage.postgres`` for the one known limit). The PostgreSQL and Redis drivers are imported
only when a URL names them, so the embedded setup starts without loading either.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage import StorageError, redact_url
from bot.storage.memory import MemoryConversationStore
from bot.storage.sqlite import SqliteDecisionLog
from bot.types import ConversationStore, DecisionLog

SQLITE = "sqlite:///"
DATABASE_FORMS = "sqlite:///PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
REDIS_FORMS = "redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... or unix://PATH"


async def open_decision_log(url: str) -> DecisionLog:
    """The decision log at ``url``; raises StorageError if it can't be opened, with any
    password in the URL hidden."""
    scheme = _scheme(url)
    if scheme == "sqlite" and url.startswith(SQLITE) and url != SQLITE:
        return SqliteDecisionLog(Path(url.removeprefix(SQLITE)))
    if scheme in ("postgresql", "postgres"):
        from bot.storage.postgres import PostgresDecisionLog  # loads psycopg: only when asked

        return await PostgresDecisionLog.open(url)
    raise StorageError(f"unsupported database URL {redact_url(url)}: use {DATABASE_FORMS}")


async def open_conversation_store(redis_url: str | None) -> ConversationStore:
    """Conversation state in Redis at ``redis_url``, or in this process when it is None or
    empty; raises StorageError if Redis can't be reached."""
    if not redis_url:
        return MemoryConversationStore()
    if _scheme(redis_url) in ("redis", "rediss", "unix"):
        from bot.storage.redis import RedisConversationStore  # loads redis: only when asked

        return await RedisConversationStore.open(redis_url)
    raise StorageError(f"unsupported Redis URL {redact_url(redis_url)}: use {REDIS_FORMS}")


def _scheme(url: str) -> str:
    scheme, separator, _ = url.partition("://")
    return scheme.lower() if separator else ""
