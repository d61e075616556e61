"""The 1C-Connect hook: authenticated, recorded once per message id, suggestions by conversation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from assist.storage.connect_log import RecordedEvent
from tests.integrations.connect.conftest import (
    LINE,
    TOKEN,
    USER,
    WEDNESDAY_NOON,
    line_event,
    post_event,
)


def test_a_users_text_gets_a_suggestion_the_panel_finds_by_conversation(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    answer = post_event(client, line_event("Не подключается удаленный доступ к компьютеру клиента"))
    assert answer.status_code == 200
    receipt = answer.json()
    assert (receipt["status"], receipt["kind"]) == ("processed", "message")
    listed = client.get(f"/v1/conversations/{LINE}:{USER}/suggestions").json()
    assert [s["suggestion_id"] for s in listed] == [receipt["suggestion_id"]]
    assert listed[0]["faq"][0]["id"] == "faq-remote"
    assert listed[0]["text"] == "Не подключается удаленный доступ к компьютеру клиента"
    # The event keeps the request id its delivery was logged under.
    recorded = client.get("/v1/connect/events").json()[0]
    assert recorded["request_id"] == answer.headers["X-Request-ID"]


def test_a_redelivered_event_is_processed_once(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    event = line_event("Как настроить расписание работы линии?")
    first = post_event(client, event).json()
    again = post_event(client, event).json()
    assert again == {**first, "status": "duplicate"}
    assert len(client.get(f"/v1/conversations/{LINE}:{USER}/suggestions").json()) == 1
    metrics = client.get("/metrics").text
    assert 'assist_inbound_events_total{outcome="processed",source="1c-connect"} 1.0' in metrics
    assert 'assist_inbound_events_total{outcome="duplicate",source="1c-connect"} 1.0' in metrics


def test_line_events_are_recorded_with_their_kind(make_client: Callable[..., TestClient]) -> None:
    client = make_client(connect_event_kinds={96: "off_hours"})
    specialist = "6f1c2d3e-0000-4000-8000-000000000001"
    sent = [
        line_event(message_type=80),
        line_event("Добрый день, смотрю", author_id=specialist),
        line_event(message_type=83),
        line_event(message_type=82),
        line_event(message_type=96),
        line_event(message_type=777, data={"something": "new"}),
    ]
    kinds = [post_event(client, e).json()["kind"] for e in sent]
    assert kinds == [
        "treatment_started",
        "message",
        "queue",
        "treatment_closed",
        "off_hours",
        "other",
    ]
    # A specialist's own message is recorded, but it is not a question to suggest on.
    assert client.get(f"/v1/conversations/{LINE}:{USER}/suggestions").json() == []
    recorded = client.get("/v1/connect/events", params={"user_id": USER}).json()
    assert [e["message_type"] for e in recorded] == [777, 96, 82, 83, 1, 80]
    assert recorded[0]["data"] == {"something": "new"}


def test_a_rating_event_becomes_a_csat_rating(make_client: Callable[..., TestClient]) -> None:
    client = make_client(connect_event_kinds={95: "rating"}, connect_rating_field="rating")
    post_event(client, line_event("Спасибо, быстро помогли", message_type=95, data={"rating": 5}))
    post_event(client, line_event(message_type=95, data={"rating": "nope"}))
    # The rating is there: sending the same conversation and time again updates it.
    same = [{"conversation_id": f"{LINE}:{USER}", "score": 4, "rated_at": WEDNESDAY_NOON}]
    assert client.post("/v1/csat", json=same).json() == {"created": 0, "updated": 1}


def test_the_hook_needs_the_registered_token(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    wrong = post_event(client, line_event("привет"), token="guess")
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    missing = client.post("/hooks/connect", json=line_event("привет"))
    assert missing.status_code == 401


def test_the_hook_is_off_without_a_token(make_client: Callable[..., TestClient]) -> None:
    client = make_client(connect_hook_token="")
    refused = post_event(client, line_event("привет"), token="")
    assert (refused.status_code, refused.json()["type"]) == (403, "/problems/not-configured")


def test_events_of_other_lines_are_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    other = line_event("привет", line_id="0b0b0b0b-0000-4000-8000-000000000000")
    answer = post_event(client, other)
    assert (answer.status_code, answer.json()["type"]) == (403, "/problems/line-not-served")
    assert "is not served here" in answer.json()["detail"]


def test_malformed_events_get_a_problem_naming_the_field(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    bad = line_event("привет", message_id="not-a-uuid")
    answer = post_event(client, bad)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "message_id"
    assert client.get("/v1/connect/events").json() == []


def test_a_redelivery_during_processing_is_asked_to_retry_and_a_dead_claim_is_finished(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    log = client.app.state.services.store.connect  # type: ignore[attr-defined]
    event = line_event("Как настроить расписание работы линии?")
    claimed = RecordedEvent(
        message_id=event["message_id"],
        line_id=LINE,
        user_id=USER,
        author_id=None,
        message_type=1,
        kind="message",
        message_time=event["message_time"],
        text=event["text"],
        data={},
    )
    assert log.claim(claimed)  # as if another replica were computing it right now
    busy = post_event(client, event)
    assert busy.status_code == 409
    assert busy.json()["type"].endswith("/event-in-flight")

    stale = line_event("Не подключается удаленный доступ")
    assert log.claim(
        replace(
            claimed, message_id=stale["message_id"], received_at=datetime(2026, 1, 1, tzinfo=UTC)
        )
    )
    finished = post_event(client, stale).json()
    assert finished["status"] == "processed" and finished["suggestion_id"]
    assert log.get(stale["message_id"]).suggestion_id == finished["suggestion_id"]


def test_the_bearer_scheme_is_case_insensitive_and_required(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    lower = client.post(
        "/hooks/connect", json=line_event("привет"), headers={"Authorization": f"bearer {TOKEN}"}
    )
    assert lower.status_code == 200
    bare = client.post(
        "/hooks/connect", json=line_event("привет"), headers={"Authorization": TOKEN}
    )
    assert bare.status_code == 401
