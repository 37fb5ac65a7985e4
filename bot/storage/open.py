"""Opening the storage a deployment asks for, from its URLs.

One instance: ``sqlite:///PATH`` and no Redis URL (conversation state stays in the process).
Several instances behind a load balancer: ``postgresql://...`` and ``redis://...``, both, so any
instance can take a conversation's next turn and every decision lands in one log (see
``bot.storage.postgres`` for the one known limit). The PostgreSQL and Redis drivers are imported
only when a URL names them, so the embedded setup starts without loading either.

The conversation references live in the decision log's database, in a table of their own, but
open as a store of their own (``open_references``) rather than as part of the log: the engine
owns the log, and the terminal and ``decisions export`` use it with no server, while only the
server, which reaches conversations, owns the references. One more connection to a SQLite file
in WAL mode, or a small second pool, costs little.

The URLs are the values of INFOSHARE_DATABASE_URL and INFOSHARE_REDIS_URL, so a store that
can't be opened is reported in one line that starts with the setting's name and says whether
its server can't be reached or its database can't be opened (``cannot``), with any password
hidden: what ``infoshare`` prints before it stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.storage import StorageError, redact_url, scrub
from bot.storage.memory import MemoryConversationStore
from bot.storage.sqlite import SqliteDecisionLog, SqliteReferences
from bot.types import (
    AnalyticsStore,
    ConversationReferences,
    ConversationStore,
    DecisionLog,
    QueryLog,
)

DATABASE_SETTING = "INFOSHARE_DATABASE_URL"
REDIS_SETTING = "INFOSHARE_REDIS_URL"
SQLITE = "sqlite:///"
DATABASE_FORMS = "sqlite:///PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
REDIS_FORMS = "redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... or unix://PATH"


async def open_decision_log(url: str) -> DecisionLog:
    """The decision log at ``url``; raises StorageError if it can't be opened, with any
    password in the URL hidden."""
    with opening(DATABASE_SETTING, url):
        path = _sqlite_path(url)
        if path is not None:
            return SqliteDecisionLog(path)
        from bot.storage.postgres import PostgresDecisionLog  # loads psycopg: only when asked

        return await PostgresDecisionLog.open(url)


async def open_query_log(url: str) -> QueryLog:
    """The anonymised query log, in the database at ``url`` (the decision log's, a table of its
    own); raises StorageError as ``open_decision_log`` does."""
    with opening(DATABASE_SETTING, url):
        path = _sqlite_path(url)
        if path is not None:
            from bot.storage.sqlite_queries import SqliteQueryLog

            return SqliteQueryLog(path)
        from bot.storage.postgres_queries import PostgresQueryLog  # loads psycopg: only when asked

        return await PostgresQueryLog.open(url)


async def open_analytics(url: str) -> AnalyticsStore:
    """The analytics dashboard's counts over the database at ``url`` (its query log, flow
    progress and decisions); makes the indexes they need if absent, which takes a few seconds
    the first time on a large log. Raises StorageError as ``open_decision_log`` does."""
    with opening(DATABASE_SETTING, url):
        path = _sqlite_path(url)
        if path is not None:
            from bot.storage.sqlite_analytics import SqliteAnalytics

            return SqliteAnalytics(path)
        from bot.storage.postgres_analytics import PostgresAnalytics  # loads psycopg: when asked

        return await PostgresAnalytics.open(url)


async def open_references(url: str) -> ConversationReferences:
    """The conversation references, in the database at ``url`` (the decision log's); raises
    StorageError as ``open_decision_log`` does."""
    with opening(DATABASE_SETTING, url):
        path = _sqlite_path(url)
        if path is not None:
            return SqliteReferences(path)
        from bot.storage.postgres import PostgresReferences  # loads psycopg: only when asked

        return await PostgresReferences.open(url)


async def open_conversation_store(redis_url: str | None) -> ConversationStore:
    """Conversation state in Redis at ``redis_url``, or in this process when it is None or
    empty; raises StorageError if Redis can't be reached."""
    if not redis_url:
        return MemoryConversationStore()
    with opening(REDIS_SETTING, redis_url):
        if _scheme(redis_url) in ("redis", "rediss", "unix"):
            from bot.storage.redis import RedisConversationStore  # loads redis: only when asked

            return await RedisConversationStore.open(redis_url)
        raise StorageError(f"unsupported Redis URL {redact_url(redis_url)}: use {REDIS_FORMS}")


@contextmanager
def opening(setting: str, url: str) -> Iterator[None]:
    """Raise a StorageError from opening the store at ``url``, ``setting``'s value, again as one
    line naming ``setting``: "INFOSHARE_DATABASE_URL: cannot connect to PostgreSQL at
    postgresql://app:***@db/infoshare: ..." (the driver's own reason after the colon)."""
    try:
        yield
    except StorageError as exc:
        raise StorageError(f"{setting}: {_cannot(url, exc)}") from None


def _cannot(url: str, exc: StorageError) -> str:
    # The stores raise StorageError from inside the handler of the driver's error, so that
    # error is the context: its type tells an unreachable server from an unusable database.
    driver = exc.__context__
    if driver is None or isinstance(driver, StorageError):
        return _first_line(str(exc))  # ours, such as an unsupported URL: one line already
    reason = _first_line(scrub(str(driver), url)) or type(driver).__name__
    scheme = _scheme(url)
    if scheme == "sqlite":
        return f"cannot open the SQLite database {url.removeprefix(SQLITE)}: {reason}"
    server = "Redis" if scheme in ("redis", "rediss", "unix") else "PostgreSQL"
    if _unreachable(driver, server):
        return f"cannot connect to {server} at {redact_url(url)}: {reason}"
    return f"cannot open the {server} database at {redact_url(url)}: {reason}"


def _unreachable(error: BaseException, server: str) -> bool:
    """Did the driver fail to reach the server or sign in to it (refused, timed out, no such
    host, password or database refused), rather than fail once connected?"""
    if isinstance(error, OSError):
        return True
    if server == "Redis":  # the driver is loaded already: it raised the error
        from redis.exceptions import ConnectionError, TimeoutError

        return isinstance(error, ConnectionError | TimeoutError)
    import psycopg

    return isinstance(error, psycopg.OperationalError)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def _sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names, or None for a PostgreSQL URL; StorageError for
    anything else."""
    scheme = _scheme(url)
    if scheme == "sqlite" and url.startswith(SQLITE) and url != SQLITE:
        return Path(url.removeprefix(SQLITE))
    if scheme in ("postgresql", "postgres"):
        return None
    raise StorageError(f"unsupported database URL {redact_url(url)}: use {DATABASE_FORMS}")


def _scheme(url: str) -> str:
    scheme, separator, _ = url.partition("://")
    return scheme.lower() if separator else ""
