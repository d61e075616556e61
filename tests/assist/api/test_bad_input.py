"""Bad input gets a clear 4xx problem, never a 500, and nothing is half-written."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assist.api.schemas import SuggestRequest
from integrations.connect.models import LineEvent
from integrations.helpdesk.inbound import HelpdeskMessage


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_blank_text(client: TestClient, text: str) -> None:
    body = assert_problem(client.post("/v1/suggest", json={"text": text}), 422)
    assert body["errors"][0]["field"] == "text"


def test_text_over_the_limit(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/suggest", json={"text": "а" * 4001}), 422)
    assert "4000" in body["detail"]


def test_unknown_fields_and_wrong_types(client: TestClient) -> None:
    body = assert_problem(client.post("/v1/suggest", json={"text": "чат", "colour": 1}), 422)
    assert body["errors"][0]["field"] == "colour"
    assert_problem(client.post("/v1/suggest", json={"text": 42}), 422)
    assert_problem(client.post("/v1/suggest", json=["text"]), 422)


def test_invalid_utf8(client: TestClient) -> None:
    raw = b'{"text": "\xd0\xbf\xff"}'
    body = assert_problem(
        client.post("/v1/suggest", content=raw, headers={"Content-Type": "application/json"}), 400
    )
    assert body["type"] == "/problems/invalid-encoding"


def test_malformed_json(client: TestClient) -> None:
    assert_problem(
        client.post(
            "/v1/suggest", content=b'{"text": ', headers={"Content-Type": "application/json"}
        ),
        422,
    )


def test_wrong_content_type(client: TestClient) -> None:
    assert_problem(
        client.post("/v1/suggest", content=b"text=hi", headers={"Content-Type": "text/plain"}), 415
    )


def test_huge_body(client: TestClient) -> None:
    huge = json.dumps({"text": "a" * 6_000_000})
    assert_problem(
        client.post("/v1/suggest", content=huge, headers={"Content-Type": "application/json"}), 413
    )


def test_unknown_route_and_method(client: TestClient) -> None:
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.delete("/v1/suggest"), 405)


def test_bulk_import_with_duplicate_ids_writes_nothing(client: TestClient) -> None:
    before = client.get("/v1/faq").json()
    records = [
        {"id": "faq-new", "question": "Новый вопрос", "answer": "Ответ"},
        {"id": "faq-new", "question": "Снова", "answer": "Ответ"},
    ]
    body = assert_problem(client.post("/v1/faq/bulk", json=records), 422)
    assert body["errors"][0]["item"] == 2 and "duplicate" in body["errors"][0]["message"]
    assert client.get("/v1/faq").json() == before


def test_bulk_import_with_one_bad_record_writes_nothing(client: TestClient) -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "CONNECT-50", "title": "Новая ошибка"}),
            json.dumps({"id": "CONNECT-51", "title": "Ещё", "status": "someday"}),
        ]
    )
    body = assert_problem(
        client.post(
            "/v1/backlog/bulk", content=lines, headers={"Content-Type": "application/x-ndjson"}
        ),
        422,
    )
    assert body["errors"] == [
        {
            "item": 2,
            "line": 2,
            "id": "CONNECT-51",
            "field": "status",
            "message": body["errors"][0]["message"],
        }
    ]
    assert_problem(client.get("/v1/backlog/CONNECT-50"), 404)


def test_put_with_mismatched_id(client: TestClient) -> None:
    record = {"id": "faq-other", "question": "Вопрос", "answer": "Ответ"}
    assert_problem(client.put("/v1/faq/faq-one", json=record), 422)


def test_nul_characters_are_dropped_from_what_users_send() -> None:
    # PostgreSQL refuses NUL in text columns; a chat message never means one.
    assert SuggestRequest(text="при\x00вет", user_id="u\x001").model_dump()["text"] == "привет"
    assert SuggestRequest(text="a", user_id="u\x001").user_id == "u1"
    assert HelpdeskMessage(event_id="e1", text="a\x00b").text == "ab"
    event = LineEvent.model_validate(
        {
            "line_id": "00000000-0000-4000-8000-000000000001",
            "user_id": "00000000-0000-4000-8000-000000000002",
            "message_id": "00000000-0000-4000-8000-000000000003",
            "message_type": 1,
            "message_time": "1\x00",
            "text": "\x00hi",
        }
    )
    assert (event.text, event.message_time) == ("hi", "1")
