"""Tasks written to Redmine are in our backlog at once; built-in ids stay built-in; the app
wires the configured tracker and renders its failures as problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.knowledge.records import BacklogTask
from assist.knowledge.service import KnowledgeBase
from assist.services import build_services
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from integrations.trackers.base import TaskDraft
from integrations.trackers.builtin import BuiltinTracker
from integrations.trackers.mirrored import MirroredTracker
from tests.conftest import API_KEY, wait_ready
from tests.integrations.trackers import fake_redmine
from tests.integrations.trackers.conftest import RedminePeer
from tests.servers import metric


def redmine_settings(tmp_path: Path, url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        api_keys=[API_KEY],
        log_json=False,
        refresh_seconds=0,
        tracker="redmine",
        redmine_url=url,
        redmine_api_key=fake_redmine.KEY,
        redmine_project="connect",
        redmine_watchers_field_id=fake_redmine.WATCHERS_FIELD,
        redmine_support_user_id=fake_redmine.SUPPORT_USER,
        tracker_retries=0,
    )


def test_created_and_changed_tasks_are_copied_into_the_backlog(
    redmine: RedminePeer, knowledge: KnowledgeBase
) -> None:
    knowledge.upsert("backlog", [BacklogTask(id="CONNECT-7", title="Своя задача")])
    tracker = MirroredTracker(redmine.tracker(), knowledge, BuiltinTracker(knowledge))
    task = tracker.create_task(
        TaskDraft(title="Не грузится история", description="", watchers=("user:u1",))
    )
    assert knowledge.repository("backlog").get(task.id) == task
    changed = tracker.add_watcher(task.id, "account:a1")
    assert knowledge.repository("backlog").get(task.id) == changed

    local = tracker.add_watcher("CONNECT-7", "user:u2")  # not Redmine's: stays built-in
    assert local.watchers == ("user:u2",) and tracker.get_task("CONNECT-7") == local
    assert not any("CONNECT" in r.path for r in redmine.fake.received)


def test_a_failed_local_copy_does_not_undo_the_created_issue(
    redmine: RedminePeer, knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = MirroredTracker(redmine.tracker(), knowledge, BuiltinTracker(knowledge))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(knowledge, "upsert", broken)
    task = tracker.create_task(TaskDraft(title="Задача", description=""))
    assert task.id == "RM-1" and 1 in redmine.fake.issues


def test_the_app_registers_tasks_in_the_configured_redmine(
    redmine: RedminePeer, tmp_path: Path
) -> None:
    app = create_app(redmine_settings(tmp_path, redmine.url), encoder=FakeEncoder())
    with TestClient(app, headers={"X-API-Key": API_KEY}) as client:
        wait_ready(client)
        response = client.post(
            "/v1/backlog/register", json={"text": "Не открывается чат", "user_id": "u-7"}
        )
        assert response.status_code == 201, response.text
        assert response.json()["task"]["id"] == "RM-1"
        assert redmine.fake.issues[1]["custom"][fake_redmine.WATCHERS_FIELD] == "user:u-7"
        assert client.get("/v1/backlog/RM-1").json()["title"] == "Не открывается чат"

        redmine.fake.fail_next = [503]
        failed = client.post("/v1/backlog/RM-1/watchers", json={"user_id": "u-8"})
        assert failed.status_code == 502
        assert failed.headers["content-type"] == "application/problem+json"
        assert failed.json()["type"] == "/problems/tracker-unavailable"
        # Every answer of the tracker is counted for /metrics.
        metrics = client.get("/metrics").text
        assert metric(metrics, "assist_peer_requests_total", peer="redmine", result="ok") >= 1
        assert metric(metrics, "assist_peer_requests_total", peer="redmine", result="error") == 1


def test_services_close_the_trackers_client(redmine: RedminePeer, tmp_path: Path) -> None:
    services = build_services(redmine_settings(tmp_path, redmine.url), encoder=FakeEncoder())
    client = services.tracker_client
    assert client is not None and not client.is_closed
    services.close()
    assert client.is_closed


def test_a_remote_tracker_needs_its_settings() -> None:
    with pytest.raises(ValueError, match="ASSIST_REDMINE_WATCHERS_FIELD_ID"):
        Settings(
            tracker="redmine", redmine_url="http://x", redmine_api_key="k", redmine_project="p"
        )
    with pytest.raises(ValueError, match="ASSIST_JIRA_URL"):
        Settings(tracker="jira")
