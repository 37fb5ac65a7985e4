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
from bot.storage.memory import MemoryConversationStore
from bot.storage.sqlite import SqliteDecisionLog

log = logging.getLogger(__name__)


@asynccontextmanager
async def running_engine(settings: Settings) -> AsyncIterator[Engine]:
    """An Engine on the configured knowledge and database; raises KnowledgeError or
    StorageError with a clear message if either can't be used."""
    knowledge = load_knowledge(settings.knowledge_dir)
    log.info(
        messages.KNOWLEDGE_LOADED,
        knowledge.version,
        knowledge.root,
        len(knowledge.flows),
        len(knowledge.snippets),
    )
    decisions = SqliteDecisionLog(settings.database_path)
    try:
        if settings.pseudonym_key is not None:
            key = settings.pseudonym_key.get_secret_value().encode()
        else:
            key = load_or_create_key(settings.database_path.with_suffix(".pseudonym-key"))
        yield Engine(knowledge, MemoryConversationStore(), decisions, Pseudonymiser(key))
    finally:
        await decisions.close()
