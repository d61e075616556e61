"""One searchable collection (FAQ or backlog): vectors + lexical index kept in step with the store.

`sync` compares content hashes with what was embedded before and re-embeds only records
that are new or changed. The vector index is saved with an `IndexStamp`; a stamp from
another model, dimension or entry set is never trusted: everything is re-embedded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from assist.knowledge.passages import Passage, split_key, vector_key
from assist.knowledge.records import Record
from assist.storage.store import Stored
from embeddings.encoder import Encoder, Vectors
from embeddings.index import IndexStamp, VectorIndex

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)
STAMP_FILE = "stamp.json"
ENTRIES_FILE = "entries.json"
EMBED_BATCH = 64


class LexicalRanker(Protocol):
    def upsert(self, keys: Sequence[int], texts: Sequence[str]) -> None: ...

    def remove(self, keys: Sequence[int]) -> None: ...

    def search(self, query: str, k: int, *, normalized: bool = False) -> list[tuple[int, float]]:
        """Best first; with `normalized`, scores are 0..1 and comparable across queries."""
        ...


@dataclass(frozen=True)
class Candidate(Generic[R]):
    record: R
    dense: float
    lexical: float


@dataclass(frozen=True)
class SyncReport:
    embedded_records: int
    embedded_passages: int
    removed_records: int
    total_records: int
    from_saved: bool = False


class CollectionIndex(Generic[R]):
    def __init__(
        self,
        name: str,
        encoder: Encoder,
        vectors: VectorIndex,
        lexical: LexicalRanker,
        passages: Callable[[R], list[Passage]],
        lexical_text: Callable[[R], str],
    ) -> None:
        self.name = name
        self._encoder = encoder
        self._vectors = vectors
        self._lexical = lexical
        self._passages = passages
        self._lexical_text = lexical_text
        self._records: dict[int, R] = {}
        self._hashes: dict[int, str] = {}  # pk -> content hash the vectors were made from
        # Guards the structures above: searches run in server threads while imports sync.
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._records)

    def sync(self, stored: Sequence[Stored[R]]) -> SyncReport:
        wanted = {s.pk: s for s in stored}
        with self._lock:
            hashes = dict(self._hashes)
        gone = [pk for pk in hashes if pk not in wanted]
        digests = {s.pk: s.record.index_hash() for s in stored}
        changed = [s for s in stored if hashes.get(s.pk) != digests[s.pk]]
        # Embedding is the slow part: do it before taking the lock so searches go on.
        chunks = [changed[i : i + EMBED_BATCH] for i in range(0, len(changed), EMBED_BATCH)]
        batches = [(chunk, *self._embed(chunk)) for chunk in chunks]
        embedded = {s.pk: digests[s.pk] for s in changed}
        with self._lock:
            self._drop(gone + [s.pk for s in changed if s.pk in self._hashes])
            for chunk, keys, vectors in batches:
                self._apply(chunk, keys, vectors)
            self._hashes.update(embedded)
            # Records are cheap: always take the store's current copy.
            self._records = {pk: s.record for pk, s in wanted.items()}
        if changed or gone:
            log.info(
                "index synced",
                extra={"collection": self.name, "embedded": len(changed), "removed": len(gone)},
            )
        passages = sum(len(keys) for _, keys, _ in batches)
        return SyncReport(len(changed), passages, len(gone), len(wanted))

    def rebuild_lexical(self) -> None:
        """Lexical data is not saved: fill it from the records after a `load`."""
        with self._lock:
            keys = list(self._records)
            self._lexical.upsert(keys, [self._lexical_text(self._records[pk]) for pk in keys])

    def search(self, query_vectors: Vectors, query_text: str, k: int) -> list[Candidate[R]]:
        """Candidates for a query given as one vector or as rows of vectors (views of the
        same message); a record's dense score is its best passage against its best view."""
        with self._lock:
            return self._search(query_vectors.reshape(-1, self._encoder.dimension), query_text, k)

    def _search(self, query_vectors: Vectors, query_text: str, k: int) -> list[Candidate[R]]:
        if not self._records:
            return []
        pool = max(4 * k, 20)
        dense: dict[int, float] = {}
        scores, keys = self._vectors.search(query_vectors, pool * 4)
        for score, key in zip(scores.ravel().tolist(), keys.ravel().tolist(), strict=True):
            if key < 0:
                continue
            pk, _slot = split_key(key)
            if score > dense.get(pk, -1.0):
                dense[pk] = score
        lexical = dict(self._lexical.search(query_text, pool, normalized=True))
        pks = [pk for pk in dict.fromkeys([*dense, *lexical]) if pk in self._records]
        missing = [pk for pk in pks if pk not in dense]
        if missing:
            dense.update(self._dense_for(query_vectors, missing))
        return [
            Candidate(self._records[pk], dense.get(pk, 0.0), lexical.get(pk, 0.0)) for pk in pks
        ]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._vectors.save(directory)
            entries = {str(pk): digest for pk, digest in sorted(self._hashes.items())}
        (directory / ENTRIES_FILE).write_text(json.dumps(entries), encoding="utf-8")
        self._stamp(entries).write(directory / STAMP_FILE)

    def load(self, directory: Path, stored: Sequence[Stored[R]]) -> SyncReport:
        """Load a saved index if its stamp matches this encoder; then sync to `stored`."""
        with self._lock:
            trusted = self._load_trusted(directory)
            if not trusted:
                self._drop(list(self._hashes))
        report = self.sync(stored)
        self.rebuild_lexical()
        return replace(report, from_saved=trusted)

    def _load_trusted(self, directory: Path) -> bool:
        stamp_path, entries_path = directory / STAMP_FILE, directory / ENTRIES_FILE
        if not stamp_path.exists() or not entries_path.exists():
            return False
        stamp = IndexStamp.read(stamp_path)
        entries: dict[str, str] = json.loads(entries_path.read_text(encoding="utf-8"))
        expected = self._stamp(entries)
        if stamp != expected:
            log.warning(
                "saved index does not match; rebuilding",
                extra={"collection": self.name, "saved": stamp.model_id, "now": expected.model_id},
            )
            return False
        self._vectors.load(directory)
        self._hashes = {int(pk): digest for pk, digest in entries.items()}
        return True

    def _stamp(self, entries: dict[str, str]) -> IndexStamp:
        checksum = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
        return IndexStamp(
            model_id=self._encoder.model_id,
            dimension=self._encoder.dimension,
            count=len(entries),
            checksum=checksum[:32],
        )

    def _embed(self, batch: Sequence[Stored[R]]) -> tuple[list[int], Vectors]:
        keys: list[int] = []
        texts: list[str] = []
        for item in batch:
            for passage in self._passages(item.record):
                keys.append(vector_key(item.pk, passage.slot))
                texts.append(passage.text)
        return keys, self._encoder.encode_passages(texts)

    def _apply(self, batch: Sequence[Stored[R]], keys: list[int], vectors: Vectors) -> None:
        if keys:
            self._vectors.upsert(keys, vectors)
        lexical_keys = [item.pk for item in batch]
        self._lexical.upsert(lexical_keys, [self._lexical_text(item.record) for item in batch])

    def _drop(self, pks: Sequence[int]) -> None:
        if not pks:
            return
        drop = set(pks)
        keys = [int(key) for key in self._vectors.keys() if split_key(int(key))[0] in drop]
        self._vectors.remove(keys)
        self._lexical.remove(list(pks))
        for pk in pks:
            self._hashes.pop(pk, None)

    def _dense_for(self, query_vectors: Vectors, pks: Sequence[int]) -> dict[int, float]:
        """Exact dense scores for candidates only the lexical ranker found."""
        slots = [(pk, p.slot) for pk in pks for p in self._passages(self._records[pk])]
        vectors = self._vectors.get([vector_key(pk, slot) for pk, slot in slots])
        sims = (vectors @ query_vectors.T).max(axis=1)
        result: dict[int, float] = {}
        for (pk, _slot), sim in zip(slots, sims.tolist(), strict=True):
            result[pk] = max(result.get(pk, -1.0), sim)
        return result
