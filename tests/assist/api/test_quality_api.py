"""Statistics, the review queue with CSAT, and the knowledge browser over the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assist.settings import Settings
from tests.conftest import API_KEY

WORKING = "2026-11-25T10:00:00+03:00"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Every suggestion is sampled, so the review queue is predictable.
    return Settings(
        data_dir=tmp_path,
        api_keys=[API_KEY],
        log_json=False,
        refresh_seconds=0,
        review_sample_rate=1,
    )


def suggest(client: TestClient, text: str, conversation: str) -> str:
    body = client.post(
        "/v1/suggest", json={"text": text, "conversation_id": conversation, "received_at": WORKING}
    ).json()
    return str(body["suggestion_id"])


def test_stats_count_outcomes_per_template(client: TestClient) -> None:
    first = suggest(client, "Как настроить расписание работы линии?", "c-1")
    second = suggest(client, "удаленка не работает", "c-2")
    client.post(f"/v1/suggestions/{first}/feedback", json={"outcome": "accepted"})
    client.post(
        f"/v1/suggestions/{second}/feedback",
        json={"outcome": "edited", "sent_text": "Проверьте приложение.", "template": "answer"},
    )
    stats = client.get("/v1/studio/stats").json()
    assert stats["suggestions"] == 2
    answer = next(t for t in stats["templates"] if t["template"] == "answer")
    assert (answer["shown"], answer["accepted"], answer["edited"]) == (2, 1, 1)
    assert answer["average_edit_distance"] > 0
    assert sum(day["shown"] for day in stats["daily"]) >= 2
    old = client.get("/v1/studio/stats", params={"start": "2020-01-01", "end": "2020-01-31"})
    assert old.json()["suggestions"] == 0
    backwards = client.get("/v1/studio/stats", params={"start": "2026-02-01", "end": "2026-01-01"})
    assert backwards.status_code == 422


def test_review_queue_shows_csat_and_takes_a_score(client: TestClient) -> None:
    sid = suggest(client, "удаленка не работает", "c-9")
    client.post(
        f"/v1/suggestions/{sid}/feedback",
        json={"outcome": "edited", "sent_text": "Запустите приложение."},
    )
    ratings = [{"conversation_id": "c-9", "score": 2, "rated_at": WORKING, "comment": "долго"}]
    assert client.post("/v1/csat", json=ratings).json() == {"created": 1, "updated": 0}
    ratings[0]["score"] = 3
    assert client.post("/v1/csat", json=ratings).json() == {"created": 0, "updated": 1}
    assert client.post("/v1/csat", json=[{"conversation_id": "c", "score": 9}]).status_code == 422
    pending = client.get("/v1/studio/reviews").json()
    item = next(i for i in pending if i["suggestion_id"] == sid)
    assert item["message"] == "удаленка не работает"
    assert item["sent_text"] == "Запустите приложение."
    assert [(c["score"], c["comment"]) for c in item["csat"]] == [(3, "долго")]
    scored = client.post(f"/v1/studio/reviews/{item['id']}", json={"score": 4, "comment": "ок"})
    assert scored.json()["score"] == 4 and scored.json()["reviewer"].startswith("admin:")
    done = client.get("/v1/studio/reviews", params={"status": "done"}).json()
    assert [i["id"] for i in done] == [item["id"]]
    assert item["id"] not in [i["id"] for i in client.get("/v1/studio/reviews").json()]
    assert client.post("/v1/studio/reviews/9999", json={"score": 4}).status_code == 404
    assert client.post(f"/v1/studio/reviews/{item['id']}", json={"score": 6}).status_code == 422


def test_knowledge_search_and_import_dry_run(client: TestClient) -> None:
    found = client.get("/v1/studio/knowledge/faq/search", params={"q": "расписание линии"}).json()
    assert found[0]["record"]["id"] == "faq-schedule" and found[0]["score"] > 0
    tasks = client.get("/v1/studio/knowledge/backlog/search", params={"q": "большой файл"}).json()
    assert tasks[0]["record"]["id"] == "CONNECT-1"
    listed = client.get("/v1/studio/knowledge/backlog/search").json()
    assert {r["record"]["id"] for r in listed} == {"CONNECT-1", "CONNECT-2"}
    good = (
        b'{"id": "faq-schedule", "question": "Q?", "answer": "A."}\n'
        b'{"id": "faq-n", "question": "Q", "answer": "A"}\n'
    )
    report = client.post(
        "/v1/studio/knowledge/faq/validate",
        content=good,
        headers={"Content-Type": "application/x-ndjson"},
    ).json()
    assert report["valid"] is True
    assert (report["new"], report["existing"]) == (["faq-n"], ["faq-schedule"])
    assert client.get("/v1/faq/faq-n").status_code == 404  # a dry run writes nothing
    bad = client.post(
        "/v1/studio/knowledge/faq/validate",
        content=b'{"id": "a", "question": "q", "answer": "a"}\n{"id": "b"}\n',
        headers={"Content-Type": "application/x-ndjson"},
    ).json()
    assert bad["valid"] is False
    assert {e["line"] for e in bad["errors"]} == {2}
    empty = client.post("/v1/studio/knowledge/faq/validate", json=[]).json()
    assert empty["valid"] is False


def test_the_same_moment_in_another_offset_is_the_same_rating(client: TestClient) -> None:
    moscow = [{"conversation_id": "c-tz", "score": 2, "rated_at": "2026-11-26T12:30:00+03:00"}]
    utc = [{"conversation_id": "c-tz", "score": 4, "rated_at": "2026-11-26T09:30:00Z"}]
    assert client.post("/v1/csat", json=moscow).json() == {"created": 1, "updated": 0}
    assert client.post("/v1/csat", json=utc).json() == {"created": 0, "updated": 1}
