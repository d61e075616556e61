"""Outbound `suggestion.ready` events from a real app to a real helpdesk on 127.0.0.1, and
the lead's routes over the dead letters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from tests.conftest import FAQ, wait_ready
from tests.integrations.helpdesk.peers import Receiver
from tests.servers import eventually, metric, serve_in_thread

SECRET = "outbound-secret"
KEYS = {"lead": "lead-key", "agent": "agent-key"}
RESULTS = "assist_webhook_deliveries_total"


@dataclass
class Desk:
    client: TestClient
    receiver: Receiver

    def deliveries(self, status: str = "") -> list[dict[str, object]]:
        query = f"?status={status}" if status else ""
        response = self.client.get(f"/v1/webhooks/deliveries{query}", headers=lead())
        assert response.status_code == 200, response.text
        found: list[dict[str, object]] = response.json()
        return found


def lead() -> dict[str, str]:
    return {"X-API-Key": KEYS["lead"]}


@pytest.fixture
def desk(settings: Settings) -> Iterator[Desk]:
    receiver = Receiver(SECRET)
    with serve_in_thread(receiver.app) as url:
        configured = settings.model_copy(
            update={
                "api_roles": {key: role for role, key in KEYS.items()},
                "helpdesk_webhook_urls": [f"{url}/hook"],
                "helpdesk_webhook_secrets": [SECRET],
                "helpdesk_webhook_max_attempts": 2,
                "helpdesk_webhook_backoff_seconds": 0.01,
                "helpdesk_webhook_poll_seconds": 0.05,
            }
        )
        app = create_app(configured, encoder=FakeEncoder())
        with TestClient(app, headers={"X-API-Key": KEYS["agent"]}) as client:
            wait_ready(client)
            app.state.services.knowledge.upsert("faq", FAQ)
            yield Desk(client, receiver)


def test_every_suggestion_is_announced_signed_with_its_request_id(desk: Desk) -> None:
    response = desk.client.post(
        "/v1/suggest",
        json={"text": "удаленка не работает", "conversation_id": "c-5", "line": "partners"},
        headers={"X-Request-ID": "desk-42.1"},
    )
    made = response.json()
    assert eventually(lambda: len(desk.receiver.delivered()) == 1)
    (call,) = desk.receiver.snapshot()
    assert call.verified
    assert call.headers["x-request-id"] == "desk-42.1"
    event = call.event
    assert call.headers["x-assist-event-id"] == event["event_id"]
    assert event["type"] == "suggestion.ready"
    assert event["request_id"] == "desk-42.1"
    assert (event["conversation_id"], event["line"], event["user_id"]) == ("c-5", "partners", None)
    assert event["suggestion"] == made
    (row,) = desk.deliveries("delivered")
    assert (row["event_id"], row["attempts"], row["request_id"]) == (
        event["event_id"],
        1,
        "desk-42.1",
    )
    assert metric(desk.client.get("/metrics").text, RESULTS, result="delivered") == 1


def test_a_dead_letter_is_listed_and_replayed_by_a_lead(desk: Desk) -> None:
    desk.receiver.always_fail = True
    desk.client.post("/v1/suggest", json={"text": "Как сбросить пароль?"})
    assert eventually(lambda: len(desk.deliveries("dead")) == 1)
    (dead,) = desk.deliveries("dead")
    assert (dead["attempts"], dead["last_status_code"]) == (2, 500)
    assert desk.deliveries("pending") == []
    metrics = desk.client.get("/metrics").text
    assert (metric(metrics, RESULTS, result="failed"), metric(metrics, RESULTS, result="dead")) == (
        1,
        1,
    )

    # Agents may not touch deliveries; leads may.
    path = f"/v1/webhooks/deliveries/{dead['id']}/replay"
    assert desk.client.post(path).status_code == 403
    assert desk.client.get("/v1/webhooks/deliveries").status_code == 403
    desk.receiver.always_fail = False
    replayed = desk.client.post(path, headers=lead())
    assert replayed.status_code == 200
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    assert eventually(lambda: len(desk.deliveries("delivered")) == 1)
    assert len(desk.receiver.delivered()) == 1
    assert {c.event["event_id"] for c in desk.receiver.snapshot()} == {dead["event_id"]}

    missing = desk.client.post("/v1/webhooks/deliveries/999999/replay", headers=lead())
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_without_urls_nothing_is_enqueued(client: TestClient) -> None:
    client.post("/v1/suggest", json={"text": "удаленка не работает"})
    app = client.app
    assert app.state.services.listeners == []  # type: ignore[attr-defined]
    assert client.get("/v1/webhooks/deliveries").json() == []
