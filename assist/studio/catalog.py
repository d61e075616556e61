"""Which reply templates exist, what each may use, and the data they are tried against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assist.knowledge.records import BacklogTask, FaqEntry

# The situations the regulation writes drafts for, as `assist.replies` renders them.
TEMPLATE_NAMES = (
    "answer",
    "attach",
    "register",
    "off_hours",
    "conduct_warning",
    "conduct_end",
    "anomalous_load",
)
VARIABLES: dict[str, frozenset[str]] = {
    "answer": frozenset({"faq"}),
    "attach": frozenset({"task"}),
    "register": frozenset({"task_id"}),
    "off_hours": frozenset({"start", "end", "zone", "next_opening"}),
    "conduct_warning": frozenset(),
    "conduct_end": frozenset(),
    "anomalous_load": frozenset(),
}

SAMPLE_FAQ = FaqEntry(
    id="faq-sample",
    question="Как настроить расписание линии?",
    answer="Откройте линию, вкладка «Расписание», задайте часы и сохраните.",
)


def _task(status: str, kind: str) -> BacklogTask:
    return BacklogTask.model_validate(
        {
            "id": "CONNECT-1234",
            "title": "Пример задачи",
            "description": "Описание",
            "kind": kind,
            "status": status,
        }
    )


def sample_contexts(name: str) -> list[dict[str, Any]]:
    """Contexts that walk every branch the default templates have (statuses, kinds, ids)."""
    if name == "answer":
        return [{"faq": SAMPLE_FAQ}]
    if name == "attach":
        return [
            {"task": _task(status, kind)}
            for status in ("open", "in_progress", "done", "rejected")
            for kind in ("bug", "feature")
        ]
    if name == "register":
        return [{"task_id": None}, {"task_id": "CONNECT-1234"}]
    if name == "off_hours":
        return [
            {
                "start": "7:00",
                "end": "17:00",
                "zone": "МСК",
                "next_opening": "в понедельник, 12 января, с 7:00 МСК",
            }
        ]
    return [{}]


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    text: str
    received_at: str  # ISO-8601: some examples fall outside working hours on purpose


EXAMPLES = (
    Example("ru-faq", "ru", "Как настроить расписание работы линии?", "2026-11-25T10:00:00+03:00"),
    Example(
        "ru-bug",
        "ru",
        "Приложение падает, когда отправляю большой файл",
        "2026-11-25T10:00:00+03:00",
    ),
    Example("ru-new", "ru", "Квитанции об оплате приходят дважды", "2026-11-25T10:00:00+03:00"),
    Example("ru-night", "ru", "Не подключается удаленный доступ", "2026-01-03T23:00:00+03:00"),
    Example("en-faq", "en", "How do I reset my password?", "2026-11-25T10:00:00+03:00"),
    Example("en-bug", "en", "The app crashes when I send a big file", "2026-11-25T10:00:00+03:00"),
    Example("en-night", "en", "Remote access does not connect", "2026-01-03T23:00:00+03:00"),
)
