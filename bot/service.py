"""Assembling an Engine from Settings: knowledge, storage and keys, opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot import messages
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.pseudonym import Pseudonymiser, load_or_create_key
from bot.settings import Settings
from bot.storage.open import open_conversation_store, open_decision_log, open_query_log

log = logging.getLogger(__name__)


@asynccontextmanager
async def running_engine(settings: Settings) -> AsyncIterator[Engine]:
    """An Engine on the configured knowledge and storage; raises KnowledgeError or
    StorageError with a clear message if either can't be used."""
    knowledge = load_knowledge(settings.knowledge_dir)
    log.info(
        messages.KNOWLEDGE_LOADED,
        knowledge.version,
        knowledge.root,
        len(knowledge.flows),
        len(knowledge.snippets),
    )
    decisions = await open_decision_log(settings.database_url)
    try:
        queries = await open_query_log(settings.database_url)
        try:
            store = await open_conversation_store(settings.redis_url)
            try:
                pseudonymise = Pseudonymiser(pseudonym_key(settings))
                engine = Engine(knowledge, store, decisions, pseudonymise, queries=queries)
                try:
                    yield engine
                finally:
                    await engine.flush()
            finally:
                await store.close()
        finally:
            await queries.close()
    finally:
        await decisions.close()


def pseudonym_key(settings: Settings) -> bytes:
    """The configured key; on SQLite without one, a key generated once and kept beside the
    database (PostgreSQL deployments must configure theirs, checked by Settings)."""
    if settings.pseudonym_key is not None:
        return settings.pseudonym_key.get_secret_value().encode()
    assert settings.database_path is not None
    return load_or_create_key(settings.database_path.with_suffix(".pseudonym-key"))
