"""POST /v1/suggest and the feedback on a suggestion."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import APIRouter, Query, Request

from assist.api.deps import ServicesDep, enforce_blocks
from assist.api.schemas import (
    CheckRequest,
    CheckResponse,
    ConversationSuggestion,
    FeedbackRequest,
    FeedbackResponse,
    ReplyWarningOut,
    SuggestRequest,
    SuggestResponse,
    require_message_text,
)
from assist.errors import NotFound
from assist.pipeline import IncomingMessage
from assist.services import Services
from assist.storage.store import Feedback

router = APIRouter(tags=["suggest"])


@router.post("/suggest", response_model=SuggestResponse)
async def suggest(
    body: SuggestRequest, request: Request, services: ServicesDep
) -> dict[str, object]:
    # In a worker thread, but no more at once than the limiter allows: threads beyond the
    # cores only fight over them (see ASSIST_SUGGEST_CONCURRENCY).
    limiter: anyio.CapacityLimiter = request.app.state.suggest_limiter
    return await anyio.to_thread.run_sync(_suggest, body, request, services, limiter=limiter)


def _suggest(body: SuggestRequest, request: Request, services: Services) -> dict[str, object]:
    enforce_blocks(request, services, account_id=body.account_id, ip=body.client_ip)
    require_message_text(body.text, services.settings.max_text_chars)
    message = IncomingMessage(
        text=body.text,
        conversation_id=body.conversation_id,
        user_id=body.user_id,
        account_id=body.account_id,
        line=body.line,
        received_at=body.received_at or datetime.now(UTC),
        client_ip=body.client_ip,
    )
    return services.suggest(message).payload()


@router.post("/check", response_model=CheckResponse)
def check(body: CheckRequest, services: ServicesDep) -> CheckResponse:
    """Style check of a reply the specialist wrote or edited."""
    found = services.assistant.drafter.checker.check(body.text, body.language)
    return CheckResponse(warnings=[ReplyWarningOut(**asdict(w)) for w in found])


@router.get("/suggestions/{suggestion_id}", response_model=SuggestResponse)
def get_suggestion(suggestion_id: str, services: ServicesDep) -> dict[str, object]:
    logged = services.store.get_suggestion(suggestion_id)
    if logged is None:
        raise NotFound(f"Suggestion {suggestion_id} does not exist")
    return logged.response


@router.get(
    "/conversations/{conversation_id}/suggestions", response_model=list[ConversationSuggestion]
)
def conversation_suggestions(
    conversation_id: str, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> list[dict[str, object]]:
    """The conversation's latest suggestions, newest first: what the panel shows beside a
    chat whose messages reach us by webhook (1C-Connect: `<line_id>:<user_id>`)."""
    found = services.store.conversation_suggestions(conversation_id, limit)
    return [{**s.response, "text": s.text, "created_at": s.created_at} for s in found]


@router.get("/suggestions/{suggestion_id}/feedback", response_model=list[FeedbackRequest])
def list_feedback(suggestion_id: str, services: ServicesDep) -> list[FeedbackRequest]:
    """Everything specialists said about one suggestion, oldest first, from any replica."""
    if services.store.get_suggestion(suggestion_id) is None:
        raise NotFound(f"Suggestion {suggestion_id} does not exist")
    return [
        FeedbackRequest(
            outcome=f.outcome, template=f.template, sent_text=f.sent_text, reason=f.reason
        )
        for f in services.store.list_feedback(suggestion_id)
    ]


@router.post("/suggestions/{suggestion_id}/feedback", response_model=FeedbackResponse)
def feedback(suggestion_id: str, body: FeedbackRequest, services: ServicesDep) -> FeedbackResponse:
    services.store.add_feedback(
        suggestion_id,
        Feedback(
            outcome=body.outcome,
            sent_text=body.sent_text,
            reason=body.reason,
            template=body.template,
        ),
    )
    services.metrics.feedback.labels(outcome=body.outcome).inc()
    return FeedbackResponse(suggestion_id=suggestion_id, outcome=body.outcome)
