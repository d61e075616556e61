"""The built-in tracker: tasks live in our own backlog table, numbered `CONNECT-<n>`."""

from __future__ import annotations

import re

from assist.errors import Conflict, NotFound
from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from assist.settings_integrations import BUILTIN_TASK_PREFIX
from integrations.trackers.base import TaskDraft

ATTEMPTS = 5  # another replica may take the same number; the unique id makes us retry


class BuiltinTracker:
    def __init__(self, knowledge: KnowledgeBase, prefix: str = BUILTIN_TASK_PREFIX) -> None:
        self.knowledge = knowledge
        self.prefix = prefix
        self._number = re.compile(rf"{re.escape(prefix)}(\d+)")

    def create_task(self, draft: TaskDraft) -> BacklogTask:
        for _ in range(ATTEMPTS):
            task = BacklogTask(
                id=f"{self.prefix}{self._next_number()}",
                title=draft.title,
                description=draft.description,
                kind=draft.kind,
                status="open",
                watchers=tuple(dict.fromkeys(draft.watchers)),
            )
            try:
                self.knowledge.insert("backlog", task)
            except Conflict:
                continue
            return task
        raise Conflict(f"could not take a new task number after {ATTEMPTS} attempts")

    def add_watcher(self, task_id: str, watcher: str) -> BacklogTask:
        task = self.get_task(task_id)
        if task is None:
            raise NotFound(f"backlog task {task_id} does not exist")
        if watcher in task.watchers:
            return task
        updated = task.model_copy(update={"watchers": (*task.watchers, watcher)})
        # Watchers are not indexed, so this write does not re-embed the task.
        self.knowledge.upsert("backlog", [updated])
        return updated

    def get_task(self, task_id: str) -> BacklogTask | None:
        task: BacklogTask | None = self.knowledge.repository("backlog").get(task_id)
        return task

    def _next_number(self) -> int:
        numbers = [
            int(match.group(1))
            for task_id in self.knowledge.repository("backlog").ids()
            if (match := self._number.fullmatch(task_id))
        ]
        return max(numbers, default=0) + 1
