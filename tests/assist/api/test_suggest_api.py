"""The suggestion API over a real app, fake encoder, temporary SQLite store."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from assist.app import create_app
from assist.settings import Settings
from embeddings.encoder import Vectors
from embeddings.fake import FakeEncoder
from tests.conftest import API_KEY, wait_ready

WORKING = "2026-11-25T10:00:00+03:00"  # a Wednesday morning in Moscow: specialists work


def test_suggest_answers_from_the_faq(client: TestClient) -> None:
    response = client.post(
        "/v1/suggest",
        json={"text": "Как настроить расписание работы линии?", "received_at": WORKING},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "ru"
    assert body["faq"][0]["id"] == "faq-schedule"
    assert body["decision"] == "answer"
    assert body["drafts"][0]["template"] == "answer"
    assert body["drafts"][0]["text"].startswith("Откройте линию")
    assert 0 <= body["faq"][0]["score"] <= 1
    assert body["flags"] == []


def test_suggest_registers_when_nothing_matches(client: TestClient) -> None:
    body = client.post(
        "/v1/suggest", json={"text": "Квитанции об оплате приходят дважды", "received_at": WORKING}
    ).json()
    assert body["decision"] == "register"
    assert [d["template"] for d in body["drafts"]] == ["register"]


def test_suggestion_is_stored_with_its_feedback(client: TestClient) -> None:
    body = client.post(
        "/v1/suggest",
        json={"text": "удаленка не работает", "conversation_id": "c-9", "user_id": "u-1"},
    ).json()
    sid = body["suggestion_id"]
    assert client.get(f"/v1/suggestions/{sid}").json() == body
    feedback = client.post(
        f"/v1/suggestions/{sid}/feedback",
        json={
            "outcome": "edited",
            "sent_text": "Проверьте, запущено ли приложение.",
            "reason": "short",
        },
    )
    assert feedback.status_code == 200
    assert client.get(f"/v1/suggestions/{sid}/feedback").json() == [
        {
            "outcome": "edited",
            "template": None,
            "sent_text": "Проверьте, запущено ли приложение.",
            "reason": "short",
        }
    ]
    assert client.get("/v1/suggestions/nope/feedback").status_code == 404


def test_feedback_for_unknown_suggestion_is_404_problem(client: TestClient) -> None:
    response = client.post("/v1/suggestions/nope/feedback", json={"outcome": "accepted"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


def test_english_message_gets_english_drafts(client: TestClient) -> None:
    body = client.post(
        "/v1/suggest", json={"text": "How can I reset my password please?", "received_at": WORKING}
    ).json()
    assert body["language"] == "en"
    assert body["faq"][0]["id"] == "faq-password"
    assert all(d["language"] == "en" for d in body["drafts"])


def test_every_v1_endpoint_needs_a_key(settings: Settings, client: TestClient) -> None:
    for headers in ({}, {"X-API-Key": "wrong"}):
        response = client.post(
            "/v1/suggest",
            json={"text": "чат"},
            headers={**headers, "X-API-Key": headers.get("X-API-Key", "")},
        )
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/healthz", headers={"X-API-Key": ""}).status_code == 200
    assert client.get("/v1/faq", headers={"X-API-Key": API_KEY}).status_code == 200


def test_off_hours_message_is_flagged_with_the_next_opening(client: TestClient) -> None:
    body = client.post(
        "/v1/suggest",
        json={
            "text": "Как настроить расписание работы линии?",
            "received_at": "2026-01-03T12:00:00Z",
        },
    ).json()
    assert [f["code"] for f in body["flags"]] == ["off_hours"]
    assert "суббот" in body["flags"][0]["reason"]
    off_hours = body["drafts"][0]
    assert off_hours["template"] == "off_hours"
    assert off_hours["text"].endswith("ответим в понедельник, 12 января, с 7:00 МСК.")
    assert body["drafts"][1]["template"] == "answer"  # the FAQ answer is still offered


def test_naive_received_at_is_refused(client: TestClient) -> None:
    response = client.post("/v1/suggest", json={"text": "чат", "received_at": "2026-01-03T12:00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "received_at"


def test_hours_endpoint_for_helpdesks_and_bots(client: TestClient) -> None:
    closed = client.get("/v1/hours", params={"at": "2025-12-31T18:00:00+03:00"}).json()
    assert closed["open"] is False
    assert closed["next_opening"] == "2026-01-12T07:00:00+03:00"
    assert closed["next_opening_text"]["ru"] == "в понедельник, 12 января, с 7:00 МСК"
    assert closed["next_opening_text"]["en"] == "on Monday, 12 January, from 7:00 Moscow time"
    working = client.get("/v1/hours", params={"at": WORKING}).json()
    assert working["open"] is True
    assert client.get("/v1/hours").status_code == 200
    assert client.get("/v1/hours", params={"at": "tomorrow"}).status_code == 422


def test_reply_check_for_the_specialists_own_text(client: TestClient) -> None:
    text = "Как я уже говорил, исправим в следующем релизе."
    warnings = client.post("/v1/check", json={"text": text, "language": "ru"}).json()["warnings"]
    assert {w["code"] for w in warnings} == {"tone", "promise"}
    assert all(text[w["start"] : w["end"]] for w in warnings)
    assert client.post("/v1/check", json={"text": "Откройте настройки линии."}).json() == {
        "warnings": []
    }
    assert client.post("/v1/check", json={"text": ""}).status_code == 422


def test_every_draft_carries_its_check(client: TestClient) -> None:
    client.put(
        "/v1/faq/faq-soon",
        json={"id": "faq-soon", "question": "Когда будет темная тема?", "answer": "Скоро сделаем."},
    )
    body = client.post(
        "/v1/suggest", json={"text": "когда будет темная тема?", "received_at": WORKING}
    ).json()
    answer = next(d for d in body["drafts"] if d["template"] == "answer")
    assert [w["code"] for w in answer["warnings"]] == ["promise"]


class _CountingEncoder(FakeEncoder):
    """The fake encoder, slowed down, remembering how many calls ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.active = self.most = 0
        self._lock = threading.Lock()

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.05)
        try:
            return super().encode_queries(texts)
        finally:
            with self._lock:
                self.active -= 1


def test_suggestions_run_no_more_at_once_than_the_setting(settings: Settings) -> None:
    encoder = _CountingEncoder()
    app = create_app(settings.model_copy(update={"suggest_concurrency": 2}), encoder=encoder)
    with TestClient(app, headers={"X-API-Key": API_KEY}) as client:
        wait_ready(client)
        encoder.most = 0  # the warm-up ran alone
        texts = [f"не работает удаленный доступ {n}" for n in range(8)]
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(lambda t: client.post("/v1/suggest", json={"text": t}).status_code, texts)
            )
    assert statuses == [200] * 8
    assert encoder.most == 2
