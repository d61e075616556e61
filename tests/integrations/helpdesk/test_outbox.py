"""The listener that turns a suggestion into one outbox row per configured URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from assist import request_ids
from assist.decide import Decision
from assist.knowledge.retrieve import Retrieval
from assist.pipeline import IncomingMessage, Suggestion
from assist.storage.sql import SqlStore
from integrations.helpdesk.outbox import Outbox

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
SUGGESTION = Suggestion(
    id="s-1",
    language="ru",
    retrieval=Retrieval(faq=[], backlog=[]),
    decision=Decision("register", reason="nothing matched"),
    drafts=[],
)
MESSAGE = IncomingMessage(
    text="Квитанции приходят дважды", conversation_id="c-1", user_id="u-1", account_id="a-1"
)


def test_one_row_per_url_with_the_event_body_and_request_id(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'outbox.db'}")
    woken: list[bool] = []
    outbox = Outbox(
        store.webhooks.deliveries,
        ["https://a.example/hook", "https://b.example/in"],
        wake=lambda: woken.append(True),
        clock=lambda: NOW,
    )
    token = request_ids.current.set("req-9")
    try:
        outbox(MESSAGE, SUGGESTION)
    finally:
        request_ids.current.reset(token)
    rows = sorted(store.webhooks.deliveries.entries(), key=lambda d: d.url)
    assert [d.url for d in rows] == ["https://a.example/hook", "https://b.example/in"]
    assert rows[0].event_id == rows[1].event_id and rows[0].body == rows[1].body
    assert {(d.status, d.attempts, d.request_id, d.next_attempt_at) for d in rows} == {
        ("pending", 0, "req-9", NOW)
    }
    assert json.loads(rows[0].body) == {
        "event_id": rows[0].event_id,
        "type": "suggestion.ready",
        "created_at": "2026-11-26T09:30:00+00:00",
        "request_id": "req-9",
        "conversation_id": "c-1",
        "user_id": "u-1",
        "account_id": "a-1",
        "line": None,
        "suggestion": SUGGESTION.payload(),
    }
    assert woken == [True]
    outbox(MESSAGE, SUGGESTION)  # every suggestion is its own event
    assert len({d.event_id for d in store.webhooks.deliveries.entries()}) == 2
    store.close()


def test_no_urls_no_rows(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'outbox.db'}")
    Outbox(store.webhooks.deliveries, [], wake=lambda: None)(MESSAGE, SUGGESTION)
    assert store.webhooks.deliveries.entries() == []
    store.close()
