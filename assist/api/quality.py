"""The studio's quality routes: per-template statistics, the review queue, CSAT import,
and the knowledge browser (search, and a dry run of an import file)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime, Field, StringConstraints

from assist.api.deps import PrincipalDep, ServicesDep
from assist.api.schemas import Ref, Strict
from assist.errors import InvalidInput
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.storage.studio import CsatRating, ReviewItem
from assist.studio.stats import template_stats, totals_by_day

router = APIRouter(prefix="/studio", tags=["studio"])
csat_router = APIRouter(tags=["quality"])
Collection = Literal["faq", "backlog"]
MODELS: dict[str, type[FaqEntry] | type[BacklogTask]] = {"faq": FaqEntry, "backlog": BacklogTask}


class ReviewRequest(Strict):
    score: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class CsatIn(Strict):
    conversation_id: Ref
    score: int = Field(ge=1, le=5)
    rated_at: AwareDatetime
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


@router.get("/stats")
def stats(
    services: ServicesDep,
    start: Annotated[
        date | None, Query(description="First day (UTC); default: 30 days ago")
    ] = None,
    end: Annotated[
        date | None, Query(description="Last day (UTC), inclusive; default: today")
    ] = None,
) -> dict[str, Any]:
    last = end or datetime.now(UTC).date()
    first = start or last - timedelta(days=29)
    if first > last:
        raise InvalidInput(
            "start is after end", errors=[{"field": "start", "message": "after end"}]
        )
    activity = services.store.quality.activity(
        datetime.combine(first, time(), UTC),
        datetime.combine(last + timedelta(days=1), time(), UTC),
    )
    per_template = template_stats(activity)
    return {
        "start": first.isoformat(),
        "end": last.isoformat(),
        "suggestions": len(activity),
        "templates": [s.as_dict() for s in per_template],
        "daily": totals_by_day(per_template),
    }


@router.get("/reviews")
def reviews(
    services: ServicesDep,
    status: Literal["pending", "done", "all"] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    pending = {"pending": True, "done": False, "all": None}[status]
    return [_review(item) for item in services.store.quality.reviews(pending=pending, limit=limit)]


@router.post("/reviews/{review_id}")
def record_review(
    review_id: int, body: ReviewRequest, services: ServicesDep, who: PrincipalDep
) -> dict[str, Any]:
    item = services.store.quality.record_review(
        review_id, score=body.score, comment=body.comment, reviewer=who.name
    )
    return _review(item)


@csat_router.post("/csat")
def import_csat(ratings: list[CsatIn], services: ServicesDep) -> dict[str, int]:
    """CSAT ratings from the chat: one per conversation and time, re-sending replaces it."""
    created, updated = services.store.quality.import_csat(
        [CsatRating(r.conversation_id, r.score, r.rated_at, r.comment) for r in ratings]
    )
    return {"created": created, "updated": updated}


@router.get("/knowledge/{name}/search")
def search_knowledge(
    name: Collection,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Ranked by the same retrieval the suggestions use; an empty query lists the first ones."""
    if not q.strip():
        records = services.knowledge.repository(name).page(0, limit)
        return [{"score": None, "record": r.model_dump(mode="json")} for r in records]
    assistant = services.assistant
    vector = services.encoder.encode_queries([q])[0]
    language = assistant.detector.detect(q).code
    found = assistant.retriever.retrieve(q, vector, language, limit, limit)
    matches = found.faq if name == "faq" else found.backlog
    return [
        {"score": round(m.score, 4), "record": m.record.model_dump(mode="json")} for m in matches
    ]


@router.post("/knowledge/{name}/validate")
async def validate_import(name: Collection, request: Request, services: ServicesDep) -> Any:
    """What importing this file would do, without writing: the records it holds, which ids
    are new, and every problem by line (the same checks as `POST /v1/{name}/bulk`)."""
    try:
        records = parse_records(await request.body(), MODELS[name])
    except InvalidInput as exc:
        return {"valid": False, "detail": exc.detail, "errors": exc.errors, "records": 0}
    existing = set(services.knowledge.repository(name).ids())
    new = [r.id for r in records if r.id not in existing]
    return {
        "valid": bool(records),
        "detail": f"{len(records)} record(s)" if records else "The file holds no records",
        "errors": [],
        "records": len(records),
        "new": new,
        "existing": [r.id for r in records if r.id in existing],
    }


def _review(item: ReviewItem) -> dict[str, Any]:
    suggestion = item.suggestion
    sent = next((f.sent_text for f in reversed(item.feedback) if f.sent_text), None)
    return {
        "id": item.id,
        "sampled_at": item.sampled_at.isoformat(),
        "suggestion_id": suggestion.id,
        "conversation_id": suggestion.conversation_id,
        "message": suggestion.text,
        "language": suggestion.language,
        "decision": suggestion.decision,
        "flags": suggestion.response.get("flags", []),
        "drafts": suggestion.response.get("drafts", []),
        "feedback": [asdict(f) for f in item.feedback],
        "sent_text": sent,
        "csat": [asdict(c) | {"rated_at": c.rated_at.isoformat()} for c in item.csat],
        "score": item.score,
        "comment": item.comment,
        "reviewer": item.reviewer,
        "reviewed_at": item.reviewed_at.isoformat() if item.reviewed_at else None,
    }
