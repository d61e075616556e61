"""The studio's template routes over the real app: the next suggestion uses a save at once."""

from __future__ import annotations

from fastapi.testclient import TestClient

WORKING = "2026-11-25T10:00:00+03:00"
BASE = "/v1/studio/templates/ru/answer"


def answer_draft(client: TestClient) -> str:
    body = client.post(
        "/v1/suggest",
        json={"text": "Как настроить расписание работы линии?", "received_at": WORKING},
    ).json()
    return str(next(d["text"] for d in body["drafts"] if d["template"] == "answer"))


def test_templates_are_listed_with_their_active_version(client: TestClient) -> None:
    listed = client.get("/v1/studio/templates").json()
    assert {"name": "answer", "language": "en", "version": 0} in listed
    assert len(listed) == 14
    template = client.get(BASE).json()
    assert template["active_version"] == 0
    assert template["body"].strip() == "{{ faq.answer }}"
    assert template["variables"] == ["faq"]
    assert client.get("/v1/studio/templates/kk/answer").status_code == 404
    assert len(client.get("/v1/studio/examples").json()) >= 4


def test_save_is_used_by_the_next_suggestion_and_rollback_restores(client: TestClient) -> None:
    before = answer_draft(client)
    saved = client.post(BASE, json={"body": "{{ faq.answer }} Удачи!", "comment": "tone"})
    assert saved.status_code == 201
    assert saved.json()["version"] == 1 and saved.json()["created_by"].startswith("admin:")
    assert answer_draft(client) == before + " Удачи!"
    diff = client.get(f"{BASE}/diff", params={"to": 1}).json()
    assert diff["from"] == 0
    assert {"op": "+", "text": "{{ faq.answer }} Удачи!"} in diff["lines"]
    assert client.get(f"{BASE}/diff", params={"to": 0}).status_code == 404
    back = client.post(f"{BASE}/rollback", json={"version": 0})
    assert back.status_code == 201 and back.json()["version"] == 2
    assert answer_draft(client) == before
    versions = client.get(BASE).json()["versions"]
    assert [v["version"] for v in versions] == [2, 1, 0]
    assert client.post(f"{BASE}/rollback", json={"version": 7}).status_code == 404


def test_invalid_templates_are_refused_with_their_problems(client: TestClient) -> None:
    refused = client.post(BASE, json={"body": "{{ faq.answer }} {{ secret }}"})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["kind"] == "undefined"
    checked = client.post(f"{BASE}/validate", json={"body": "{% for %}"}).json()
    assert checked["ok"] is False and checked["errors"][0]["kind"] == "syntax"


def test_preview_renders_with_the_data_of_an_example_message(client: TestClient) -> None:
    body = {"body": "Ответ: {{ faq.answer }}", "text": "Как настроить расписание?"}
    preview = client.post(f"{BASE}/preview", json=body).json()
    assert preview["text"].startswith("Ответ: Откройте линию")
    night = client.post(
        "/v1/studio/templates/ru/off_hours/preview",
        json={
            "body": "Ответим {{ next_opening }}.",
            "text": "Не работает",
            "received_at": "2026-01-03T12:00:00+03:00",
        },
    ).json()
    assert night["text"] == "Ответим в понедельник, 12 января, с 7:00 МСК."
    assert "off_hours" in night["flags"]
    for name, expected in (("attach", "CONNECT-"), ("register", "CONNECT-1234")):
        rendered = client.post(
            f"/v1/studio/templates/ru/{name}/preview",
            json={"body": "{{ task.id if task is defined else task_id }}", "text": "x"},
        ).json()
        assert rendered["errors"] or expected in rendered["text"]
    bad = client.post(f"{BASE}/preview", json={"body": "{{ oops }}", "text": "x"}).json()
    assert bad["text"] is None and bad["errors"]
