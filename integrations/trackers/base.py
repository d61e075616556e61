"""The `Tracker` protocol: what support needs from a dev backlog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from assist.knowledge.records import BacklogTask


@dataclass(frozen=True)
class TaskDraft:
    """A new task as support writes it; the tracker gives it a number."""

    title: str
    description: str
    kind: Literal["bug", "feature"] = "bug"
    watchers: tuple[str, ...] = field(default=())


class Tracker(Protocol):
    def create_task(self, draft: TaskDraft) -> BacklogTask:
        """Register a task and return it with its number."""
        ...

    def add_watcher(self, task_id: str, watcher: str) -> BacklogTask:
        """Add an interested party; adding one twice changes nothing. `NotFound` if no task."""
        ...

    def get_task(self, task_id: str) -> BacklogTask | None: ...
