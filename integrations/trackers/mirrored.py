"""A remote tracker (Redmine, Jira) with our backlog kept in step as tasks are written.

A task registered from the panel must be searchable at once, not after the next sync: each
task the remote tracker creates or changes is upserted into our backlog too. Ids the remote
tracker does not own (the built-in `CONNECT-<n>` tasks, imported sample tasks) stay with the
built-in tracker, so attaching a user to one of them keeps working after the switch.
"""

from __future__ import annotations

import logging
from typing import Protocol

from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from integrations.trackers.base import TaskDraft, Tracker

log = logging.getLogger(__name__)


class RemoteTracker(Tracker, Protocol):
    name: str

    def owns(self, task_id: str) -> bool: ...


class MirroredTracker:
    def __init__(self, remote: RemoteTracker, knowledge: KnowledgeBase, local: Tracker) -> None:
        self.remote = remote
        self.knowledge = knowledge
        self.local = local

    def create_task(self, draft: TaskDraft) -> BacklogTask:
        return self._mirror(self.remote.create_task(draft))

    def add_watcher(self, task_id: str, watcher: str) -> BacklogTask:
        if not self.remote.owns(task_id):
            return self.local.add_watcher(task_id, watcher)
        return self._mirror(self.remote.add_watcher(task_id, watcher))

    def get_task(self, task_id: str) -> BacklogTask | None:
        if not self.remote.owns(task_id):
            return self.local.get_task(task_id)
        return self.remote.get_task(task_id)

    def _mirror(self, task: BacklogTask) -> BacklogTask:
        # The tracker already has the change: failing here would make the caller repeat a
        # write that happened. The next `assist import backlog --from` brings the copy.
        # Any failure of the local copy (a locked database, a full disk) is only logged.
        try:
            self.knowledge.upsert("backlog", [task])
        except Exception:
            log.exception(
                "tracker task not copied into the backlog",
                extra={"tracker": self.remote.name, "task": task.id},
            )
        return task
