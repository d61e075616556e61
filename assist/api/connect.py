"""1C-Connect lines: the event hook (authenticated by the `back_auth` token we registered),
the panel's transfer to another line, and the leads' view of events and actions."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, ValidationError

from assist.access import Principal, tokens_match
from assist.api.deps import ServicesDep, require_role
from assist.errors import (
    HookUnauthorized,
    InvalidInput,
    LineNotServed,
    NotConfigured,
    NotReady,
    PeerFailed,
    field_errors,
)
from assist.services import Services
from assist.storage.connect_log import Switch
from integrations.connect import ConnectLine, auto_actions
from integrations.connect.actions import SwitchName, switch_states
from integrations.connect.models import LineEvent

hook_router = APIRouter(tags=["1c-connect"])
router = APIRouter(prefix="/connect", tags=["1c-connect"])


class HookReceipt(BaseModel):
    status: str
    kind: str
    suggestion_id: str | None = None


class TransferRequest(BaseModel):
    line_id: UUID
    user_id: UUID
    to_line_id: UUID | None = Field(
        None, description="Empty: the managers' line (`ASSIST_CONNECT_MANAGERS_LINE_ID`)."
    )
    quote: str | None = Field(None, max_length=2000)


@hook_router.post(
    "/hooks/connect",
    response_model=HookReceipt,
    # The body is read raw (the token is checked first); the document still shows its shape.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": LineEvent.model_json_schema()}},
        }
    },
    responses={
        401: {"description": "No or wrong bearer token"},
        409: {"description": "Its first copy is still being processed: send it again later"},
    },
)
async def receive_event(request: Request, services: ServicesDep) -> HookReceipt:
    """One event of a 1C-Connect line. A redelivered event (same `message_id`) is answered
    with its first receipt and not processed again."""
    settings = services.settings
    metrics = services.metrics.inbound_events
    if not settings.connect_hook_token:
        raise NotConfigured("The 1C-Connect hook is off: set ASSIST_CONNECT_HOOK_TOKEN")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not tokens_match(token.strip(), settings.connect_hook_token):
        metrics.labels(source="1c-connect", outcome="rejected").inc()
        raise HookUnauthorized("The hook's bearer token is missing or wrong")
    try:
        event = LineEvent.model_validate_json(await request.body())
    except ValidationError as exc:
        metrics.labels(source="1c-connect", outcome="rejected").inc()
        raise InvalidInput(
            "Not a 1C-Connect line event", errors=field_errors(exc.errors())
        ) from exc
    if settings.connect_line_ids and event.line_id not in settings.connect_line_ids:
        metrics.labels(source="1c-connect", outcome="rejected").inc()
        raise LineNotServed(f"Line {event.line_id} is not served here (ASSIST_CONNECT_LINE_IDS)")
    line = _line(services)
    limiter: anyio.CapacityLimiter = request.app.state.suggest_limiter
    receipt = await anyio.to_thread.run_sync(line.receiver.receive, event, limiter=limiter)
    metrics.labels(source="1c-connect", outcome=receipt.status).inc()
    return HookReceipt(**asdict(receipt))


@router.post("/transfer", response_model=dict[str, Any])
def transfer(
    body: TransferRequest,
    services: ServicesDep,
    who: Annotated[Principal, Depends(require_role("agent"))],
) -> dict[str, Any]:
    """Hand a user's treatment to another line (by default the managers' line); only from
    a served line, and only to a served line or the managers'."""
    line = _line(services)
    settings = services.settings
    to_line = body.to_line_id or settings.connect_managers_line_id
    if to_line is None:
        raise InvalidInput(
            "No line to transfer to",
            errors=[{"field": "to_line_id", "message": "give one or set the managers' line"}],
        )
    served = set(settings.connect_line_ids)
    if served and body.line_id not in served:
        raise LineNotServed(f"Line {body.line_id} is not served here (ASSIST_CONNECT_LINE_IDS)")
    if served and to_line not in served | {settings.connect_managers_line_id}:
        raise LineNotServed(f"Line {to_line} is neither served here nor the managers' line")
    if line.actions is None:
        raise NotConfigured("1C-Connect API access is not set up (ASSIST_CONNECT_LOGIN)")
    done = line.actions.transfer(body.line_id, body.user_id, to_line, body.quote, by=who.name)
    if not done.ok:
        raise PeerFailed(done.detail)
    return asdict(done)


LEAD = [Depends(require_role("lead"))]


@router.get("/events", response_model=list[dict[str, Any]], dependencies=LEAD)
def events(
    services: ServicesDep,
    user_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Line events as received, newest first (leads)."""
    return [asdict(e) for e in services.store.connect.events(user_id=user_id, limit=limit)]


@router.get("/actions", response_model=list[dict[str, Any]], dependencies=LEAD)
def actions(
    services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """What the sidecar sent or did in the lines by itself, newest first (leads)."""
    return [asdict(a) for a in services.store.connect.actions(limit)]


class SwitchIn(BaseModel):
    enabled: bool


class SwitchOut(BaseModel):
    name: str
    enabled: bool
    source: Literal["setting", "lead"]
    changed_by: str | None = None
    changed_at: datetime | None = None


@router.get("/switches", response_model=list[SwitchOut], dependencies=LEAD)
def switches(services: ServicesDep) -> list[SwitchOut]:
    """The line actions the sidecar may take by itself, each on or off, and who said so."""
    states = switch_states(services.store.connect, auto_actions(services.settings))
    return [
        SwitchOut(name=name, enabled=on, source="lead", **_who(switch))
        if switch
        else SwitchOut(name=name, enabled=on, source="setting")
        for name, (on, switch) in states.items()
    ]


@router.put("/switches/{name}", response_model=SwitchOut)
def set_switch(
    name: SwitchName,
    body: SwitchIn,
    services: ServicesDep,
    who: Annotated[Principal, Depends(require_role("lead"))],
) -> SwitchOut:
    """Switch a line action on or off for every replica at once (audited)."""
    s = services.store.connect.set_switch(name, body.enabled, actor=who.name)
    return SwitchOut(name=name, enabled=s.enabled, source="lead", **_who(s))


def _who(switch: Switch) -> dict[str, Any]:
    return {"changed_by": switch.changed_by, "changed_at": switch.changed_at}


def _line(services: Services) -> ConnectLine:
    if services.connect is None:
        raise NotReady("The 1C-Connect integration is not loaded")
    return services.connect
