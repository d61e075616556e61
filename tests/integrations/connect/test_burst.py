"""A burst of 500 line events, 50 of them redelivered, over real HTTP: none lost, none twice."""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from assist.app import create_app
from embeddings.fake import FakeEncoder
from tests.conftest import API_KEY, BACKLOG, FAQ
from tests.integrations.connect.conftest import TOKEN, connect_settings, line_event
from tests.servers import eventually, serve_in_thread

EVENTS, REDELIVERED, SENDERS = 500, 50, 16
QUESTIONS = [
    "Не подключается удаленный доступ",
    "Как настроить расписание линии?",
    "Приложение падает при отправке файла",
    "Когда будет темная тема?",
    "Как сбросить пароль?",
]


def test_500_events_are_processed_once_each(tmp_path: Path, connect_url: str) -> None:
    app = create_app(connect_settings(tmp_path, connect_url), encoder=FakeEncoder())
    events = [
        line_event(f"{QUESTIONS[n % len(QUESTIONS)]} (#{n})", user_id=str(uuid.uuid4()))
        for n in range(EVENTS)
    ]
    deliveries = events + random.Random(7).sample(events, REDELIVERED)
    random.Random(8).shuffle(deliveries)

    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        assert eventually(lambda: http.get("/readyz").status_code == 200, seconds=60)
        app.state.services.knowledge.upsert("faq", FAQ)
        app.state.services.knowledge.upsert("backlog", BACKLOG)

        def deliver(event: dict[str, Any]) -> dict[str, Any]:
            # As 1C-Connect would: a 409 (the first copy still at work) is sent again later.
            for _ in range(100):
                answer = http.post(
                    "/hooks/connect", json=event, headers={"Authorization": f"Bearer {TOKEN}"}
                )
                if answer.status_code != 409:
                    break
                time.sleep(0.05)
            assert answer.status_code == 200, answer.text
            return {"message_id": event["message_id"], **answer.json()}

        with ThreadPoolExecutor(SENDERS) as senders:
            receipts = list(senders.map(deliver, deliveries))
        recorded = http.get(
            "/v1/connect/events", params={"limit": 1000}, headers={"X-API-Key": API_KEY}
        ).json()
        store = app.state.services.store
        stored = [store.get_suggestion(e["suggestion_id"]) for e in recorded]

    assert Counter(r["status"] for r in receipts) == {"processed": EVENTS, "duplicate": REDELIVERED}
    processed = {
        r["message_id"]: r["suggestion_id"] for r in receipts if r["status"] == "processed"
    }
    assert set(processed) == {e["message_id"] for e in events}
    assert len(set(processed.values())) == EVENTS and None not in processed.values()
    for duplicate in (r for r in receipts if r["status"] == "duplicate"):
        assert duplicate["suggestion_id"] == processed[duplicate["message_id"]]
    assert len(recorded) == EVENTS
    assert {e["message_id"]: e["suggestion_id"] for e in recorded} == processed
    assert all(s is not None for s in stored)
