"""The `Store` protocol: knowledge records, suggestions and feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from assist.knowledge.records import BacklogTask, FaqEntry, Record
from assist.storage.connect_log import ConnectLog
from assist.storage.rate_windows import RateWindow
from assist.storage.restrictions import RestrictionStore
from assist.storage.tracker_sync import TrackerSyncState

if TYPE_CHECKING:
    from assist.storage.studio import QualityStore, TemplateStore
    from assist.storage.webhooks import WebhookStore

R = TypeVar("R", bound=Record)
Outcome = Literal["accepted", "edited", "rejected"]


@dataclass(frozen=True)
class Stored(Generic[R]):
    """A record with its storage key (stable int, used as the index key) and content hash."""

    pk: int
    record: R
    content_hash: str


@dataclass(frozen=True)
class UpsertReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeleteReport:
    deleted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SuggestionLog:
    id: str
    created_at: datetime
    text: str
    language: str
    decision: str
    response: dict[str, Any]
    conversation_id: str | None = None
    user_id: str | None = None
    account_id: str | None = None
    line: str | None = None


@dataclass(frozen=True)
class Feedback:
    outcome: Outcome
    sent_text: str | None = None
    reason: str | None = None
    template: str | None = None


class RecordRepository(Protocol[R]):
    """One collection of records; every write is all-or-nothing."""

    def upsert(self, records: Sequence[R]) -> UpsertReport: ...

    def insert(self, record: R) -> None:
        """Create a record; `Conflict` when its id exists (another writer took it)."""
        ...

    def ids(self) -> list[str]: ...

    def delete(self, ids: Sequence[str]) -> DeleteReport: ...

    def get(self, record_id: str) -> R | None: ...

    def page(self, offset: int, limit: int) -> list[R]: ...

    def count(self) -> int: ...

    def all(self) -> list[Stored[R]]: ...

    def version(self) -> str:
        """Changes whenever the collection changes, so replicas know when to resync."""
        ...


class Store(Protocol):
    @property
    def faq(self) -> RecordRepository[FaqEntry]: ...

    @property
    def backlog(self) -> RecordRepository[BacklogTask]: ...

    @property
    def restrictions(self) -> RestrictionStore: ...

    @property
    def rate_window(self) -> RateWindow:
        """Load-window counts shared by every process on this database."""
        ...

    @property
    def templates(self) -> TemplateStore: ...

    @property
    def quality(self) -> QualityStore: ...

    @property
    def connect(self) -> ConnectLog:
        """Events from 1C-Connect lines and the sidecar's own actions in them."""
        ...

    @property
    def webhooks(self) -> WebhookStore:
        """Helpdesk webhooks: the outbound outbox and the inbound events already seen."""
        ...

    @property
    def tracker_sync(self) -> TrackerSyncState:
        """Where each tracker's backlog sync got to."""
        ...

    def save_suggestion(self, suggestion: SuggestionLog) -> None: ...

    def conversation_suggestions(self, conversation_id: str, limit: int) -> list[SuggestionLog]:
        """The conversation's latest suggestions, newest first."""
        ...

    def get_suggestion(self, suggestion_id: str) -> SuggestionLog | None: ...

    def add_feedback(self, suggestion_id: str, feedback: Feedback) -> None:
        """Raise `NotFound` when the suggestion does not exist."""
        ...

    def list_feedback(self, suggestion_id: str) -> list[Feedback]: ...

    def ping(self) -> None:
        """Raise when the database cannot be reached."""
        ...

    def close(self) -> None: ...
