"""What the fake Redmine stands for, checked on a real Redmine 5 (skips when not installed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assist.errors import InvalidInput
from assist.knowledge.service import KnowledgeBase
from assist.storage.sql import SqlStore
from integrations.trackers.base import TaskDraft
from integrations.trackers.sync import sync_backlog
from tests.integrations.trackers.conftest import real_redmine_tracker
from tests.integrations.trackers.real_redmine import RealRedmine


def test_redmines_validation_errors(real_redmine: RealRedmine) -> None:
    with pytest.raises(InvalidInput) as caught:
        real_redmine_tracker(real_redmine).create_task(TaskDraft(title=" ", description=""))
    assert {"field": "redmine", "message": "Subject cannot be blank"} in caught.value.errors


def test_an_edit_is_picked_up_by_the_next_sync(
    real_redmine: RealRedmine, knowledge: KnowledgeBase, store: SqlStore
) -> None:
    tracker = real_redmine_tracker(real_redmine)
    made = [tracker.create_task(TaskDraft(title=f"Задача {n}", description="")) for n in range(3)]
    first = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=timedelta(0))
    assert {t.id for t in made} <= set(first.created)

    tracker.add_watcher(made[1].id, "user:u-real")  # a field write: a new updated_on
    second = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=timedelta(0))
    assert made[1].id in second.updated and not second.created
    synced = knowledge.repository("backlog").get(made[1].id)
    assert synced is not None and synced.watchers == ("user:u-real",)
