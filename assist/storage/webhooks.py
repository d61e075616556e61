"""The outbox of outbound webhook deliveries, shared by every replica on one database.

A worker claims due rows with a conditional UPDATE that sets a lease (`leased_until` ahead,
`lease` its token) only where no live lease is set, so two workers never send the same row
at once; PostgreSQL re-checks that condition on a row another transaction just leased, and
SQLite has one writer at a time. A worker that dies mid-send leaves a lease that runs out,
and the row is claimed again: delivery is at least once. Results are written only under
the lease the worker still holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from assist.storage.helpdesk_messages import HelpdeskMessageStore, SqlHelpdeskMessages
from assist.storage.tables import WebhookDeliveryRow, as_utc

DeliveryStatus = Literal["pending", "delivered", "dead"]
STATUSES: tuple[DeliveryStatus, ...] = ("pending", "delivered", "dead")
# Candidate rows read per URL slot wanted: enough to find several URLs' due rows when
# one URL has a long queue ahead of them.
WINDOW = 4


@dataclass(frozen=True)
class NewDelivery:
    event_id: str
    url: str
    event_type: str
    body: str
    request_id: str | None


@dataclass(frozen=True)
class Delivery:
    id: int
    event_id: str
    url: str
    event_type: str
    body: str
    request_id: str | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    lease: str | None = None


class DeliveryStore(Protocol):
    def enqueue(self, deliveries: Sequence[NewDelivery], now: datetime) -> None:
        """Add rows due at once, all or none."""
        ...

    def claim(
        self,
        now: datetime,
        *,
        urls: int,
        per_url: int,
        lease_seconds: float,
        skip_urls: Collection[str] = (),
    ) -> list[Delivery]:
        """Lease up to `per_url` due rows of each of up to `urls` URLs (oldest due first)."""
        ...

    def delivered(self, delivery: Delivery, *, status_code: int, now: datetime) -> bool:
        """Record a successful attempt; False when the lease was lost meanwhile."""
        ...

    def failed(
        self,
        delivery: Delivery,
        *,
        error: str,
        status_code: int | None,
        retry_at: datetime | None,
        now: datetime,
    ) -> bool:
        """Record a failed attempt: pending again at `retry_at`, or dead when it is None."""
        ...

    def release(self, deliveries: Sequence[Delivery]) -> None:
        """Give leased rows back unattempted (a worker shutting down)."""
        ...

    def get(self, delivery_id: int) -> Delivery | None: ...

    def entries(self, status: DeliveryStatus | None = None, limit: int = 100) -> list[Delivery]:
        """Newest first."""
        ...

    def replay(self, ids: Sequence[int], now: datetime) -> list[Delivery]:
        """Back to pending, due now, attempts reset; returns the rows found."""
        ...

    def replay_dead(self, now: datetime) -> int: ...


class SqlDeliveries:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def enqueue(self, deliveries: Sequence[NewDelivery], now: datetime) -> None:
        if not deliveries:
            return
        with self._sessions.begin() as session:
            session.add_all(
                WebhookDeliveryRow(
                    event_id=d.event_id,
                    url=d.url,
                    event_type=d.event_type,
                    body=d.body,
                    request_id=d.request_id,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
                for d in deliveries
            )

    def claim(
        self,
        now: datetime,
        *,
        urls: int,
        per_url: int,
        lease_seconds: float,
        skip_urls: Collection[str] = (),
    ) -> list[Delivery]:
        table = WebhookDeliveryRow
        due = _due(now)
        query = select(table.pk, table.url).where(due)
        if skip_urls:
            query = query.where(table.url.not_in(list(skip_urls)))
        query = query.order_by(table.next_attempt_at, table.pk).limit(urls * per_url * WINDOW)
        with self._sessions() as session:
            candidates = session.execute(query).all()
        picked = _fair_share(candidates, urls, per_url)
        if not picked:
            return []
        token = uuid.uuid4().hex
        with self._sessions.begin() as session:
            session.execute(
                update(table)
                .where(table.pk.in_(picked), due)
                .values(leased_until=now + timedelta(seconds=lease_seconds), lease=token)
                .execution_options(synchronize_session=False)
            )
        with self._sessions() as session:
            rows = session.scalars(select(table).where(table.lease == token).order_by(table.pk))
            return [_delivery(row) for row in rows]

    def delivered(self, delivery: Delivery, *, status_code: int, now: datetime) -> bool:
        return self._finish(
            delivery,
            status="delivered",
            attempts=WebhookDeliveryRow.attempts + 1,
            delivered_at=now,
            last_status_code=status_code,
            last_error=None,
        )

    def failed(
        self,
        delivery: Delivery,
        *,
        error: str,
        status_code: int | None,
        retry_at: datetime | None,
        now: datetime,
    ) -> bool:
        return self._finish(
            delivery,
            status="pending" if retry_at is not None else "dead",
            attempts=WebhookDeliveryRow.attempts + 1,
            next_attempt_at=retry_at or now,
            last_status_code=status_code,
            last_error=error,
        )

    def release(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            self._finish(delivery)

    def _finish(self, delivery: Delivery, **values: object) -> bool:
        table = WebhookDeliveryRow
        with self._sessions.begin() as session:
            result = session.execute(
                update(table)
                .where(table.pk == delivery.id, table.lease == delivery.lease)
                .values(leased_until=None, lease=None, **values)
                .execution_options(synchronize_session=False)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def get(self, delivery_id: int) -> Delivery | None:
        with self._sessions() as session:
            row = session.get(WebhookDeliveryRow, delivery_id)
            return None if row is None else _delivery(row)

    def entries(self, status: DeliveryStatus | None = None, limit: int = 100) -> list[Delivery]:
        table = WebhookDeliveryRow
        query = select(table).order_by(table.pk.desc()).limit(limit)
        if status is not None:
            query = query.where(table.status == status)
        with self._sessions() as session:
            return [_delivery(row) for row in session.scalars(query)]

    def replay(self, ids: Sequence[int], now: datetime) -> list[Delivery]:
        table = WebhookDeliveryRow
        wanted = list(dict.fromkeys(ids))
        with self._sessions.begin() as session:
            # The lease goes too: an attempt in flight now can no longer write its result over
            # the replay (it may still arrive: helpdesks dedupe by event id, as documented).
            session.execute(
                update(table)
                .where(table.pk.in_(wanted))
                .values(
                    status="pending", attempts=0, next_attempt_at=now, lease=None, leased_until=None
                )
                .execution_options(synchronize_session=False)
            )
            rows = session.scalars(select(table).where(table.pk.in_(wanted)).order_by(table.pk))
            return [_delivery(row) for row in rows]

    def replay_dead(self, now: datetime) -> int:
        table = WebhookDeliveryRow
        with self._sessions.begin() as session:
            result = session.execute(
                update(table)
                .where(table.status == "dead")
                .values(status="pending", attempts=0, next_attempt_at=now)
                .execution_options(synchronize_session=False)
            )
        return int(result.rowcount)  # type: ignore[attr-defined]


class WebhookStore(Protocol):
    """What the helpdesk webhooks keep: the outbound outbox and the inbound events seen."""

    @property
    def deliveries(self) -> DeliveryStore: ...

    @property
    def helpdesk_messages(self) -> HelpdeskMessageStore: ...


class SqlWebhooks:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._deliveries = SqlDeliveries(sessions)
        self._helpdesk_messages = SqlHelpdeskMessages(sessions)

    @property
    def deliveries(self) -> SqlDeliveries:
        return self._deliveries

    @property
    def helpdesk_messages(self) -> SqlHelpdeskMessages:
        return self._helpdesk_messages


def _due(now: datetime) -> ColumnElement[bool]:
    table = WebhookDeliveryRow
    return (
        (table.status == "pending")
        & (table.next_attempt_at <= now)
        & or_(table.leased_until.is_(None), table.leased_until <= now)
    )


def _fair_share(candidates: Sequence[tuple[int, str]], urls: int, per_url: int) -> list[int]:
    """Up to `per_url` rows of each of the first `urls` URLs, so that one URL's long queue
    does not fill a whole claim."""
    taken: dict[str, list[int]] = {}
    for pk, url in candidates:
        rows = taken.get(url)
        if rows is None:
            if len(taken) == urls:
                continue
            rows = taken[url] = []
        if len(rows) < per_url:
            rows.append(pk)
    return [pk for rows in taken.values() for pk in rows]


def _delivery(row: WebhookDeliveryRow) -> Delivery:
    return Delivery(
        id=row.pk,
        event_id=row.event_id,
        url=row.url,
        event_type=row.event_type,
        body=row.body,
        request_id=row.request_id,
        status=row.status,  # type: ignore[arg-type]
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=as_utc(row.created_at),
        delivered_at=as_utc(row.delivered_at) if row.delivered_at else None,
        lease=row.lease,
    )
