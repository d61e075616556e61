"""What came in from 1C-Connect lines and what the sidecar did in them, in the database.

An event is claimed by inserting it: the unique message id makes a redelivered event (or a
second replica receiving the same one) lose the insert, so each event is processed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assist.storage.tables import (
    AuditRow,
    ConnectActionRow,
    ConnectEventRow,
    ConnectSwitchRow,
    as_utc,
    utcnow,
)


@dataclass(frozen=True)
class RecordedEvent:
    message_id: str
    line_id: str
    user_id: str
    author_id: str | None
    message_type: int
    kind: str
    message_time: str
    text: str
    data: dict[str, Any]
    received_at: datetime | None = None
    suggestion_id: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class LineAction:
    action: str  # off_hours_notice | ban_notice | transfer
    line_id: str
    user_id: str
    ok: bool
    detail: str
    message_id: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Switch:
    name: str
    enabled: bool
    changed_by: str
    changed_at: datetime


class ConnectLog(Protocol):
    def claim(self, event: RecordedEvent) -> bool:
        """Record a new event; False (and nothing written) when its message id is known."""
        ...

    def release(self, message_id: str) -> None:
        """Forget a claimed event whose processing failed, so a redelivery is processed."""
        ...

    def get(self, message_id: str) -> RecordedEvent | None: ...

    def attach_suggestion(self, message_id: str, suggestion_id: str) -> None: ...

    def events(self, *, user_id: str | None = None, limit: int = 100) -> list[RecordedEvent]: ...

    def record_action(self, action: LineAction) -> None: ...

    def last_action(self, action: str, user_id: str, *, ok: bool = True) -> LineAction | None: ...

    def actions(self, limit: int = 100) -> list[LineAction]: ...

    def switches(self) -> dict[str, Switch]:
        """The line actions leads switched on or off (others follow their setting)."""
        ...

    def set_switch(self, name: str, enabled: bool, *, actor: str) -> Switch:
        """Switch a line action on or off, written to the audit log."""
        ...


class SqlConnectLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, event: RecordedEvent) -> bool:
        values = {k: v for k, v in event.__dict__.items() if v is not None}
        try:
            with self._sessions.begin() as session:
                session.add(ConnectEventRow(**values))
        except IntegrityError:
            return False
        return True

    def release(self, message_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ConnectEventRow).where(ConnectEventRow.message_id == message_id))

    def get(self, message_id: str) -> RecordedEvent | None:
        with self._sessions() as session:
            row = session.scalars(
                select(ConnectEventRow).where(ConnectEventRow.message_id == message_id)
            ).first()
            return None if row is None else _event(row)

    def attach_suggestion(self, message_id: str, suggestion_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(ConnectEventRow)
                .where(ConnectEventRow.message_id == message_id)
                .values(suggestion_id=suggestion_id)
            )

    def events(self, *, user_id: str | None = None, limit: int = 100) -> list[RecordedEvent]:
        query = select(ConnectEventRow).order_by(ConnectEventRow.pk.desc()).limit(limit)
        if user_id is not None:
            query = query.where(ConnectEventRow.user_id == user_id)
        with self._sessions() as session:
            return [_event(row) for row in session.scalars(query)]

    def record_action(self, action: LineAction) -> None:
        values = {k: v for k, v in action.__dict__.items() if v is not None}
        with self._sessions.begin() as session:
            session.add(ConnectActionRow(**values))

    def last_action(self, action: str, user_id: str, *, ok: bool = True) -> LineAction | None:
        with self._sessions() as session:
            row = session.scalars(
                select(ConnectActionRow)
                .where(
                    ConnectActionRow.action == action,
                    ConnectActionRow.user_id == user_id,
                    ConnectActionRow.ok == ok,
                )
                .order_by(ConnectActionRow.pk.desc())
                .limit(1)
            ).first()
            return None if row is None else _action(row)

    def actions(self, limit: int = 100) -> list[LineAction]:
        with self._sessions() as session:
            rows = session.scalars(
                select(ConnectActionRow).order_by(ConnectActionRow.pk.desc()).limit(limit)
            )
            return [_action(row) for row in rows]

    def switches(self) -> dict[str, Switch]:
        with self._sessions() as session:
            return {row.name: _switch(row) for row in session.scalars(select(ConnectSwitchRow))}

    def set_switch(self, name: str, enabled: bool, *, actor: str) -> Switch:
        try:
            return self._set_switch(name, enabled, actor)
        except IntegrityError:  # another replica wrote the first row just now: update it
            return self._set_switch(name, enabled, actor)

    def _set_switch(self, name: str, enabled: bool, actor: str) -> Switch:
        with self._sessions.begin() as session:
            row = session.get(ConnectSwitchRow, name)
            if row is None:
                row = ConnectSwitchRow(name=name, enabled=enabled, changed_by=actor)
                session.add(row)
            row.enabled, row.changed_by, row.changed_at = enabled, actor, utcnow()
            action = f"connect.{name}.{'on' if enabled else 'off'}"
            session.add(AuditRow(actor=actor, action=action, subject=f"switch:{name}", details={}))
            session.flush()
            return _switch(row)


def _event(row: ConnectEventRow) -> RecordedEvent:
    return RecordedEvent(
        message_id=row.message_id,
        line_id=row.line_id,
        user_id=row.user_id,
        author_id=row.author_id,
        message_type=row.message_type,
        kind=row.kind,
        message_time=row.message_time,
        text=row.text,
        data=row.data,
        received_at=as_utc(row.received_at),
        suggestion_id=row.suggestion_id,
        request_id=row.request_id,
    )


def _action(row: ConnectActionRow) -> LineAction:
    return LineAction(
        action=row.action,
        line_id=row.line_id,
        user_id=row.user_id,
        ok=row.ok,
        detail=row.detail,
        message_id=row.message_id,
        at=as_utc(row.at),
    )


def _switch(row: ConnectSwitchRow) -> Switch:
    return Switch(row.name, row.enabled, row.changed_by, as_utc(row.changed_at))
