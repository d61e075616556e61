"""The knowledge base: store writes and index updates as one operation per collection.

Writes go to the store first (all-or-nothing), then the collection index re-embeds only
what changed and is saved, so a restart loads it instead of re-embedding everything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from assist.knowledge.collection import CollectionIndex, LexicalRanker, Progress, SyncReport
from assist.knowledge.passages import (
    BACKLOG_SCHEME,
    FAQ_SCHEME,
    backlog_lexical_text,
    backlog_passages,
    faq_lexical_text,
    faq_passages,
)
from assist.knowledge.records import BacklogTask, FaqEntry, Record
from assist.storage.store import DeleteReport, RecordRepository, Store, UpsertReport
from embeddings.encoder import Encoder
from embeddings.index import VectorIndex

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)
CollectionName = Literal["faq", "backlog"]


@dataclass
class Collection(Generic[R]):
    repository: RecordRepository[R]
    index: CollectionIndex[R]
    directory: Path
    version: str = ""


class KnowledgeBase:
    def __init__(
        self,
        store: Store,
        encoder: Encoder,
        index_dir: Path,
        *,
        vector_index: Callable[[int], VectorIndex],
        lexical_index: Callable[[], LexicalRanker],
    ) -> None:
        self.encoder = encoder
        # Serialises writers; each collection index guards itself against readers.
        self._lock = threading.RLock()
        self.faq: Collection[FaqEntry] = Collection(
            store.faq,
            CollectionIndex(
                "faq",
                encoder,
                vector_index(encoder.dimension),
                lexical_index(),
                faq_passages,
                faq_lexical_text,
                scheme=FAQ_SCHEME,
            ),
            index_dir / "faq",
        )
        self.backlog: Collection[BacklogTask] = Collection(
            store.backlog,
            CollectionIndex(
                "backlog",
                encoder,
                vector_index(encoder.dimension),
                lexical_index(),
                backlog_passages,
                backlog_lexical_text,
                scheme=BACKLOG_SCHEME,
            ),
            index_dir / "backlog",
        )
        self.loaded = False
        # What the latest write re-embedded and how long it took (the bench reads it).
        self.last_sync: SyncReport | None = None

    def load(self) -> dict[str, SyncReport]:
        """Load saved indexes (or rebuild them) and bring them in step with the store."""
        reports = {}
        with self._lock:
            for name, collection in self._collections():
                collection.version = collection.repository.version()
                report = collection.index.load(collection.directory, collection.repository.all())
                # Rewriting an unchanged 100k-task index cost seconds at every start.
                if not _all_from_saved(report) or _changed(report):
                    collection.index.save(collection.directory)
                reports[name] = report
                log.info("index loaded", extra={"collection": name, **asdict(report)})
            self.loaded = True
        return reports

    def refresh(self) -> int:
        """Resync collections another process (a CLI import, a replica) has changed.

        Returns how many collections were resynced.
        """
        resynced = 0
        with self._lock:
            for _name, collection in self._collections():
                if collection.repository.version() != collection.version:
                    self._sync(collection)
                    resynced += 1
        return resynced

    def upsert(
        self,
        name: CollectionName,
        records: Sequence[Record],
        progress: Progress | None = None,
    ) -> UpsertReport:
        """Write `records`, then embed what changed; `progress` hears how the embedding goes."""
        collection = self._get(name)
        with self._lock:
            report = collection.repository.upsert(records)
            self.last_sync = self._sync(collection, progress)
        return report

    def insert(self, name: CollectionName, record: Record) -> None:
        collection = self._get(name)
        with self._lock:
            collection.repository.insert(record)
            self._sync(collection)

    def delete(self, name: CollectionName, ids: Sequence[str]) -> DeleteReport:
        collection = self._get(name)
        with self._lock:
            report = collection.repository.delete(ids)
            self._sync(collection)
        return report

    def repository(self, name: CollectionName) -> RecordRepository[Any]:
        return self._get(name).repository

    def _sync(self, collection: Collection[R], progress: Progress | None = None) -> SyncReport:
        collection.version = collection.repository.version()
        report = collection.index.sync(collection.repository.all(), progress)
        if _changed(report):
            collection.index.save(collection.directory)
        return report

    def _get(self, name: CollectionName) -> Collection[Any]:
        return self.faq if name == "faq" else self.backlog

    def _collections(self) -> list[tuple[str, Collection[Any]]]:
        return [("faq", self.faq), ("backlog", self.backlog)]


def _all_from_saved(report: SyncReport) -> bool:
    return report.from_saved and report.lexical_from_saved and report.sources_from_saved


def _changed(report: SyncReport) -> bool:
    """Whether a sync changed the index (else what is saved still holds)."""
    return bool(report.embedded_records or report.removed_records)
