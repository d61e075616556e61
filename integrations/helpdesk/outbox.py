"""The suggestion listener that puts one `suggestion.ready` event per configured URL into
the outbox; the delivery worker sends them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from assist import request_ids
from assist.pipeline import IncomingMessage, Suggestion
from assist.storage.tables import utcnow
from assist.storage.webhooks import DeliveryStore, NewDelivery

SUGGESTION_READY = "suggestion.ready"


def suggestion_ready(
    message: IncomingMessage,
    suggestion: Suggestion,
    *,
    event_id: str,
    created_at: datetime,
    request_id: str | None,
) -> dict[str, Any]:
    """The event body a helpdesk receives: who wrote, where, and the suggestion as the API
    returns it."""
    return {
        "event_id": event_id,
        "type": SUGGESTION_READY,
        "created_at": created_at.isoformat(),
        "request_id": request_id,
        "conversation_id": message.conversation_id,
        "user_id": message.user_id,
        "account_id": message.account_id,
        "line": message.line,
        "suggestion": suggestion.payload(),
    }


def encode(body: dict[str, Any]) -> str:
    """Compact JSON, written once: every attempt sends (and signs) these same bytes."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


class Outbox:
    """A `Services` listener: enqueues the event for every URL, then wakes the worker."""

    def __init__(
        self,
        deliveries: DeliveryStore,
        urls: Sequence[str],
        *,
        wake: Callable[[], None],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._deliveries = deliveries
        self._urls = list(urls)
        self._wake = wake
        self._clock = clock

    def __call__(self, message: IncomingMessage, suggestion: Suggestion) -> None:
        if not self._urls:
            return
        now = self._clock()
        event_id = uuid.uuid4().hex
        # The id of the request being served (the contextvar travels into worker threads).
        request_id = request_ids.current.get()
        body = encode(
            suggestion_ready(
                message, suggestion, event_id=event_id, created_at=now, request_id=request_id
            )
        )
        self._deliveries.enqueue(
            [NewDelivery(event_id, url, SUGGESTION_READY, body, request_id) for url in self._urls],
            now,
        )
        self._wake()
