"""Background bulk imports: 202 with a job, its progress, its result or its problem."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assist.errors import Conflict

TASKS = [
    {"id": "CONNECT-50", "title": "Не открывается чат", "description": "Белый экран."},
    {"id": "CONNECT-51", "title": "Не приходят уведомления"},
]


def wait_finished(client: TestClient, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.02)
    raise AssertionError("the job did not finish")


def test_async_bulk_import_reports_progress_and_result(client: TestClient) -> None:
    response = client.post("/v1/backlog/bulk?async=true", json=TASKS)
    assert response.status_code == 202
    location = response.headers["location"]
    assert location == f"/v1/jobs/{response.json()['id']}"
    assert response.json()["records"] == 2
    job = wait_finished(client, location)
    # Passages: the first task has a title and a description (2), the second a title (1).
    assert job["state"] == "done" and job["done"] == job["total"] == 3
    assert job["result"]["created"] == ["CONNECT-50", "CONNECT-51"]
    assert client.get("/v1/backlog/CONNECT-50").status_code == 200


def test_invalid_records_are_refused_before_any_job(client: TestClient) -> None:
    response = client.post("/v1/backlog/bulk?async=true", json=[{"id": "X"}])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_a_failed_job_carries_problem_details(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = client.app.state.services.knowledge  # type: ignore[attr-defined]

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise Conflict("CONNECT-50 is being written by another import")

    monkeypatch.setattr(knowledge, "upsert", refuse)
    response = client.post("/v1/backlog/bulk?async=true", json=TASKS)
    job = wait_finished(client, response.headers["location"])
    assert job["state"] == "failed" and job["result"] is None
    assert job["error"]["status"] == 409 and job["error"]["type"] == "/problems/conflict"
    assert "another import" in job["error"]["detail"]


def test_unknown_job_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/jobs/nope")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"
