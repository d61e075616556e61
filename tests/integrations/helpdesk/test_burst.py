"""A target of the issue: a burst of 500 webhook events is processed with no loss and no
duplicate.

Everything speaks real HTTP on 127.0.0.1: a helpdesk sends 500 signed messages at once (and
50 of them a second time, right behind the first, as a helpdesk retrying on a timeout
would) to the sidecar, which announces each suggestion to the helpdesk's receiver.

The sidecar is `create_app` under uvicorn in a thread with the fake encoder, not `assist
serve` with the real model: what is under test is the path from the signed request to the
delivered event (signature, the event-id claim, the outbox, the delivery worker, SQLite
under concurrent writers), which is the same code with either encoder; the real model
would add ~10 s of loading and ~15 ms per message without exercising anything more of it,
and the server with the real model is tested over HTTP in `tests/assist/api/
test_http_server.py`.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select

from assist.app import create_app
from assist.settings import Settings
from assist.storage.sql import SqlStore
from assist.storage.tables import HelpdeskMessageRow, SuggestionRow
from embeddings.fake import FakeEncoder
from integrations.helpdesk.signing import signed_headers
from tests.conftest import API_KEY, FAQ
from tests.integrations.helpdesk.peers import Receiver
from tests.servers import eventually, metric, serve_in_thread

EVENTS = 500
REDELIVERED = 50
INBOUND, OUTBOUND = "helpdesk-to-assist", "assist-to-helpdesk"
TEXTS = [
    "Как настроить расписание работы линии?",
    "Не подключается удаленный доступ к компьютеру клиента",
    "How do I reset my password?",
    "Приложение падает при отправке большого файла",
    "Когда будет темная тема?",
]


def send(http: httpx.Client, event_id: str, request_id: str) -> tuple[str, str, int, bool]:
    number = int(event_id.rsplit("-", 1)[1])
    body = json.dumps(
        {
            "event_id": event_id,
            "text": f"{TEXTS[number % len(TEXTS)]} (обращение {number})",
            "conversation_id": f"c-{number}",
            "user_id": f"u-{number % 37}",
        },
        ensure_ascii=False,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Request-ID": request_id,
        **signed_headers([INBOUND], body, timestamp=int(time.time())),
    }
    response = http.post("/hooks/helpdesk/messages", content=body, headers=headers)
    assert response.status_code == 200, response.text
    duplicate = response.headers.get("x-assist-duplicate") == "true"
    return event_id, response.json()["suggestion_id"], response.status_code, duplicate


def test_a_burst_of_500_events_with_redeliveries_loses_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    receiver = Receiver(OUTBOUND)
    events = [f"hd-{n:03d}" for n in range(EVENTS)]
    # Every tenth event is sent twice in a row: the two requests overlap in the pool.
    sends = []
    for n, event_id in enumerate(events):
        sends.append((event_id, f"req-{event_id}"))
        if n % (EVENTS // REDELIVERED) == 0:
            sends.append((event_id, f"again-{event_id}"))
    assert len(sends) == EVENTS + REDELIVERED

    with serve_in_thread(receiver.app) as desk:
        settings = Settings(
            data_dir=tmp_path,
            api_keys=[API_KEY],
            refresh_seconds=0,
            log_level="WARNING",
            helpdesk_inbound_secrets=[INBOUND],
            helpdesk_webhook_urls=[f"{desk}/hook"],
            helpdesk_webhook_secrets=[OUTBOUND],
            helpdesk_webhook_poll_seconds=0.2,
        )
        app = create_app(settings, encoder=FakeEncoder())
        with (
            serve_in_thread(app) as sidecar,
            httpx.Client(base_url=sidecar, headers={"X-API-Key": API_KEY}, timeout=60) as http,
        ):
            assert eventually(lambda: http.get("/readyz").status_code == 200, seconds=60)
            faq = [entry.model_dump(mode="json") for entry in FAQ]
            assert http.post("/v1/faq/bulk", json=faq).status_code == 200

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda args: send(http, *args), sends))

            assert eventually(lambda: len(receiver.delivered()) >= EVENTS, seconds=30)
            assert eventually(
                lambda: http.get("/v1/webhooks/deliveries?status=pending").json() == [],
                seconds=30,
            )
            metrics = http.get("/metrics").text

    # Each event has one suggestion, whoever asked and however often.
    ids_by_event: dict[str, set[str]] = {}
    for event_id, suggestion_id, _status, _duplicate in answers:
        ids_by_event.setdefault(event_id, set()).add(suggestion_id)
    assert set(ids_by_event) == set(events)
    assert all(len(ids) == 1 for ids in ids_by_event.values())
    suggestion_ids = {next(iter(ids)) for ids in ids_by_event.values()}
    assert len(suggestion_ids) == EVENTS
    assert sum(duplicate for *_, duplicate in answers) == REDELIVERED

    # The database holds exactly those suggestions, each event mapped to its own.
    store = SqlStore(settings.resolved_database_url)
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SuggestionRow)) == EVENTS
        stored = dict(
            conn.execute(
                select(HelpdeskMessageRow.event_id, HelpdeskMessageRow.suggestion_id)
            ).all()
        )
    store.close()
    assert stored == {event_id: next(iter(ids)) for event_id, ids in ids_by_event.items()}

    # The helpdesk got one signed suggestion.ready per suggestion: none lost, none twice.
    calls = receiver.snapshot()
    assert len(calls) == EVENTS
    assert all(call.verified and call.status == 200 for call in calls)
    received = [call.event for call in calls]
    assert len({event["event_id"] for event in received}) == EVENTS
    assert Counter(event["type"] for event in received) == {"suggestion.ready": EVENTS}
    assert {event["suggestion"]["suggestion_id"] for event in received} == suggestion_ids
    # Each event carries the request id of the request that made its suggestion.
    made_by = {event["suggestion"]["suggestion_id"]: event["request_id"] for event in received}
    for event_id, ids in ids_by_event.items():
        assert made_by[next(iter(ids))] in {f"req-{event_id}", f"again-{event_id}"}

    assert (
        metric(metrics, "assist_inbound_events_total", source="helpdesk", outcome="processed")
        == EVENTS
    )
    assert (
        metric(metrics, "assist_inbound_events_total", source="helpdesk", outcome="duplicate")
        == REDELIVERED
    )
    assert metric(metrics, "assist_webhook_deliveries_total", result="delivered") == EVENTS
