"""Opening the reminder store in the decision log's database, from its URL, as
``bot.storage.open`` opens the other stores (the PostgreSQL driver only when the URL names it)."""

from __future__ import annotations

from bot.reminders.types import ReminderStore
from bot.storage.open import DATABASE_SETTING, _sqlite_path, opening


async def open_reminder_store(url: str) -> ReminderStore:
    """Raises StorageError if the database can't be opened, naming INFOSHARE_DATABASE_URL as
    ``bot.storage.open`` does, with any password hidden."""
    with opening(DATABASE_SETTING, url):
        path = _sqlite_path(url)
        if path is not None:
            from bot.storage.sqlite_reminders import SqliteReminderStore

            return SqliteReminderStore(path)
        from bot.storage.postgres_reminders import PostgresReminderStore  # loads psycopg

        return await PostgresReminderStore.open(url)
