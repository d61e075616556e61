"""POST /hooks/helpdesk/messages: signed helpdesk messages over a real app (fake encoder)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from integrations.helpdesk.signing import signed_headers
from tests.conftest import API_KEY, BACKLOG, FAQ, wait_ready
from tests.integrations.helpdesk.peers import readme_example
from tests.servers import metric

SECRET = "inbound-secret"
PATH = "/hooks/helpdesk/messages"
INBOUND = "assist_inbound_events_total"
SUGGESTIONS = "assist_suggest_latency_seconds_count"


def message(event_id: str = "hd-1", **fields: Any) -> bytes:
    body = {"event_id": event_id, "text": "Как настроить расписание работы линии?", **fields}
    return json.dumps(body, ensure_ascii=False).encode()


def signed(body: bytes, secret: str = SECRET, offset: int = 0) -> dict[str, str]:
    timestamp = int(time.time()) + offset
    return {
        "Content-Type": "application/json",
        **signed_headers([secret], body, timestamp=timestamp),
    }


@pytest.fixture
def hooks(settings: Settings) -> Iterator[TestClient]:
    """The app with inbound secrets (the new one first); requests carry no API key."""
    configured = settings.model_copy(update={"helpdesk_inbound_secrets": [SECRET, "older"]})
    app = create_app(configured, encoder=FakeEncoder())
    with TestClient(app) as client:
        client.headers["X-API-Key"] = API_KEY
        wait_ready(client)
        app.state.services.knowledge.upsert("faq", FAQ)
        app.state.services.knowledge.upsert("backlog", BACKLOG)
        del client.headers["X-API-Key"]
        yield client


def counts(client: TestClient) -> dict[str, float]:
    text = client.get("/metrics").text
    found = {
        outcome: metric(text, INBOUND, source="helpdesk", outcome=outcome)
        for outcome in ("processed", "duplicate", "rejected")
    }
    return {**found, "computed": metric(text, SUGGESTIONS, source="helpdesk")}


def test_a_signed_message_gets_its_suggestion_without_an_api_key(hooks: TestClient) -> None:
    body = message(conversation_id="c-7", user_id="u-7", line="support")
    response = hooks.post(PATH, content=body, headers=signed(body))
    assert response.status_code == 200, response.text
    made = response.json()
    assert made["faq"][0]["id"] == "faq-schedule"
    assert "x-assist-duplicate" not in response.headers
    stored = hooks.get(f"/v1/suggestions/{made['suggestion_id']}", headers={"X-API-Key": API_KEY})
    assert stored.json() == made
    assert counts(hooks) == {"processed": 1, "duplicate": 0, "rejected": 0, "computed": 1}


def test_a_redelivered_event_gets_the_same_suggestion_not_a_new_one(hooks: TestClient) -> None:
    body = message("hd-2")
    first = hooks.post(PATH, content=body, headers=signed(body)).json()
    # The helpdesk retries later: newly signed, and even with other bytes (key order).
    again_body = json.dumps(dict(reversed(json.loads(body).items()))).encode()
    again = hooks.post(PATH, content=again_body, headers=signed(again_body, "older"))
    assert again.status_code == 200
    assert again.headers["x-assist-duplicate"] == "true"
    assert again.json() == first
    assert counts(hooks) == {"processed": 1, "duplicate": 1, "rejected": 0, "computed": 1}


def test_the_readme_example_signs_a_message_we_accept(hooks: TestClient) -> None:
    body = message("hd-readme")
    headers = readme_example()["sign_for_assist"](SECRET, body)
    response = hooks.post(
        PATH, content=body, headers={"Content-Type": "application/json", **headers}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        signed(b"another body"),
        signed(message(), secret="not-ours"),
        {**signed(message()), "X-Assist-Timestamp": "yesterday"},
    ],
    ids=["unsigned", "other-body", "other-secret", "bad-timestamp"],
)
def test_a_missing_or_wrong_signature_is_refused(
    hooks: TestClient, headers: dict[str, str]
) -> None:
    response = hooks.post(PATH, content=message(), headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/invalid-signature"
    assert counts(hooks) == {"processed": 0, "duplicate": 0, "rejected": 1, "computed": 0}


@pytest.mark.parametrize(("offset", "words"), [(-400, "s old"), (400, "in the future")])
def test_stale_and_future_timestamps_are_refused(
    hooks: TestClient, offset: int, words: str
) -> None:
    body = message()
    response = hooks.post(PATH, content=body, headers=signed(body, offset=offset))
    assert response.status_code == 401
    problem = response.json()
    assert problem["type"] == "/problems/stale-timestamp"
    assert problem["detail"].startswith("Stale request") and words in problem["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"event_id": "hd-9", "text": ', "(body)"),
        (b'{"text": "hello"}', "event_id"),
        (message("x" * 101), "event_id"),
        (message("hd-9", text="   "), "text"),
        (message("hd-9", colour="blue"), "colour"),
        (message("hd-9", received_at="2026-11-25T10:00:00"), "received_at"),
    ],
    ids=["not-json", "no-event-id", "long-event-id", "blank-text", "unknown-field", "naive-time"],
)
def test_an_invalid_body_is_a_422_problem(hooks: TestClient, body: bytes, field: str) -> None:
    response = hooks.post(PATH, content=body, headers=signed(body))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in problem["errors"]]
    assert counts(hooks)["rejected"] == 1
    # Nothing was claimed: the event can still be sent again, corrected.
    fixed = message("hd-9")
    assert hooks.post(PATH, content=fixed, headers=signed(fixed)).status_code == 200


def test_without_inbound_secrets_every_message_is_refused(client: TestClient) -> None:
    body = message()
    response = client.post(PATH, content=body, headers=signed(body))
    assert response.status_code == 401
    assert "no inbound secret" in response.json()["detail"]


def test_a_blocked_account_is_refused_and_its_event_stays_unclaimed(hooks: TestClient) -> None:
    block = {
        "subject_type": "account",
        "subject": "acc-flood",
        "reason": "anomalous load",
        "created_by": "lead",
        "duration_minutes": 60,
    }
    admin = {"X-API-Key": API_KEY}
    created = hooks.post("/v1/blocks", json=block, headers=admin)
    assert created.status_code in (200, 201), created.text
    body = message("hd-blocked", account_id="acc-flood")
    assert hooks.post(PATH, content=body, headers=signed(body)).status_code == 403
    hooks.delete(f"/v1/blocks/{created.json()['id']}?actor=lead", headers=admin)
    assert hooks.post(PATH, content=body, headers=signed(body)).status_code == 200


def test_a_failed_computation_leaves_the_event_free_for_the_retry(
    hooks: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = hooks.app.state.services.assistant  # type: ignore[attr-defined]
    working = assistant.suggest

    def broken(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(assistant, "suggest", working)  # fails this once only
        raise RuntimeError("the index went away")

    monkeypatch.setattr(assistant, "suggest", broken)
    body = message("hd-retry")
    with pytest.raises(RuntimeError):
        hooks.post(PATH, content=body, headers=signed(body))
    again = hooks.post(PATH, content=body, headers=signed(body))
    assert again.status_code == 200
    assert "x-assist-duplicate" not in again.headers
    assert counts(hooks)["processed"] == 1
