"""Which reminders exist, and each one rendered ready to send: every policy snippet in the
knowledge base, by its id, and the one-off notes IG members wrote, by "note-N"."""

from __future__ import annotations

from bot.knowledge import Knowledge
from bot.models import Link
from bot.reminders.models import NOTE_PREFIX, Note, Reminder
from bot.reminders.types import ReminderStore
from bot.reminders.words import load_words
from bot.schema import Snippet


class Catalogue:
    def __init__(self, knowledge: Knowledge, store: ReminderStore) -> None:
        self.knowledge = knowledge
        self.store = store
        self.words = load_words(knowledge.root)  # checked here, so a bad file stops start-up

    async def get(self, reminder_id: str) -> Reminder | None:
        """The reminder with this id, or None if there is none."""
        if reminder_id.startswith(NOTE_PREFIX):
            note = await self.store.note(reminder_id)
            return None if note is None else from_note(note)
        snippet = self.knowledge.snippets.get(reminder_id)
        return None if snippet is None else self.from_snippet(snippet)

    def from_snippet(self, snippet: Snippet) -> Reminder:
        links = self.knowledge.links
        return Reminder(
            id=snippet.id,
            title=snippet.title,
            text=snippet.text,
            links=[Link(title=links[i].title, url=str(links[i].url)) for i in snippet.links],
            snippet=snippet.id,
            ask=snippet.id,  # chosen from the assistant's menu, it opens this snippet
        )

    async def all(self) -> list[Reminder]:
        """Every snippet (in id order), then every note."""
        snippets = [self.from_snippet(s) for _, s in sorted(self.knowledge.snippets.items())]
        return snippets + [from_note(n) for n in await self.store.notes()]


def from_note(note: Note) -> Reminder:
    links = [Link(title=note.title, url=note.link)] if note.link else []
    return Reminder(id=note.id, title=note.title, text=note.text, links=links)
