"""The chat page's HTML: the template in ``chat.html`` with the knowledge's words filled in,
escaped, and the words the script needs as a JSON data block (data, never run)."""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from string import Template

from bot.schema import Messages


@cache
def _template() -> Template:
    return Template((files(__package__) / "chat.html").read_text(encoding="utf-8"))


def chat_page(words: Messages) -> str:
    web = words.web
    script_words = {
        "you": web.you,
        "assistant": web.assistant,
        "choices": web.choices,
        "actions": web.actions,
        "copyNote": web.copy_note,
        "copiedNote": web.copied_note,
        "copyFailed": web.copy_failed,
        "newTab": web.new_tab,
        "working": web.working,
        "offline": web.offline,
        "failed": web.failed,
        "caseNote": words.platform.case_note,
        "afterDecision": words.after_decision,
        "labels": words.labels.model_dump(),
    }
    # "<" escaped so nothing in the words can close the data block early.
    data = json.dumps(script_words, ensure_ascii=False).replace("<", "\\u003c")
    fill = {name: html.escape(getattr(web, name)) for name in type(web).model_fields}
    return _template().substitute(fill, words_json=data)
