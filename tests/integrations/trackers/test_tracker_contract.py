"""What every `Tracker` must do; each implementation joins the `tracker` fixture's params."""

from __future__ import annotations

from pathlib import Path

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


def builtin(tmp_path: Path) -> Tracker:
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


@pytest.fixture(params=[builtin])
def tracker(request: pytest.FixtureRequest, tmp_path: Path) -> Tracker:
    made: Tracker = request.param(tmp_path)
    return made


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
