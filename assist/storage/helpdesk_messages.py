"""Inbound helpdesk events already seen, so that a redelivered event is answered, not redone.

The event id is claimed (inserted, unique) before its suggestion is computed: of several
concurrent deliveries of one event, on any replica, exactly one insert wins and computes;
the others find the claim and wait for its suggestion. A claim whose computation failed is
removed, and one left by a crashed process is taken over once it is old enough.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assist.storage.tables import HelpdeskMessageRow, as_utc


@dataclass(frozen=True)
class MessageClaim:
    """`new`: compute it under `token`; `answered`: here is its suggestion; `in_flight`:
    another request is computing it now."""

    state: Literal["new", "answered", "in_flight"]
    token: str | None = None
    suggestion_id: str | None = None


class HelpdeskMessageStore(Protocol):
    def claim(self, event_id: str, now: datetime, *, stale_after: timedelta) -> MessageClaim:
        """Claim the event for computing, or say who has it; claims older than
        `stale_after` without a suggestion are taken over."""
        ...

    def complete(self, event_id: str, token: str, suggestion_id: str) -> bool: ...

    def release(self, event_id: str, token: str) -> None: ...

    def suggestion_id(self, event_id: str) -> str | None: ...


class SqlHelpdeskMessages:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, event_id: str, now: datetime, *, stale_after: timedelta) -> MessageClaim:
        token = uuid.uuid4().hex
        # Twice: a claim removed between our insert and our read leaves the way free again.
        for _ in range(2):
            try:
                with self._sessions.begin() as session:
                    session.add(
                        HelpdeskMessageRow(
                            event_id=event_id, received_at=now, claim=token, claimed_at=now
                        )
                    )
                return MessageClaim("new", token=token)
            except IntegrityError:
                pass
            found = self._taken_over(event_id, token, now, now - stale_after)
            if found is not None:
                return found
        return MessageClaim("in_flight")

    def _taken_over(
        self, event_id: str, token: str, now: datetime, stale: datetime
    ) -> MessageClaim | None:
        table = HelpdeskMessageRow
        with self._sessions.begin() as session:
            row = session.scalars(select(table).where(table.event_id == event_id)).one_or_none()
            if row is None:
                return None
            if row.suggestion_id is not None:
                return MessageClaim("answered", suggestion_id=row.suggestion_id)
            if as_utc(row.claimed_at) > stale:
                return MessageClaim("in_flight")
            taken = session.execute(
                update(table)
                .where(
                    table.event_id == event_id,
                    table.suggestion_id.is_(None),
                    table.claim == row.claim,
                )
                .values(claim=token, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
        if taken.rowcount:  # type: ignore[attr-defined]
            return MessageClaim("new", token=token)
        return MessageClaim("in_flight")

    def complete(self, event_id: str, token: str, suggestion_id: str) -> bool:
        """Store the suggestion made under `token`; False when the claim was taken over."""
        table = HelpdeskMessageRow
        with self._sessions.begin() as session:
            result = session.execute(
                update(table)
                .where(table.event_id == event_id, table.claim == token)
                .values(suggestion_id=suggestion_id, claim=None)
                .execution_options(synchronize_session=False)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def release(self, event_id: str, token: str) -> None:
        """Forget a claim whose computation failed, so a redelivery computes it afresh."""
        table = HelpdeskMessageRow
        with self._sessions.begin() as session:
            session.execute(
                delete(table).where(
                    table.event_id == event_id,
                    table.claim == token,
                    table.suggestion_id.is_(None),
                )
            )

    def suggestion_id(self, event_id: str) -> str | None:
        table = HelpdeskMessageRow
        with self._sessions() as session:
            found: str | None = session.scalar(
                select(table.suggestion_id).where(table.event_id == event_id)
            )
            return found
