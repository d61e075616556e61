"""`/metrics` counts suggestions, flags, decisions and feedback in the Prometheus format."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.servers import metric


def test_suggestions_and_feedback_are_counted(client: TestClient) -> None:
    before = client.get("/metrics").text
    made = client.post("/v1/suggest", json={"text": "Не подключается удаленный доступ"}).json()
    client.post("/v1/suggest", json={"text": "Вы там все идиоты, что ли?"})
    client.post(f"/v1/suggestions/{made['suggestion_id']}/feedback", json={"outcome": "accepted"})

    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text
    count = "assist_suggest_latency_seconds_count"
    assert metric(after, count, source="api") - metric(before, count, source="api") == 2
    decision = made["decision"]
    assert metric(after, "assist_decisions_total", decision=decision) >= 1
    assert metric(after, "assist_flags_total", code="conduct.rude") == 1
    assert metric(after, "assist_feedback_total", outcome="accepted") == 1


def test_metrics_answer_before_the_model_is_loaded_and_without_a_key(client: TestClient) -> None:
    response = client.get("/metrics", headers={"X-API-Key": ""})
    assert response.status_code == 200
    assert "assist_suggest_latency_seconds" in response.text
