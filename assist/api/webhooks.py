"""Outbound webhook deliveries for team leads: list them (dead letters first of all) and
send one again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from assist.api.deps import ServicesDep
from assist.errors import NotFound
from assist.storage.webhooks import Delivery, DeliveryStatus
from integrations.helpdesk.delivery import shown

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    url: str = Field(description="Without credentials or query, which may carry a token.")
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    request_id: str | None
    created_at: datetime
    delivered_at: datetime | None
    body: dict[str, Any]


@router.get("/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    services: ServicesDep,
    status: DeliveryStatus | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[DeliveryOut]:
    """Newest first; `status=dead` lists the dead letters."""
    found = services.store.webhooks.deliveries.entries(status, limit)
    return [_out(delivery) for delivery in found]


@router.post("/deliveries/{delivery_id}/replay", response_model=DeliveryOut)
def replay(delivery_id: int, request: Request, services: ServicesDep) -> DeliveryOut:
    """Back to pending with its attempts reset: sent again at once (the same event id, so
    a helpdesk that has it already can tell)."""
    found = services.store.webhooks.deliveries.replay([delivery_id], datetime.now(UTC))
    if not found:
        raise NotFound(f"Delivery {delivery_id} does not exist")
    request.app.state.webhooks.wake()
    return _out(found[0])


def _out(delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        url=shown(delivery.url),
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        request_id=delivery.request_id,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
        body=json.loads(delivery.body),
    )
