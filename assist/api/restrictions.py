"""Ban list (/v1/bans: users, accounts) and blocks (/v1/blocks: accounts, IPs), audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field

from assist.api.deps import ServicesDep
from assist.api.schemas import Ref, Strict
from assist.errors import InvalidInput
from assist.storage.restrictions import RestrictionKind

ROUTES: dict[RestrictionKind, tuple[str, tuple[str, ...]]] = {
    "ban": ("/bans", ("user", "account")),
    "block": ("/blocks", ("account", "ip")),
}


class RestrictionIn(Strict):
    subject_type: Literal["user", "account", "ip"]
    subject: Ref
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    created_by: Ref = Field(description="Who decided: the specialist or team lead.")
    expires_at: AwareDatetime | None = Field(None, description="Empty with no duration: permanent.")
    duration_minutes: int | None = Field(None, gt=0, le=525_600)


class RestrictionOut(Strict):
    id: int
    kind: str
    subject_type: str
    subject: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    lifted_at: datetime | None
    lifted_by: str | None
    active: bool


class AuditOut(Strict):
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, object]


def restriction_router(kind: RestrictionKind) -> APIRouter:
    path, subject_types = ROUTES[kind]
    router = APIRouter(prefix=path, tags=["bans and blocks"])

    @router.get("", response_model=list[RestrictionOut])
    def list_active(services: ServicesDep, include_inactive: bool = False) -> list[RestrictionOut]:
        now = datetime.now(UTC)
        entries = services.store.restrictions.entries(kind, include_inactive=include_inactive)
        return [RestrictionOut(**r.__dict__, active=r.active(now)) for r in entries]

    @router.post("", response_model=RestrictionOut, status_code=201)
    def add(body: RestrictionIn, services: ServicesDep) -> RestrictionOut:
        if body.subject_type not in subject_types:
            raise InvalidInput(
                f"A {kind} applies to {' or '.join(subject_types)}",
                errors=[{"field": "subject_type", "message": f"one of {subject_types}"}],
            )
        if body.expires_at and body.duration_minutes:
            raise InvalidInput("Give expires_at or duration_minutes, not both")
        expires = body.expires_at or (
            datetime.now(UTC) + timedelta(minutes=body.duration_minutes)
            if body.duration_minutes
            else None
        )
        added = services.store.restrictions.add(
            kind,
            body.subject_type,
            body.subject,
            reason=body.reason,
            actor=body.created_by,
            expires_at=expires,
        )
        return RestrictionOut(**added.__dict__, active=added.active(datetime.now(UTC)))

    @router.delete("/{restriction_id}", response_model=RestrictionOut)
    def lift(
        restriction_id: int, services: ServicesDep, actor: Annotated[str, Query(min_length=1)]
    ) -> RestrictionOut:
        lifted = services.store.restrictions.lift(kind, restriction_id, actor=actor)
        return RestrictionOut(**lifted.__dict__, active=False)

    return router


audit_router = APIRouter(tags=["bans and blocks"])


@audit_router.get("/audit", response_model=list[AuditOut])
def audit(
    services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[AuditOut]:
    return [AuditOut(**entry.__dict__) for entry in services.store.restrictions.audit(limit)]
