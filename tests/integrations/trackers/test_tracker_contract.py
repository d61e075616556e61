"""What every `Tracker` must do; each implementation joins the `tracker` fixture's params."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from assist.errors import NotFound
from assist.knowledge.lexical import LexicalIndex
from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from assist.storage.sql import SqlStore
from embeddings.fake import FakeEncoder
from embeddings.numpy_index import NumpyIndex
from integrations.trackers.base import TaskDraft, Tracker
from integrations.trackers.builtin import BuiltinTracker
from integrations.trackers.jira import JiraConfig, JiraTracker
from integrations.trackers.redmine import RedmineConfig, RedmineTracker
from tests.integrations.trackers import fake_jira, fake_redmine
from tests.integrations.trackers.conftest import real_redmine_tracker
from tests.servers import serve_in_thread


def builtin(
    tmp_path: Path, _stack: ExitStack | None = None, _request: pytest.FixtureRequest | None = None
) -> Tracker:
    store = SqlStore(f"sqlite:///{tmp_path / 'tracker.db'}")
    knowledge = KnowledgeBase(
        store,
        FakeEncoder(),
        tmp_path / "index",
        vector_index=NumpyIndex,
        lexical_index=LexicalIndex,
    )
    knowledge.load()
    knowledge.upsert("backlog", [BacklogTask(id="CONNECT-1041", title="Старая задача")])
    return BuiltinTracker(knowledge)


def redmine(_tmp_path: Path, stack: ExitStack, _request: pytest.FixtureRequest) -> Tracker:
    """Over real HTTP to the fake Redmine (see fake_redmine.py for what it reproduces)."""
    url = stack.enter_context(serve_in_thread(fake_redmine.FakeRedmine().app()))
    client = stack.enter_context(
        httpx.Client(base_url=url, headers={"X-Redmine-API-Key": fake_redmine.KEY}, timeout=5)
    )
    config = RedmineConfig(
        project="connect",
        watchers_field_id=fake_redmine.WATCHERS_FIELD,
        support_user_id=fake_redmine.SUPPORT_USER,
    )
    return RedmineTracker(client, config, retries=0)


def jira(_tmp_path: Path, stack: ExitStack, _request: pytest.FixtureRequest) -> Tracker:
    url = stack.enter_context(serve_in_thread(fake_jira.FakeJira().app()))
    client = stack.enter_context(
        httpx.Client(base_url=url, auth=httpx.BasicAuth(fake_jira.USER, fake_jira.TOKEN), timeout=5)
    )
    config = JiraConfig(
        project_key="SUP",
        watchers_field=fake_jira.WATCHERS_FIELD,
        support_account=fake_jira.SUPPORT,
    )
    return JiraTracker(client, config, retries=0)


def real_redmine(_tmp_path: Path, stack: ExitStack, request: pytest.FixtureRequest) -> Tracker:
    """Debian's Redmine 5, when installed (skips otherwise): the fake's reference."""
    made = real_redmine_tracker(request.getfixturevalue("real_redmine"))
    stack.callback(made.http.client.close)
    return made


@pytest.fixture(params=[builtin, redmine, jira, real_redmine])
def tracker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tracker]:
    with ExitStack() as stack:
        made: Tracker = request.param(tmp_path, stack, request)
        yield made


DRAFT = TaskDraft(
    title="Чат не открывается", description="После обновления.", watchers=("user:u1",)
)


def test_new_tasks_get_new_numbers(tracker: Tracker) -> None:
    first = tracker.create_task(DRAFT)
    second = tracker.create_task(
        TaskDraft(title="Добавить темную тему", description="", kind="feature")
    )
    assert first.id != second.id
    assert (first.title, first.status, first.watchers) == (
        "Чат не открывается",
        "open",
        ("user:u1",),
    )
    assert tracker.get_task(first.id) == first
    assert second.kind == "feature"


def test_watchers_are_added_once(tracker: Tracker) -> None:
    task = tracker.create_task(DRAFT)
    once = tracker.add_watcher(task.id, "account:a9")
    twice = tracker.add_watcher(task.id, "account:a9")
    assert once.watchers == twice.watchers == ("user:u1", "account:a9")
    assert tracker.get_task(task.id) == twice


def test_unknown_task(tracker: Tracker) -> None:
    assert tracker.get_task("CONNECT-999999") is None
    with pytest.raises(NotFound):
        tracker.add_watcher("CONNECT-999999", "user:u1")


def test_builtin_numbers_follow_the_backlog_and_tasks_are_searchable(tmp_path: Path) -> None:
    tracker = builtin(tmp_path)
    task = tracker.create_task(DRAFT)
    assert task.id == "CONNECT-1042"
    index = tracker.knowledge.backlog.index  # type: ignore[attr-defined]
    query = FakeEncoder().encode_queries(["чат не открывается"])[0]
    assert index.search(query, "чат не открывается", 1)[0].record.id == "CONNECT-1042"
