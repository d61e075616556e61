"""POST /hooks/helpdesk/messages: a helpdesk's signed message in, its suggestion out.

Not under /v1 and its API key: the HMAC signature over the raw body authenticates the
helpdesk (`integrations/helpdesk/signing.py`, the README shows the scheme).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request, Response

from assist.api.deps import ServicesDep, enforce_blocks
from assist.api.schemas import SuggestResponse
from assist.errors import AssistError
from integrations.helpdesk.inbound import SOURCE, HelpdeskMessage, InboundMessages, read_message
from integrations.helpdesk.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER

router = APIRouter(prefix="/hooks/helpdesk", tags=["helpdesk"])
DUPLICATE_HEADER = "X-Assist-Duplicate"

# The body is read raw (the signature covers its exact bytes), so describe it by hand.
SIGNED_REQUEST: dict[str, Any] = {
    "parameters": [
        {
            "name": TIMESTAMP_HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "Unix seconds when the helpdesk signed the request.",
        },
        {
            "name": SIGNATURE_HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": 'sha256=<hex HMAC-SHA256(secret, f"{timestamp}." + raw body)>.',
        },
    ],
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": HelpdeskMessage.model_json_schema()}},
    },
}


@router.post(
    "/messages",
    response_model=SuggestResponse,
    openapi_extra=SIGNED_REQUEST,
    responses={401: {"description": "Missing, wrong or stale signature"}},
)
async def receive_message(
    request: Request, response: Response, services: ServicesDep
) -> dict[str, Any]:
    """The suggestion for a helpdesk message; a redelivered `event_id` gets the stored one
    (same `suggestion_id`, header `X-Assist-Duplicate: true`), not a new one."""
    settings = services.settings
    counted = services.metrics.inbound_events
    try:
        message = read_message(
            await request.body(),
            request.headers,
            secrets=settings.helpdesk_inbound_secrets,
            tolerance_seconds=settings.helpdesk_timestamp_tolerance_seconds,
            max_text_chars=settings.max_text_chars,
        )
        await anyio.to_thread.run_sync(
            partial(
                enforce_blocks,
                request,
                services,
                account_id=message.account_id,
                ip=message.client_ip,
            )
        )
    except AssistError:
        counted.labels(source=SOURCE, outcome="rejected").inc()
        raise
    answer = await InboundMessages(services).answer(message, request.app.state.suggest_limiter)
    counted.labels(source=SOURCE, outcome="duplicate" if answer.duplicate else "processed").inc()
    if answer.duplicate:
        response.headers[DUPLICATE_HEADER] = "true"
    return answer.payload
