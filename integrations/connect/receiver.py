"""Line events in: each is recorded once; a user's text message gets a suggestion.

The suggestion is stored under the conversation `<line_id>:<user_id>`, where the agent panel
finds it. A rating event becomes a CSAT rating of that conversation; every other event
(treatment started or closed, queue, rerouting, off hours, and types we do not know) is
recorded as it came.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from assist.errors import Conflict
from assist.pipeline import IncomingMessage, Suggestion
from assist.request_ids import current as current_request_id
from assist.storage.connect_log import ConnectLog, RecordedEvent
from assist.storage.studio import CsatRating, QualityStore
from integrations.connect.models import KINDS, EventKind, LineEvent

log = logging.getLogger(__name__)
Status = Literal["processed", "duplicate"]
# A claimed event with no suggestion after this long was left by a process that died.
STALE_CLAIM = timedelta(minutes=2)


class EventInFlight(Conflict):
    """A redelivery that came while the first delivery is still being processed."""

    slug, title = "event-in-flight", "Event is being processed"


@dataclass(frozen=True)
class EventTypes:
    """Type codes beyond the documented ones. The public bot code and API pages show none for
    a rating or an off-hours notice, so an installation that sends them maps them here; the
    score of a rating is read from its `data`."""

    kinds: Mapping[int, EventKind] = field(default_factory=dict)
    score_field: str = "rating"


@dataclass(frozen=True)
class Receipt:
    status: Status
    kind: EventKind
    suggestion_id: str | None = None


class LineEventReceiver:
    def __init__(
        self,
        log: ConnectLog,
        quality: QualityStore,
        suggest: Callable[[IncomingMessage], Suggestion],
        *,
        after_suggestion: Callable[[LineEvent, Suggestion], None] | None = None,
        types: EventTypes | None = None,
        max_text_chars: int = 4000,
    ) -> None:
        self.log = log
        self.quality = quality
        self.suggest = suggest
        self.after_suggestion = after_suggestion
        self.types = types or EventTypes()
        self.max_text_chars = max_text_chars

    def kind_of(self, event: LineEvent) -> EventKind:
        return self.types.kinds.get(event.message_type) or KINDS.get(event.message_type, "other")

    def receive(self, event: LineEvent) -> Receipt:
        kind = self.kind_of(event)
        if not self.log.claim(_recorded(event, kind)):
            known = self.log.get(str(event.message_id))
            if known is None:  # released by a failed first delivery just now
                return self.receive(event)
            if known.suggestion_id is None and self._wants_suggestion(event, kind):
                age = datetime.now(UTC) - (known.received_at or datetime.now(UTC))
                if age < STALE_CLAIM:
                    # The first delivery is still at work; if it fails it gives the event
                    # back, so the sender must try again rather than take this for done.
                    raise EventInFlight(f"Event {event.message_id} is being processed; retry")
                # Claimed by a process that died before it finished: finish it here.
                return Receipt("processed", kind, self._process(event, kind))
            return Receipt("duplicate", kind, known.suggestion_id)
        try:
            suggestion_id = self._process(event, kind)
        except BaseException:
            # Give the event back so that 1C-Connect's redelivery is processed, not dropped.
            self.log.release(str(event.message_id))
            raise
        return Receipt("processed", kind, suggestion_id)

    @staticmethod
    def _wants_suggestion(event: LineEvent, kind: EventKind) -> bool:
        return kind == "message" and event.from_user and bool(event.text.strip())

    def _process(self, event: LineEvent, kind: EventKind) -> str | None:
        if kind == "rating":
            self._record_rating(event)
            return None
        if not self._wants_suggestion(event, kind):
            return None
        suggestion = self.suggest(
            IncomingMessage(
                text=event.text[: self.max_text_chars],
                conversation_id=event.conversation_id,
                user_id=str(event.user_id),
                line=str(event.line_id),
                received_at=message_time(event.message_time) or datetime.now(UTC),
            )
        )
        self.log.attach_suggestion(str(event.message_id), suggestion.id)
        if self.after_suggestion is not None:
            # The suggestion is made and announced: a failed follow-up must not hand the
            # event back (its redelivery would make a second suggestion).
            try:
                self.after_suggestion(event, suggestion)
            except Exception:
                log.exception(
                    "line action could not be queued", extra={"suggestion_id": suggestion.id}
                )
        return suggestion.id

    def _record_rating(self, event: LineEvent) -> None:
        raw: Any = event.data.get(self.types.score_field)
        try:
            score = int(raw)
        except (TypeError, ValueError):
            log.warning("rating event without a score", extra={"message_id": str(event.message_id)})
            return
        if not 1 <= score <= 5:
            log.warning("rating out of 1..5 ignored", extra={"score": score})
            return
        rated_at = message_time(event.message_time) or datetime.now(UTC)
        comment = event.text.strip() or None
        self.quality.import_csat([CsatRating(event.conversation_id, score, rated_at, comment)])


def message_time(raw: str) -> datetime | None:
    """`message_time` as sent: unix seconds (or milliseconds) or ISO-8601; None if neither."""
    text = raw.strip()
    try:
        number = float(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if number > 1e11:  # milliseconds
        number /= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _recorded(event: LineEvent, kind: EventKind) -> RecordedEvent:
    return RecordedEvent(
        message_id=str(event.message_id),
        line_id=str(event.line_id),
        user_id=str(event.user_id),
        author_id=str(event.author_id) if event.author_id else None,
        message_type=event.message_type,
        kind=kind,
        message_time=event.message_time,
        text=event.text,
        data=event.data,
        request_id=current_request_id.get(),
    )
