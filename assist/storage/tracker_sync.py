"""How far each tracker's backlog sync got: one row per source, the newest update seen."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assist.storage.tables import TrackerSyncRow, as_utc, utcnow


class TrackerSyncState(Protocol):
    def cursor(self, source: str) -> datetime | None:
        """The newest update time the last sync of `source` saw; None before the first."""
        ...

    def save(self, source: str, last_updated_at: datetime) -> None: ...


class SqlTrackerSync:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def cursor(self, source: str) -> datetime | None:
        with self._sessions() as session:
            found = session.scalar(
                select(TrackerSyncRow.last_updated_at).where(TrackerSyncRow.source == source)
            )
        return as_utc(found) if found is not None else None

    def save(self, source: str, last_updated_at: datetime) -> None:
        with self._sessions.begin() as session:
            row = session.scalars(
                select(TrackerSyncRow).where(TrackerSyncRow.source == source)
            ).one_or_none()
            if row is None:
                session.add(TrackerSyncRow(source=source, last_updated_at=last_updated_at))
            else:
                row.last_updated_at = last_updated_at
                row.synced_at = utcnow()
