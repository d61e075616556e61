"""Signed messages from a helpdesk: verified, then answered once per event id.

The signature is checked over the raw body before it is parsed. The event id is claimed
in the database before the suggestion is computed, so a redelivery (the helpdesk retrying
after a timeout, or sending twice at once, to any replica) gets the stored suggestion:
the same id, not computed or announced again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import anyio
import anyio.to_thread
from pydantic import AwareDatetime, Field, StringConstraints, ValidationError

from assist.api.schemas import ChatText, Ref, Strict, require_message_text
from assist.errors import Conflict, InvalidInput, NotFound, SignatureRejected, field_errors
from assist.pipeline import IncomingMessage
from assist.services import Services
from integrations.helpdesk.signing import verify

log = logging.getLogger(__name__)
SOURCE = "helpdesk"
# A claim older than this without its suggestion was left by a crashed process.
STALE_CLAIM = timedelta(minutes=2)
# How long a redelivery waits for the first delivery's suggestion before answering 409.
IN_FLIGHT_WAIT_SECONDS = 20.0
IN_FLIGHT_POLL_SECONDS = 0.05
IN_FLIGHT_RECLAIM_SECONDS = 1.0


class HelpdeskMessage(Strict):
    event_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        description="The helpdesk's own id of this event; a redelivery sends the same one."
    )
    text: ChatText = Field(description="The user's message, as received.")
    conversation_id: Ref | None = None
    user_id: Ref | None = None
    account_id: Ref | None = None
    line: Ref | None = Field(None, description="Support line id or name.")
    received_at: AwareDatetime | None = Field(
        None, description="When the user sent it (ISO-8601 with offset); default: now."
    )
    client_ip: Ref | None = Field(None, description="The user's IP address, as the chat saw it.")


@dataclass(frozen=True)
class Answer:
    payload: dict[str, Any]
    duplicate: bool


def read_message(
    raw: bytes,
    headers: Mapping[str, str],
    *,
    secrets: list[str],
    tolerance_seconds: float,
    max_text_chars: int,
    now: float | None = None,
) -> HelpdeskMessage:
    """The message in `raw`, once its signature and timestamp pass; `SignatureRejected`,
    `StaleTimestamp` or `InvalidInput` otherwise."""
    if not secrets:
        raise SignatureRejected(
            "Signed helpdesk messages are not accepted here: no inbound secret is configured"
        )
    verify(
        secrets,
        headers,
        raw,
        now=time.time() if now is None else now,
        tolerance_seconds=tolerance_seconds,
    )
    try:
        message = HelpdeskMessage.model_validate_json(raw)
    except ValidationError as exc:
        raise InvalidInput(
            "The message body is invalid", errors=field_errors(exc.errors())
        ) from exc
    require_message_text(message.text, max_text_chars)
    return message


class InboundMessages:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._seen = services.store.webhooks.helpdesk_messages

    async def answer(self, message: HelpdeskMessage, limiter: anyio.CapacityLimiter) -> Answer:
        """The suggestion for `message`: computed if its event is new (in a worker thread,
        within `limiter`), else the one stored for it."""
        deadline = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
        while True:
            claim = await anyio.to_thread.run_sync(
                lambda: self._seen.claim(message.event_id, _now(), stale_after=STALE_CLAIM)
            )
            if claim.state == "answered" and claim.suggestion_id is not None:
                return Answer(
                    await anyio.to_thread.run_sync(self._stored, claim.suggestion_id), True
                )
            if claim.state == "new" and claim.token is not None:
                payload = await anyio.to_thread.run_sync(
                    self._compute, message, claim.token, limiter=limiter
                )
                return Answer(payload, False)
            if time.monotonic() > deadline:
                raise Conflict(f"Event {message.event_id} is still being processed; retry shortly")
            # Wait for the first delivery's answer with reads; claim again (a write) only
            # now and then, to notice a first delivery that failed and gave the event back.
            reclaim_at = min(time.monotonic() + IN_FLIGHT_RECLAIM_SECONDS, deadline)
            while time.monotonic() < reclaim_at:
                await anyio.sleep(IN_FLIGHT_POLL_SECONDS)
                answered = await anyio.to_thread.run_sync(
                    self._seen.suggestion_id, message.event_id
                )
                if answered is not None:
                    stored = await anyio.to_thread.run_sync(self._stored, answered)
                    return Answer(stored, True)

    def _compute(self, message: HelpdeskMessage, token: str) -> dict[str, Any]:
        incoming = IncomingMessage(
            text=message.text,
            conversation_id=message.conversation_id,
            user_id=message.user_id,
            account_id=message.account_id,
            line=message.line,
            received_at=message.received_at or datetime.now(UTC),
            client_ip=message.client_ip,
        )
        try:
            suggestion = self._services.suggest(incoming, source=SOURCE)
        except BaseException:
            self._seen.release(message.event_id, token)
            raise
        if not self._seen.complete(message.event_id, token, suggestion.id):
            # Ours took so long that another request took the claim over and answered it.
            log.warning(
                "helpdesk event answered twice",
                extra={"event_id": message.event_id, "suggestion_id": suggestion.id},
            )
        return suggestion.payload()

    def _stored(self, suggestion_id: str) -> dict[str, Any]:
        logged = self._services.store.get_suggestion(suggestion_id)
        if logged is None:
            raise NotFound(f"Suggestion {suggestion_id} does not exist")
        return logged.response


def _now() -> datetime:
    return datetime.now(UTC)
