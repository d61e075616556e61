"""`JiraTracker` against the fake Jira (Cloud and Data Center) over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assist.errors import InvalidInput, NotFound, TrackerUnavailable
from integrations.trackers.base import TaskDraft
from tests.integrations.trackers.conftest import JiraPeer
from tests.integrations.trackers.fake_jira import ACCOUNT, SUPPORT, WATCHERS_FIELD

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_new_task_is_created_and_support_watches_it(jira: JiraPeer) -> None:
    task = jira.tracker().create_task(
        TaskDraft(title="Не приходят уведомления", description="На Android.", watchers=("user:u1",))
    )
    assert (task.id, task.kind, task.status, task.watchers) == (
        "SUP-1",
        "bug",
        "open",
        ("user:u1",),
    )
    assert jira.fake.issues["SUP-1"][WATCHERS_FIELD] == "user:u1"
    assert jira.fake.watchers["SUP-1"] == [ACCOUNT, SUPPORT]
    feature = jira.tracker().create_task(
        TaskDraft(title="Темная тема", description="", kind="feature")
    )
    assert (jira.fake.issues[feature.id]["issuetype"], feature.kind) == ("Story", "feature")


def test_jiras_field_errors_become_invalid_input(jira: JiraPeer) -> None:
    with pytest.raises(InvalidInput) as caught:
        jira.tracker(bug_issue_type="Ошибка").create_task(TaskDraft(title="", description=""))
    assert {e["field"] for e in caught.value.errors} == {"summary", "issuetype"}
    assert "You must specify a summary of the issue." in {e["message"] for e in caught.value.errors}


def test_kinds_and_statuses_with_the_status_category_as_fallback(jira: JiraPeer) -> None:
    fake = jira.fake
    fake.add_issue("a", issue_type="Bug", status="To Do")
    fake.add_issue("b", issue_type="Task", status="In Progress")
    fake.add_issue("c", issue_type="Epic", status="In Review")  # unknown status, in progress
    fake.add_issue("d", issue_type="Story", status="Won't Do")
    fake.add_issue("e", issue_type="Story", status="Shipped")  # unknown, Done category
    got = [jira.tracker().get_task(f"SUP-{n}") for n in range(1, 6)]
    assert [(t.kind, t.status) for t in got if t] == [
        ("bug", "open"),
        ("feature", "in_progress"),
        ("bug", "open"),
        ("feature", "rejected"),
        ("feature", "done"),
    ]


def test_errors_of_jira(jira: JiraPeer) -> None:
    tracker = jira.tracker()
    assert tracker.get_task("SUP-99") is None
    with pytest.raises(NotFound):
        tracker.add_watcher("SUP-99", "user:u1")
    with pytest.raises(TrackerUnavailable, match="401"):
        jira.tracker(token="wrong").get_task("SUP-1")
    jira.fake.fail_next = [500, 500, 500]
    with pytest.raises(TrackerUnavailable, match="500"):
        tracker.get_task("SUP-1")


def test_a_data_center_token_is_sent_as_bearer(jira: JiraPeer) -> None:
    jira.fake.add_issue("Задача")
    assert jira.tracker(bearer=True).get_task("SUP-1") is not None


def test_cloud_search_pages_by_token_in_the_users_time_zone(jira: JiraPeer) -> None:
    fake = jira.fake  # Europe/Moscow, UTC+3
    for n in range(120):
        fake.add_issue(f"Задача {n}", updated=T0 + timedelta(minutes=n))
    tracker = jira.tracker(page_size=50)
    assert [c.task.id for c in tracker.changes(None)] == [f"SUP-{n}" for n in range(1, 121)]
    searches = [r.params for r in fake.received if r.path.endswith("/search/jql")]
    assert searches[0]["jql"] == 'project = "SUP" ORDER BY updated ASC, key ASC'
    assert WATCHERS_FIELD in searches[0]["fields"].split(",")

    asked_zone = [r.path for r in fake.received].count("/rest/api/2/myself")
    fake.received.clear()
    since = T0 + timedelta(minutes=100, seconds=30)
    got = [c.task.id for c in tracker.changes(since)]
    assert got == [f"SUP-{n}" for n in range(101, 121)]  # from 10:40 local, to the minute
    jql = next(r.params["jql"] for r in fake.received if r.path.endswith("/search/jql"))
    assert 'updated >= "2026/11/26 13:40"' in jql
    assert asked_zone == 1 and "/rest/api/2/myself" not in [r.path for r in fake.received]


def test_cloud_has_no_classic_search(jira: JiraPeer) -> None:
    with pytest.raises(TrackerUnavailable, match="410"):
        list(jira.tracker(search="classic").changes(None))


def test_data_center_search_pages_by_start_at(jira_data_center: JiraPeer) -> None:
    fake = jira_data_center.fake
    for n in range(75):
        fake.add_issue(f"Задача {n}", updated=T0)  # one minute: pages by startAt
    tracker = jira_data_center.tracker(search="classic", page_size=50)
    got = [c.task.id for c in tracker.changes(T0)]
    assert sorted(got) == sorted(f"SUP-{n}" for n in range(1, 76))
    starts = [r.params["startAt"] for r in fake.received if r.path.endswith("/search")]
    assert starts == ["0", "50"]


def test_watchers_are_kept_in_the_field_and_support_is_added_once(jira: JiraPeer) -> None:
    fake = jira.fake
    fake.add_issue("Задача", chat_watchers="user:u0")
    tracker = jira.tracker()
    tracker.add_watcher("SUP-1", "account:a1")
    task = tracker.add_watcher("SUP-1", "account:a1")
    assert task.watchers == ("user:u0", "account:a1")
    assert fake.watchers["SUP-1"] == [ACCOUNT, SUPPORT]
    posts = [r for r in fake.received if r.method == "POST" and r.path.endswith("/watchers")]
    assert len(posts) == 1
