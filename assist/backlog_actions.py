"""Backlog actions of the regulation: attach the requester to a known task, or register one.

Pure helpers here; the tracker that stores tasks is injected (`integrations.trackers`).
"""

from __future__ import annotations

import re

from assist.errors import InvalidInput
from assist.text_clean import clean_message
from integrations.trackers.base import TaskDraft

TITLE_CHARS = 120
# Wishes ask for something new; everything else reported to support is taken as a bug.
_WISH = re.compile(
    r"\b(?:добавьте|добавить бы|хотелось бы|хотим(?:ось)?"
    r"|было бы (?:удобно|здорово|неплохо|хорошо)"
    r"|можно ли (?:сделать|добавить)|сделайте,? пожалуйста|предлагаю|пожелание|нет возможности"
    r"|please add|would be (?:nice|great|helpful)|feature request|could you add"
    r"|we(?:'d| would) like)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def draft_task(text: str, *, title: str | None = None, description: str | None = None) -> TaskDraft:
    """Title and description for a new task, drafted from the user's message unless given."""
    body = clean_message(text).strip()
    if not body:
        raise InvalidInput(
            "text is empty", errors=[{"field": "text", "message": "must not be blank"}]
        )
    return TaskDraft(
        title=(title or _title(body)).strip(),
        description=(description or body).strip(),
        kind="feature" if _WISH.search(body) else "bug",
    )


def watchers_for(user_id: str | None, account_id: str | None) -> tuple[str, ...]:
    """Interested parties as the tracker stores them: `user:<id>`, `account:<id>`."""
    found = tuple(
        f"{kind}:{value}" for kind, value in (("user", user_id), ("account", account_id)) if value
    )
    if not found:
        raise InvalidInput(
            "Say who is interested: user_id and/or account_id",
            errors=[{"field": "user_id", "message": "user_id or account_id is required"}],
        )
    return found


def _title(body: str) -> str:
    first = _SENTENCE_END.split(body, maxsplit=1)[0].rstrip(" .!?…")
    if len(first) <= TITLE_CHARS:
        return first[:1].upper() + first[1:]
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut[:1].upper() + cut[1:] + "…"
