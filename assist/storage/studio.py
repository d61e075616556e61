"""What the team-lead studio stores: template versions, the review queue, CSAT ratings,
and the suggestion activity per-template statistics are computed from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assist.errors import Conflict, NotFound
from assist.storage.store import Feedback, SuggestionLog
from assist.storage.tables import (
    CsatRow,
    FeedbackRow,
    ReviewRow,
    SuggestionRow,
    TemplateVersionRow,
    as_utc,
    utcnow,
)


@dataclass(frozen=True)
class TemplateVersion:
    name: str
    language: str
    version: int
    body: str
    created_at: datetime
    created_by: str
    comment: str


@dataclass(frozen=True)
class CsatRating:
    conversation_id: str
    score: int
    rated_at: datetime
    comment: str | None = None


@dataclass(frozen=True)
class ReviewItem:
    id: int
    suggestion: SuggestionLog
    sampled_at: datetime
    score: int | None
    comment: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    feedback: list[Feedback] = field(default_factory=list)
    csat: list[CsatRating] = field(default_factory=list)


@dataclass(frozen=True)
class Activity:
    """One suggestion's drafts and what the specialist did with them."""

    created_at: datetime
    drafts: list[dict[str, object]]
    feedback: list[Feedback]


class TemplateStore(Protocol):
    def save(
        self, name: str, language: str, body: str, *, author: str, comment: str
    ) -> TemplateVersion: ...

    def versions(self, name: str, language: str) -> list[TemplateVersion]:
        """Newest first."""
        ...

    def active(self) -> dict[tuple[str, str], TemplateVersion]:
        """The newest version of every template that has one, by (name, language)."""
        ...

    def stamp(self) -> str:
        """Changes with every save, so a replica knows when to reload."""
        ...


class QualityStore(Protocol):
    def enqueue_review(self, suggestion_id: str) -> None: ...

    def reviews(self, *, pending: bool | None, limit: int) -> list[ReviewItem]: ...

    def record_review(
        self, review_id: int, *, score: int, comment: str | None, reviewer: str
    ) -> ReviewItem: ...

    def import_csat(self, ratings: Sequence[CsatRating]) -> tuple[int, int]:
        """(created, updated): a rating of the same conversation and time is replaced."""
        ...

    def activity(self, start: datetime, end: datetime) -> list[Activity]: ...


class SqlTemplates:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def save(
        self, name: str, language: str, body: str, *, author: str, comment: str
    ) -> TemplateVersion:
        try:
            with self._sessions.begin() as session:
                latest = session.scalar(
                    select(func.max(TemplateVersionRow.version)).where(
                        TemplateVersionRow.name == name, TemplateVersionRow.language == language
                    )
                )
                row = TemplateVersionRow(
                    name=name,
                    language=language,
                    version=(latest or 0) + 1,
                    body=body,
                    created_at=utcnow(),
                    created_by=author,
                    comment=comment,
                )
                session.add(row)
                session.flush()
                return _version(row)
        except IntegrityError as exc:  # another lead saved the same template meanwhile
            raise Conflict(f"Template {language}/{name} changed meanwhile; reload") from exc

    def versions(self, name: str, language: str) -> list[TemplateVersion]:
        with self._sessions() as session:
            rows = session.scalars(
                select(TemplateVersionRow)
                .where(TemplateVersionRow.name == name, TemplateVersionRow.language == language)
                .order_by(TemplateVersionRow.version.desc())
            )
            return [_version(row) for row in rows]

    def active(self) -> dict[tuple[str, str], TemplateVersion]:
        with self._sessions() as session:
            newest = (
                select(
                    TemplateVersionRow.name,
                    TemplateVersionRow.language,
                    func.max(TemplateVersionRow.version).label("version"),
                )
                .group_by(TemplateVersionRow.name, TemplateVersionRow.language)
                .subquery()
            )
            rows = session.scalars(
                select(TemplateVersionRow).join(
                    newest,
                    (TemplateVersionRow.name == newest.c.name)
                    & (TemplateVersionRow.language == newest.c.language)
                    & (TemplateVersionRow.version == newest.c.version),
                )
            )
            return {(row.name, row.language): _version(row) for row in rows}

    def stamp(self) -> str:
        with self._sessions() as session:
            return str(session.scalar(select(func.max(TemplateVersionRow.pk))) or 0)


class SqlQuality:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def enqueue_review(self, suggestion_id: str) -> None:
        with self._sessions.begin() as session:
            session.add(ReviewRow(suggestion_id=suggestion_id, sampled_at=utcnow()))

    def reviews(self, *, pending: bool | None, limit: int) -> list[ReviewItem]:
        query = select(ReviewRow).order_by(ReviewRow.pk.desc()).limit(limit)
        if pending is not None:
            done = ReviewRow.reviewed_at.is_not(None)
            query = query.where(~done if pending else done)
        with self._sessions() as session:
            return [self._item(session, row) for row in session.scalars(query)]

    def record_review(
        self, review_id: int, *, score: int, comment: str | None, reviewer: str
    ) -> ReviewItem:
        with self._sessions.begin() as session:
            row = session.get(ReviewRow, review_id)
            if row is None:
                raise NotFound(f"Review {review_id} does not exist")
            row.score, row.comment, row.reviewer = score, comment, reviewer
            row.reviewed_at = utcnow()
            session.flush()
            return self._item(session, row)

    def import_csat(self, ratings: Sequence[CsatRating]) -> tuple[int, int]:
        created = updated = 0
        with self._sessions.begin() as session:
            for rating in ratings:
                # In UTC: SQLite keeps no offset, so 12:30+03:00 and 09:30Z must be stored
                # alike to be the same rating.
                at = rating.rated_at.astimezone(UTC)
                row = session.scalars(
                    select(CsatRow).where(
                        CsatRow.conversation_id == rating.conversation_id, CsatRow.rated_at == at
                    )
                ).one_or_none()
                if row is None:
                    session.add(
                        CsatRow(
                            conversation_id=rating.conversation_id,
                            score=rating.score,
                            comment=rating.comment,
                            rated_at=at,
                        )
                    )
                    created += 1
                else:
                    row.score, row.comment = rating.score, rating.comment
                    updated += 1
        return created, updated

    def activity(self, start: datetime, end: datetime) -> list[Activity]:
        with self._sessions() as session:
            rows = list(
                session.scalars(
                    select(SuggestionRow)
                    .where(SuggestionRow.created_at >= start, SuggestionRow.created_at < end)
                    .order_by(SuggestionRow.created_at)
                )
            )
            feedback = _feedback_by_suggestion(session, [row.id for row in rows])
            return [
                Activity(
                    created_at=as_utc(row.created_at),
                    drafts=list(row.response.get("drafts", [])),
                    feedback=feedback.get(row.id, []),
                )
                for row in rows
            ]

    def _item(self, session: Session, row: ReviewRow) -> ReviewItem:
        suggestion = session.get(SuggestionRow, row.suggestion_id)
        if suggestion is None:  # the foreign key makes this impossible; keep mypy honest
            raise NotFound(f"Suggestion {row.suggestion_id} does not exist")
        csat: list[CsatRating] = []
        if suggestion.conversation_id:
            csat = [
                CsatRating(r.conversation_id, r.score, as_utc(r.rated_at), r.comment)
                for r in session.scalars(
                    select(CsatRow)
                    .where(CsatRow.conversation_id == suggestion.conversation_id)
                    .order_by(CsatRow.rated_at)
                )
            ]
        return ReviewItem(
            id=row.pk,
            suggestion=suggestion_log(suggestion),
            sampled_at=as_utc(row.sampled_at),
            score=row.score,
            comment=row.comment,
            reviewer=row.reviewer,
            reviewed_at=as_utc(row.reviewed_at) if row.reviewed_at else None,
            feedback=_feedback_by_suggestion(session, [suggestion.id]).get(suggestion.id, []),
            csat=csat,
        )


def _feedback_by_suggestion(session: Session, ids: Iterable[str]) -> dict[str, list[Feedback]]:
    found: dict[str, list[Feedback]] = {}
    wanted = list(ids)
    # Chunked so that IN (...) stays under the databases' parameter limits.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.scalars(
            select(FeedbackRow).where(FeedbackRow.suggestion_id.in_(chunk)).order_by(FeedbackRow.pk)
        )
        for row in rows:
            found.setdefault(row.suggestion_id, []).append(feedback_of(row))
    return found


def feedback_of(row: FeedbackRow) -> Feedback:
    return Feedback(
        outcome=row.outcome,  # type: ignore[arg-type]
        sent_text=row.sent_text,
        reason=row.reason,
        template=row.template,
    )


def suggestion_log(row: SuggestionRow) -> SuggestionLog:
    return SuggestionLog(
        id=row.id,
        created_at=as_utc(row.created_at),
        text=row.text,
        language=row.language,
        decision=row.decision,
        response=row.response,
        conversation_id=row.conversation_id,
        user_id=row.user_id,
        account_id=row.account_id,
        line=row.line,
    )


def _version(row: TemplateVersionRow) -> TemplateVersion:
    return TemplateVersion(
        name=row.name,
        language=row.language,
        version=row.version,
        body=row.body,
        created_at=as_utc(row.created_at),
        created_by=row.created_by,
        comment=row.comment,
    )
