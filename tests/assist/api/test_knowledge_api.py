"""FAQ and backlog CRUD + bulk endpoints, and that retrieval follows every change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assist.knowledge.records import FaqEntry
from assist.storage.sql import SqlStore


def top_faq(client: TestClient, text: str) -> str:
    body = {"text": text, "received_at": "2026-11-25T10:00:00+03:00"}
    return str(client.post("/v1/suggest", json=body).json()["faq"][0]["id"])


def test_crud_roundtrip_follows_into_retrieval(client: TestClient) -> None:
    record = {
        "id": "faq-export",
        "question": "Как выгрузить историю переписки в Excel?",
        "answer": "Отчеты → История обращений → Выгрузить.",
        "alt_questions": ["экспорт переписки"],
        "tags": ["reports"],
        "language": "ru",
    }
    put = client.put("/v1/faq/faq-export", json=record)
    assert put.json() == {"created": ["faq-export"], "updated": [], "unchanged": []}
    assert client.get("/v1/faq/faq-export").json() == record
    assert top_faq(client, "выгрузить историю переписки в excel") == "faq-export"

    again = client.put("/v1/faq/faq-export", json=record).json()
    assert again["unchanged"] == ["faq-export"]

    assert client.delete("/v1/faq/faq-export").status_code == 204
    assert client.get("/v1/faq/faq-export").status_code == 404
    assert client.delete("/v1/faq/faq-export").status_code == 404
    assert top_faq(client, "выгрузить историю переписки в excel") != "faq-export"


def test_bulk_upsert_and_delete(client: TestClient) -> None:
    tasks = [
        {"id": f"CONNECT-{n}", "title": f"Задача {n}", "kind": "feature"} for n in range(100, 105)
    ]
    result = client.post("/v1/backlog/bulk", json=tasks).json()
    assert result["created"] == [t["id"] for t in tasks]
    page = client.get("/v1/backlog", params={"offset": 2, "limit": 3}).json()
    assert [t["id"] for t in page] == ["CONNECT-100", "CONNECT-101", "CONNECT-102"]
    deleted = client.post("/v1/backlog/bulk-delete", json={"ids": ["CONNECT-100", "CONNECT-999"]})
    assert deleted.json() == {"deleted": ["CONNECT-100"], "missing": ["CONNECT-999"]}


def test_readiness_reports_what_is_loaded(client: TestClient) -> None:
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert (ready["faq"], ready["backlog"]) == (3, 2)
    assert ready["model"].startswith("fake")


def test_changes_made_by_another_process_are_picked_up(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    other = SqlStore(services.settings.resolved_database_url)  # e.g. `assist import` meanwhile
    other.faq.upsert(
        [FaqEntry(id="faq-tariff", question="Как сменить тариф?", answer="В кабинете.")]
    )
    other.close()
    assert top_faq(client, "как сменить тариф") != "faq-tariff"
    assert services.knowledge.refresh() == 1
    assert top_faq(client, "как сменить тариф") == "faq-tariff"
    assert services.knowledge.refresh() == 0
