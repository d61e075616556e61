"""`RedmineTracker` against the fake Redmine over HTTP: requests, mapping, errors, paging."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from assist.errors import InvalidInput, NotFound, TrackerUnavailable
from integrations.trackers.base import TaskDraft
from integrations.trackers.mapping import TaskMapping
from integrations.trackers.redmine import RedmineConfig, RedmineTracker
from tests.integrations.trackers.conftest import RedminePeer
from tests.integrations.trackers.fake_redmine import SUPPORT_USER, WATCHERS_FIELD

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_new_task_is_created_as_documented(redmine: RedminePeer) -> None:
    tracker = redmine.tracker()
    task = tracker.create_task(
        TaskDraft(
            title="Добавить темную тему",
            description="Просят в чате.",
            kind="feature",
            watchers=("user:u1", "account:a1"),
        )
    )
    assert (task.id, task.kind, task.status) == ("RM-1", "feature", "open")
    assert task.watchers == ("user:u1", "account:a1")
    post = next(r for r in redmine.fake.received if r.method == "POST")
    assert post.path == "/issues.json"
    issue = redmine.fake.issues[1]
    assert (issue["tracker_id"], issue["subject"]) == (2, "Добавить темную тему")
    assert issue["custom"][WATCHERS_FIELD] == "user:u1\naccount:a1"
    assert redmine.fake.watchers[1] == [1, SUPPORT_USER]  # the author, then support


def test_kinds_and_statuses_follow_the_mapping(redmine: RedminePeer) -> None:
    fake = redmine.fake
    cases = [
        (1, 1, "bug", "open"),  # Bug, New
        (2, 2, "feature", "in_progress"),  # Feature, In Progress
        (3, 3, "bug", "done"),  # Support (unknown: a bug), Resolved
        (1, 6, "bug", "rejected"),  # Rejected
        (1, 7, "bug", "open"),  # «Ждет релиза»: unknown and open
        (1, 8, "bug", "done"),  # Archived: unknown but closed
    ]
    for tracker_id, status_id, _, _ in cases:
        fake.add_issue("Задача", tracker_id=tracker_id, status_id=status_id)
    tracker = redmine.tracker()
    got = [(t.kind, t.status) for t in (tracker.get_task(f"RM-{n}") for n in range(1, 7)) if t]
    assert got == [(kind, status) for _, _, kind, status in cases]

    tuned = redmine.tracker()
    tuned.mapping = TaskMapping.extended({"Support": "feature"}, {"ждет релиза": "in_progress"})
    assert tuned.get_task("RM-3").kind == "feature"  # type: ignore[union-attr]
    assert tuned.get_task("RM-5").status == "in_progress"  # type: ignore[union-attr]


def test_a_refused_task_is_invalid_input_with_redmines_messages(redmine: RedminePeer) -> None:
    with pytest.raises(InvalidInput) as caught:
        redmine.tracker().create_task(TaskDraft(title=" ", description=""))
    assert caught.value.errors == [{"field": "redmine", "message": "Subject cannot be blank"}]
    with pytest.raises(InvalidInput):
        redmine.tracker(project="other").create_task(TaskDraft(title="x", description=""))


def test_a_wrong_key_is_a_tracker_problem_not_the_callers(redmine: RedminePeer) -> None:
    with pytest.raises(TrackerUnavailable, match="401"):
        redmine.tracker(key="wrong").get_task("RM-1")


def test_unknown_issues(redmine: RedminePeer) -> None:
    tracker = redmine.tracker()
    assert tracker.get_task("RM-404") is None
    assert tracker.get_task("JIRA-1") is None  # not ours: no request at all
    with pytest.raises(NotFound):
        tracker.add_watcher("RM-404", "user:u1")
    assert [r.path for r in redmine.fake.received] == ["/issues/404.json"] * 2


def test_reads_are_retried_and_creation_is_not(redmine: RedminePeer) -> None:
    fake = redmine.fake
    fake.add_issue("Падает чат")
    fake.fail_next = [503, 502]
    assert redmine.tracker().get_task("RM-1") is not None
    assert len(fake.received) == 3

    fake.received.clear()
    fake.fail_next = [503]
    with pytest.raises(TrackerUnavailable, match="503"):
        redmine.tracker().create_task(TaskDraft(title="Новая", description=""))
    assert [r.method for r in fake.received] == ["POST"]  # never sent twice

    fake.fail_next = [503] * 3
    with pytest.raises(TrackerUnavailable):
        redmine.tracker(retries=2).get_task("RM-1")


def test_an_unreachable_redmine_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens once closed
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2)
    tracker = RedmineTracker(client, RedmineConfig(project="connect"), retries=1, backoff=0.01)
    with pytest.raises(TrackerUnavailable, match="cannot be reached"):
        tracker.get_task("RM-1")


def test_support_starts_watching_once_when_someone_is_attached(redmine: RedminePeer) -> None:
    fake = redmine.fake
    fake.add_issue("Старая задача", chat_watchers="user:u0")
    tracker = redmine.tracker()
    first = tracker.add_watcher("RM-1", "account:a9")
    again = tracker.add_watcher("RM-1", "account:a9")
    assert first.watchers == again.watchers == ("user:u0", "account:a9")
    assert fake.watchers[1] == [1, SUPPORT_USER]
    watched = [r for r in fake.received if r.path == "/issues/1/watchers.json"]
    assert len(watched) == 1


def test_all_pages_are_read_in_update_order(redmine: RedminePeer) -> None:
    for n in range(230):
        redmine.fake.add_issue(f"Задача {n}", updated_on=T0 + timedelta(seconds=n))
    tracker = redmine.tracker()
    seen = [c.task.id for c in tracker.changes(None)]
    assert seen == [f"RM-{n}" for n in range(1, 231)]
    lists = [r.params for r in redmine.fake.received if r.path == "/issues.json"]
    assert all(p["status_id"] == "*" and p["limit"] == "100" for p in lists)
    assert lists[0]["sort"] == "updated_on,id" and "updated_on" not in lists[0]
    # Each next page starts from the newest time seen instead of an offset.
    assert lists[1]["updated_on"] == ">=2026-11-26T09:01:39Z" and lists[1]["offset"] == "0"


def test_only_issues_updated_since_are_asked_for(redmine: RedminePeer) -> None:
    for n in range(5):
        redmine.fake.add_issue(f"Задача {n}", updated_on=T0 + timedelta(minutes=n))
    since = T0 + timedelta(minutes=3, seconds=30)
    got = [c.task.id for c in redmine.tracker().changes(since)]
    assert got == ["RM-5"]
    assert redmine.fake.received[-1].params["updated_on"] == ">=2026-11-26T09:03:30Z"


def test_an_issue_edited_while_paging_costs_no_other_issue(redmine: RedminePeer) -> None:
    """Offset paging would skip the issue that slides onto the read page."""
    fake = redmine.fake
    for n in range(150):
        fake.add_issue(f"Задача {n}", updated_on=T0 + timedelta(seconds=n))
    edits = iter([lambda: fake.edit(1, subject="Изменена", at=T0 + timedelta(hours=1))])
    fake.after_list.append(lambda: next(edits, lambda: None)())
    changed = list(redmine.tracker().changes(None))
    ids = {c.task.id for c in changed}
    assert ids == {f"RM-{n}" for n in range(1, 151)}
    assert changed[-1].task.title == "Изменена"


def test_many_issues_of_one_second_are_paged_by_offset(redmine: RedminePeer) -> None:
    for n in range(130):
        redmine.fake.add_issue(f"Массовая правка {n}", updated_on=T0)
    got = [c.task.id for c in redmine.tracker().changes(T0)]
    assert sorted(got) == sorted(f"RM-{n}" for n in range(1, 131))
    assert redmine.fake.received[-1].params["offset"] == "100"
