"""How a tracker's issue becomes our `BacklogTask`: kinds, statuses and chat watchers.

Tracker type and status names are configurable per installation (Redmine and Jira both let
admins rename and add them), so the tables below are defaults that settings extend. Names
are matched without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["bug", "feature"]
Status = Literal["open", "in_progress", "done", "rejected"]

DEFAULT_KINDS: Mapping[str, Kind] = {
    "bug": "bug",
    "ошибка": "bug",
    "feature": "feature",
    "new feature": "feature",
    "story": "feature",
    "improvement": "feature",
    "task": "feature",
    "предложение": "feature",
}
DEFAULT_STATUSES: Mapping[str, Status] = {
    "new": "open",
    "новая": "open",
    "to do": "open",
    "open": "open",
    "in progress": "in_progress",
    "в работе": "in_progress",
    "resolved": "done",
    "closed": "done",
    "done": "done",
    "решена": "done",
    "закрыта": "done",
    "rejected": "rejected",
    "won't do": "rejected",
    "отклонена": "rejected",
}
# Longest texts our backlog keeps (`BacklogTask`); the tracker keeps the whole text.
MAX_TITLE = 500
MAX_DESCRIPTION = 20_000
MAX_WATCHER = 500


@dataclass(frozen=True)
class TaskMapping:
    kinds: Mapping[str, Kind] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    statuses: Mapping[str, Status] = field(default_factory=lambda: dict(DEFAULT_STATUSES))

    @classmethod
    def extended(
        cls, kinds: Mapping[str, Kind] | None = None, statuses: Mapping[str, Status] | None = None
    ) -> TaskMapping:
        """The defaults with these names added or overridden."""
        return cls(
            kinds={**DEFAULT_KINDS, **{k.casefold(): v for k, v in (kinds or {}).items()}},
            statuses={
                **DEFAULT_STATUSES,
                **{k.casefold(): v for k, v in (statuses or {}).items()},
            },
        )

    def kind(self, type_name: str | None) -> Kind:
        """An unknown type is a bug: whatever support reports that is not a wish is one
        (the same rule drafts new tasks by)."""
        return self.kinds.get((type_name or "").strip().casefold(), "bug")

    def status(self, name: str | None, *, closed: bool = False) -> Status:
        """A status not in the table is `done` when the tracker says it is a closed one
        (Redmine `is_closed`, Jira's Done category), else `open`."""
        found = self.statuses.get((name or "").strip().casefold())
        if found is not None:
            return found
        return "done" if closed else "open"


def watchers_from_text(value: object) -> tuple[str, ...]:
    """Chat watchers kept in a tracker text field, one per line, in the order added."""
    if not isinstance(value, str):
        return ()
    lines = (line.strip()[:MAX_WATCHER] for line in value.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def watchers_to_text(watchers: Iterable[str]) -> str:
    return "\n".join(dict.fromkeys(w.strip() for w in watchers if w.strip()))


def title_text(value: object, fallback: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return (text or fallback)[:MAX_TITLE]


def description_text(value: object) -> str:
    """A tracker description cut to what our backlog keeps (the tracker keeps it all)."""
    return value.strip()[:MAX_DESCRIPTION] if isinstance(value, str) else ""
