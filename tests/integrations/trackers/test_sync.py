"""Incremental backlog sync over HTTP from the fake trackers into a real knowledge base."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from assist.errors import InvalidInput
from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from assist.storage.sql import SqlStore
from embeddings.fake import FakeEncoder
from integrations.trackers.sync import read_changes, sync_backlog
from tests.integrations.trackers.conftest import JiraPeer, RedminePeer

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
OVERLAP = timedelta(minutes=5)


def issue_lists(peer: RedminePeer) -> list[dict[str, str]]:
    return [r.params for r in peer.fake.received if r.path == "/issues.json"]


def test_first_sync_reads_all_then_only_what_changed(
    redmine: RedminePeer,
    knowledge: KnowledgeBase,
    store: SqlStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # the log line of a sync is made, not only filtered out
    fake = redmine.fake
    for n in range(3):
        fake.add_issue(f"Задача {n}", updated_on=T0 + timedelta(hours=n))
    tracker = redmine.tracker()

    first = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    assert (first.since, first.fetched, first.created) == (None, 3, ["RM-1", "RM-2", "RM-3"])
    assert store.tracker_sync.cursor("redmine") == T0 + timedelta(hours=2)
    assert "updated_on" not in issue_lists(redmine)[0]

    fake.received.clear()
    fake.edit(2, subject="Чат падает при открытии", at=T0 + timedelta(hours=3))
    second = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    assert issue_lists(redmine)[0]["updated_on"] == ">=2026-11-26T10:55:00Z"
    assert (second.fetched, second.updated, second.unchanged) == (2, ["RM-2"], ["RM-3"])
    task = knowledge.repository("backlog").get("RM-2")
    assert task is not None and task.title == "Чат падает при открытии"
    assert store.tracker_sync.cursor("redmine") == T0 + timedelta(hours=3)
    # Searchable at once: the index was brought up to date by the same upsert.
    query = FakeEncoder().encode_queries(["чат падает при открытии"])[0]
    hit = knowledge.backlog.index.search(query, "чат падает при открытии", 1)[0]
    assert hit.record.id == "RM-2"

    synced = [r for r in caplog.records if r.getMessage() == "backlog synced"]
    assert [r.tasks_updated for r in synced] == [0, 1]  # type: ignore[attr-defined]

    fake.received.clear()
    third = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    assert (third.fetched, third.created, third.updated) == (1, [], [])  # the overlap only
    assert store.tracker_sync.cursor("redmine") == T0 + timedelta(hours=3)


def test_an_issue_stamped_before_the_cursor_but_seen_late_is_not_missed(
    redmine: RedminePeer, knowledge: KnowledgeBase, store: SqlStore
) -> None:
    """A tracker stamps `updated_on` before its transaction commits: the overlap covers it."""
    fake = redmine.fake
    fake.add_issue("Первая", updated_on=T0 + timedelta(seconds=10))
    tracker = redmine.tracker()
    sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    fake.add_issue("Сохранена позже", updated_on=T0 + timedelta(seconds=9))
    report = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    assert report.created == ["RM-2"]
    assert store.tracker_sync.cursor("redmine") == T0 + timedelta(seconds=10)  # never back


def test_full_sync_reads_everything_and_can_delete_what_the_tracker_lost(
    redmine: RedminePeer, knowledge: KnowledgeBase, store: SqlStore
) -> None:
    fake = redmine.fake
    for n in range(3):
        fake.add_issue(f"Задача {n}", updated_on=T0)
    knowledge.upsert("backlog", [BacklogTask(id="CONNECT-1", title="Своя задача")])
    tracker = redmine.tracker()
    sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    del fake.issues[3]
    with pytest.raises(InvalidInput):
        sync_backlog(tracker, knowledge, store.tracker_sync, delete_missing=True)
    report = sync_backlog(tracker, knowledge, store.tracker_sync, full=True, delete_missing=True)
    assert (report.since, report.unchanged, report.deleted) == (None, ["RM-1", "RM-2"], ["RM-3"])
    assert sorted(knowledge.repository("backlog").ids()) == ["CONNECT-1", "RM-1", "RM-2"]


def test_progress_hears_how_many_issues_were_read(redmine: RedminePeer, store: SqlStore) -> None:
    for n in range(120):
        redmine.fake.add_issue(f"Задача {n}", updated_on=T0 + timedelta(seconds=n))
    heard: list[tuple[int, int | None]] = []
    changes = read_changes(
        redmine.tracker(), store.tracker_sync, progress=lambda d, t: heard.append((d, t))
    )
    assert len(changes.tasks) == 120
    assert heard[0] == (0, 120)  # the first page's total_count
    assert heard[-1][0] == 120


def test_jira_sync_is_incremental_in_whole_minutes(
    jira: JiraPeer, knowledge: KnowledgeBase, store: SqlStore
) -> None:
    fake = jira.fake  # the API user's zone is Europe/Moscow
    fake.add_issue("Первая", updated=T0)
    fake.add_issue("Вторая", updated=T0 + timedelta(minutes=30, seconds=20))
    tracker = jira.tracker()
    first = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    assert first.created == ["SUP-1", "SUP-2"]

    fake.received.clear()
    fake.edit("SUP-1", summary="Первая, исправлена", at=T0 + timedelta(hours=1))
    second = sync_backlog(tracker, knowledge, store.tracker_sync, overlap=OVERLAP)
    jql = next(r.params["jql"] for r in fake.received if r.path.endswith("/search/jql"))
    assert 'updated >= "2026/11/26 12:25"' in jql  # 09:30:20 UTC - 5 min, local, to the minute
    assert (second.updated, second.unchanged) == (["SUP-1"], ["SUP-2"])
