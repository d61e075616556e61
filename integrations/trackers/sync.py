"""Incremental backlog sync: the tracker's issues updated since the last sync, upserted.

The saved cursor is the newest update time seen. The next sync asks for issues updated
since the cursor minus an overlap: a tracker stamps an issue before its transaction
commits, so an issue saved a moment earlier can become visible after a later one was
read, and trackers filter by the second (Redmine) or the minute (Jira). Reading an issue
twice costs nothing more than reading it: the upsert compares content hashes and leaves
unchanged tasks alone, so the window can err on the wide side.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from assist.errors import InvalidInput
from assist.knowledge.collection import Progress
from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from assist.storage.tracker_sync import TrackerSyncState
from integrations.trackers.paging import ChangedTask, FetchProgress

log = logging.getLogger(__name__)


class BacklogSource(Protocol):
    name: str

    def owns(self, task_id: str) -> bool:
        """Whether a backlog id is one of this tracker's issues."""
        ...

    def changes(
        self, since: datetime | None, progress: FetchProgress | None = None
    ) -> Iterator[ChangedTask]: ...


@dataclass(frozen=True)
class Changes:
    source: str
    since: datetime | None  # what was asked for: None is everything
    tasks: list[BacklogTask]
    newest: datetime | None  # the newest update time among them (or the old cursor)
    full: bool


@dataclass(frozen=True)
class SyncReport:
    source: str
    since: datetime | None
    fetched: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def read_changes(
    source: BacklogSource,
    state: TrackerSyncState,
    *,
    full: bool = False,
    overlap: timedelta = timedelta(minutes=5),
    progress: FetchProgress | None = None,
) -> Changes:
    """Every issue updated since the saved cursor (minus `overlap`), or all with `full`."""
    cursor = None if full else state.cursor(source.name)
    since = cursor - overlap if cursor is not None else None
    latest: dict[str, BacklogTask] = {}
    newest = cursor
    for change in source.changes(since, progress):
        latest[change.task.id] = change.task  # an issue read twice: its newest version
        if newest is None or change.updated_at > newest:
            newest = change.updated_at
    return Changes(source.name, since, list(latest.values()), newest, full)


def apply_changes(
    changes: Changes,
    source: BacklogSource,
    knowledge: KnowledgeBase,
    state: TrackerSyncState,
    *,
    delete_missing: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Upsert the tasks, optionally delete this tracker's tasks it no longer has (only
    after a full read: an incremental one does not list the rest), then save the cursor."""
    if delete_missing and not changes.full:
        raise InvalidInput(
            "deleting missing tasks needs a full sync",
            errors=[{"field": "--delete-missing", "message": "use it with --full"}],
        )
    report = knowledge.upsert("backlog", changes.tasks, progress=progress)
    deleted: list[str] = []
    if delete_missing:
        keep = {t.id for t in changes.tasks}
        stale = [
            i for i in knowledge.repository("backlog").ids() if source.owns(i) and i not in keep
        ]
        deleted = knowledge.delete("backlog", stale).deleted
    if changes.newest is not None:
        state.save(changes.source, changes.newest)
    log.info(
        "backlog synced",
        extra={
            "tracker": changes.source,
            "since": changes.since.isoformat() if changes.since else None,
            "issues_read": len(changes.tasks),
            "tasks_created": len(report.created),
            "tasks_updated": len(report.updated),
            "tasks_deleted": len(deleted),
        },
    )
    return SyncReport(
        changes.source,
        changes.since,
        len(changes.tasks),
        report.created,
        report.updated,
        report.unchanged,
        deleted,
    )


def sync_backlog(
    source: BacklogSource,
    knowledge: KnowledgeBase,
    state: TrackerSyncState,
    *,
    full: bool = False,
    overlap: timedelta = timedelta(minutes=5),
    delete_missing: bool = False,
) -> SyncReport:
    """`read_changes` then `apply_changes`, for callers that show no progress."""
    changes = read_changes(source, state, full=full, overlap=overlap)
    return apply_changes(changes, source, knowledge, state, delete_missing=delete_missing)
