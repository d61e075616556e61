"""Bans and blocks with their audit trail: every change is written with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from assist.errors import NotFound
from assist.storage.tables import AuditRow, RestrictionRow, StrikeRow, as_utc

RestrictionKind = Literal["ban", "block"]
SubjectType = Literal["user", "account", "ip"]


@dataclass(frozen=True)
class Restriction:
    id: int
    kind: RestrictionKind
    subject_type: SubjectType
    subject: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    lifted_at: datetime | None = None
    lifted_by: str | None = None

    def active(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


class RestrictionStore(Protocol):
    def add(
        self,
        kind: RestrictionKind,
        subject_type: SubjectType,
        subject: str,
        *,
        reason: str,
        actor: str,
        expires_at: datetime | None,
    ) -> Restriction: ...

    def lift(self, kind: RestrictionKind, restriction_id: int, *, actor: str) -> Restriction: ...

    def entries(
        self, kind: RestrictionKind, *, include_inactive: bool = False
    ) -> list[Restriction]: ...

    def find_active(
        self, kind: RestrictionKind, subjects: list[tuple[SubjectType, str]], now: datetime
    ) -> Restriction | None: ...

    def audit(self, limit: int = 100) -> list[AuditEntry]: ...

    def add_strike(self, sender: str, at: datetime, reason: str) -> None:
        """Record a rude message against its sender."""
        ...

    def strikes_since(self, sender: str, since: datetime) -> int: ...


class SqlRestrictions:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(
        self,
        kind: RestrictionKind,
        subject_type: SubjectType,
        subject: str,
        *,
        reason: str,
        actor: str,
        expires_at: datetime | None,
    ) -> Restriction:
        with self._sessions.begin() as session:
            row = RestrictionRow(
                kind=kind,
                subject_type=subject_type,
                subject=subject,
                reason=reason,
                created_by=actor,
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            restriction = _restriction(row)
            session.add(_audit(actor, f"{kind}.add", restriction))
        return restriction

    def lift(self, kind: RestrictionKind, restriction_id: int, *, actor: str) -> Restriction:
        with self._sessions.begin() as session:
            row = session.get(RestrictionRow, restriction_id)
            if row is None or row.kind != kind:
                raise NotFound(f"{kind} {restriction_id} does not exist")
            if row.lifted_at is None:
                row.lifted_at = datetime.now(UTC)
                row.lifted_by = actor
                session.flush()
                session.add(_audit(actor, f"{kind}.lift", _restriction(row)))
            return _restriction(row)

    def entries(
        self, kind: RestrictionKind, *, include_inactive: bool = False
    ) -> list[Restriction]:
        now = datetime.now(UTC)
        with self._sessions() as session:
            rows = session.scalars(
                select(RestrictionRow)
                .where(RestrictionRow.kind == kind)
                .order_by(RestrictionRow.pk)
            )
            found = [_restriction(row) for row in rows]
        return found if include_inactive else [r for r in found if r.active(now)]

    def find_active(
        self, kind: RestrictionKind, subjects: list[tuple[SubjectType, str]], now: datetime
    ) -> Restriction | None:
        if not subjects:
            return None
        matches = [
            (RestrictionRow.subject_type == kind_) & (RestrictionRow.subject == value)
            for kind_, value in subjects
        ]
        with self._sessions() as session:
            rows = session.scalars(
                select(RestrictionRow)
                .where(RestrictionRow.kind == kind, RestrictionRow.lifted_at.is_(None))
                .where(or_(*matches))
            )
            active = [r for r in map(_restriction, rows) if r.active(now)]
        return active[0] if active else None

    def add_strike(self, sender: str, at: datetime, reason: str) -> None:
        with self._sessions.begin() as session:
            session.add(StrikeRow(sender=sender, at=at, reason=reason))

    def strikes_since(self, sender: str, since: datetime) -> int:
        with self._sessions() as session:
            count = session.scalar(
                select(func.count())
                .select_from(StrikeRow)
                .where(StrikeRow.sender == sender, StrikeRow.at >= since)
            )
        return int(count or 0)

    def audit(self, limit: int = 100) -> list[AuditEntry]:
        with self._sessions() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.pk.desc()).limit(limit))
            return [AuditEntry(r.at, r.actor, r.action, r.subject, r.details) for r in rows]


def _restriction(row: RestrictionRow) -> Restriction:
    return Restriction(
        id=row.pk,
        kind=row.kind,  # type: ignore[arg-type]
        subject_type=row.subject_type,  # type: ignore[arg-type]
        subject=row.subject,
        reason=row.reason,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at) if row.expires_at else None,
        lifted_at=as_utc(row.lifted_at) if row.lifted_at else None,
        lifted_by=row.lifted_by,
    )


def _audit(actor: str, action: str, restriction: Restriction) -> AuditRow:
    return AuditRow(
        actor=actor,
        action=action,
        subject=f"{restriction.subject_type}:{restriction.subject}",
        details={
            "id": restriction.id,
            "reason": restriction.reason,
            "expires_at": restriction.expires_at.isoformat() if restriction.expires_at else None,
        },
    )
