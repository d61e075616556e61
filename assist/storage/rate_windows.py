"""Moving-window message counts kept in the shared database, so replicas count together.

The `limits` library does the counting for one process (or over Redis); it has no SQL
storage, and a deployment of replicas on one PostgreSQL server should not need another
server just for counters. This keeps one row per counted message and answers the same
question as `limits`' moving window: were there fewer than `amount` hits in the last
`expiry` seconds? A refused hit is not recorded, as in `limits`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from limits import RateLimitItem
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from assist.storage.tables import RateEventRow


class RateWindow(Protocol):
    """What `LoadRule` needs: `limits`' `MovingWindowRateLimiter.hit` has this shape."""

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...


class SqlRateWindow:
    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], float] = time.time
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        key = item.key_for(*identifiers)
        now = self._clock()
        start = now - item.get_expiry()
        with self._sessions.begin() as session:
            _lock(session, key)
            session.execute(
                delete(RateEventRow).where(RateEventRow.key == key, RateEventRow.at <= start)
            )
            count = session.scalar(
                select(func.count()).select_from(RateEventRow).where(RateEventRow.key == key)
            )
            if int(count or 0) >= item.amount:
                return False
            session.add(RateEventRow(key=key, at=now))
        return True


def _lock(session: Session, key: str) -> None:
    """Serialise the count-then-insert of one key across replicas on PostgreSQL.

    SQLite needs nothing: it has one writer at a time and serves a single process.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )
