"""One searchable collection (FAQ or backlog): vectors + lexical index kept in step with the store.

`sync` compares content hashes with what was embedded before and re-embeds only records
that are new or changed. The vector index is saved with an `IndexStamp`; a stamp from
another model, dimension, passage scheme or entry set is never trusted: everything is
re-embedded.

Embedding is the cost of an import. `sync` works through the changed records in chunks
of `SYNC_CHUNK`: it embeds each distinct passage text of a chunk once (sorted by length,
so a padded batch wastes little), then, under the lock, puts the chunk's vectors, lexical
terms and records in place together. Memory therefore stays bounded by a chunk: holding
every float32 vector of a 100,000-task import at once (and the index's copy of it) took
about 2 GB above the index itself. Searches during a long import see the records of the
chunks already done.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Generic, Protocol, TypeVar

import numpy as np

from assist.knowledge.passages import SLOTS_PER_RECORD, Passage, split_key, vector_key
from assist.knowledge.records import Record
from assist.storage.store import Stored
from embeddings.encoder import Encoder, Vectors
from embeddings.index import IndexStamp, VectorIndex
from embeddings.index_common import atomic_write

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Record)
STAMP_FILE = "stamp.json"
ENTRIES_FILE = "entries.json"
LEXICAL_FILE = "lexical.npz"
LEXICAL_STAMP_FILE = "lexical.json"
SOURCES_FILE = "sources.json"
# Texts per encoder call: big enough that sorting by length pays, small enough that the
# progress bar moves every few seconds on 2 cores.
EMBED_CHUNK = 256
# Records embedded and indexed together: ~2,000 passages, so a chunk's float32 vectors
# stay near 7 MB at 896 dimensions while adding to HNSW still happens in large batches.
SYNC_CHUNK = 1024
# Called with (passages embedded so far, passages to embed) while a sync embeds.
Progress = Callable[[int, int], None]


class LexicalRanker(Protocol):
    def upsert(self, keys: Sequence[int], texts: Sequence[str]) -> None: ...

    def remove(self, keys: Sequence[int]) -> None: ...

    def search(self, query: str, k: int, *, normalized: bool = False) -> list[tuple[int, float]]:
        """Best first; with `normalized`, scores are 0..1 and comparable across queries."""
        ...

    @property
    def fingerprint(self) -> str:
        """Changes whenever the same text would be analysed differently."""
        ...

    def save(self, handle: IO[bytes]) -> None: ...

    def load(self, path: Path) -> None: ...


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
    lexical_from_saved: bool = False
    sources_from_saved: bool = False
    embed_seconds: float = 0.0
    index_seconds: float = 0.0


class CollectionIndex(Generic[R]):
    def __init__(
        self,
        name: str,
        encoder: Encoder,
        vectors: VectorIndex,
        lexical: LexicalRanker,
        passages: Callable[[R], list[Passage]],
        lexical_text: Callable[[R], str],
        *,
        scheme: str = "",
    ) -> None:
        self.name = name
        # Names what `passages` makes of a record; a new scheme invalidates saved vectors.
        self.scheme = scheme
        self._encoder = encoder
        self._vectors = vectors
        self._lexical = lexical
        self._passages = passages
        self._lexical_text = lexical_text
        self._records: dict[int, R] = {}
        self._hashes: dict[int, str] = {}  # pk -> index hash the vectors were made from
        # pk -> the store's content hash of the record that index hash was taken from. The
        # content hash covers every indexed field, so while it is unchanged the index hash
        # is too, and a start need not hash every record again (a second per 100k).
        self._sources: dict[int, str] = {}
        # Guards the structures above: searches run in server threads while imports sync.
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._records)

    @property
    def vectors(self) -> VectorIndex:
        """The vector index itself, for measuring it (`assist bench`); not for writing."""
        return self._vectors

    def sync(self, stored: Sequence[Stored[R]], progress: Progress | None = None) -> SyncReport:
        wanted = {s.pk: s for s in stored}
        with self._lock:
            hashes, sources = dict(self._hashes), dict(self._sources)
        gone = [pk for pk in hashes if pk not in wanted]
        digests = {
            s.pk: hashes[s.pk] if sources.get(s.pk) == s.content_hash else s.record.index_hash()
            for s in stored
        }
        changed = [s for s in stored if hashes.get(s.pk) != digests[s.pk]]
        counts = [len(self._passages(s.record)) for s in changed]
        total = sum(counts)
        done = embedded = 0
        embed_seconds = index_seconds = 0.0
        for start in range(0, len(changed), SYNC_CHUNK):
            chunk = changed[start : start + SYNC_CHUNK]
            # Embedding is the slow part: do it before taking the lock so searches go on.
            started = time.perf_counter()
            passages = sum(counts[start : start + SYNC_CHUNK])
            keys, vectors = self._embed(chunk, _within(progress, done, passages, total))
            embedded_at = time.perf_counter()
            with self._lock:
                self._put(chunk, keys, vectors, digests)
            del vectors  # the index holds its own copy now
            index_seconds += time.perf_counter() - embedded_at
            embed_seconds += embedded_at - started
            done += passages
            embedded += len(keys)
        started = time.perf_counter()
        with self._lock:
            self._drop(gone)
            # Records are cheap: always take the store's current copy.
            self._records = {pk: s.record for pk, s in wanted.items()}
            self._sources = {pk: s.content_hash for pk, s in wanted.items()}
        index_seconds += time.perf_counter() - started
        if changed or gone:
            log.info(
                "index synced",
                extra={"collection": self.name, "embedded": len(changed), "removed": len(gone)},
            )
        return SyncReport(
            len(changed),
            embedded,
            len(gone),
            len(wanted),
            embed_seconds=embed_seconds,
            index_seconds=index_seconds,
        )

    def _put(
        self, chunk: Sequence[Stored[R]], keys: list[int], vectors: Vectors, digests: dict[int, str]
    ) -> None:
        """Replace the chunk's records in vectors, lexical terms and records at once, so a
        search never sees a record without its vectors."""
        self._drop([s.pk for s in chunk if s.pk in self._hashes])
        if keys:
            self._vectors.upsert(keys, vectors)
        self._lexical.upsert([s.pk for s in chunk], [self._lexical_text(s.record) for s in chunk])
        self._hashes.update({s.pk: digests[s.pk] for s in chunk})
        self._records.update({s.pk: s.record for s in chunk})

    def rebuild_lexical(self) -> None:
        """Analyse every record again (after a `load` that found no usable saved terms)."""
        with self._lock:
            keys = list(self._records)
            self._lexical.upsert(keys, [self._lexical_text(self._records[pk]) for pk in keys])

    def lexical_hits(self, query_text: str, k: int) -> dict[int, float]:
        """The lexical ranker's candidates for `search` to take: found beforehand, they cost
        nothing while the query is being embedded."""
        with self._lock:
            return dict(self._lexical.search(query_text, _pool(k), normalized=True))

    def search(
        self,
        query_vectors: Vectors,
        query_text: str,
        k: int,
        lexical: Mapping[int, float] | None = None,
    ) -> list[Candidate[R]]:
        """Candidates for a query given as one vector or as rows of vectors (views of the
        same message); a record's dense score is its best passage against its best view.
        `lexical` is `lexical_hits(query_text, k)` when the caller has it already."""
        with self._lock:
            if lexical is None:
                lexical = self.lexical_hits(query_text, k)
            return self._search(query_vectors.reshape(-1, self._encoder.dimension), lexical, k)

    def _search(
        self, query_vectors: Vectors, lexical: Mapping[int, float], k: int
    ) -> list[Candidate[R]]:
        if not self._records:
            return []
        pool = _pool(k)
        dense: dict[int, float] = {}
        scores, keys = self._vectors.search(query_vectors, pool * 4)
        for score, key in zip(scores.ravel().tolist(), keys.ravel().tolist(), strict=True):
            if key < 0:
                continue
            pk, _slot = split_key(key)
            if score > dense.get(pk, -1.0):
                dense[pk] = score
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
            atomic_write(directory / LEXICAL_FILE, self._lexical.save)
            entries = {str(pk): digest for pk, digest in sorted(self._hashes.items())}
            sources = {str(pk): self._sources[pk] for pk in self._hashes if pk in self._sources}
        (directory / ENTRIES_FILE).write_text(json.dumps(entries), encoding="utf-8")
        stamp = self._stamp(entries)
        stamp.write(directory / STAMP_FILE)
        # Written last: the saved terms and sources are trusted only beside the entries
        # they were made with.
        saved_sources = {"checksum": stamp.checksum, "sources": sources}
        (directory / SOURCES_FILE).write_text(json.dumps(saved_sources), encoding="utf-8")
        lexical = {"analysis": self._lexical.fingerprint, "checksum": stamp.checksum}
        (directory / LEXICAL_STAMP_FILE).write_text(json.dumps(lexical), encoding="utf-8")

    def load(self, directory: Path, stored: Sequence[Stored[R]]) -> SyncReport:
        """Load a saved index if its stamp matches this encoder; then sync to `stored`."""
        with self._lock:
            trusted = self._load_trusted(directory)
            lexical = trusted and self._load_lexical(directory)
            if not trusted:
                self._drop(list(self._hashes))
            sources = bool(self._sources)
        report = self.sync(stored)
        if not lexical:
            self.rebuild_lexical()
        return replace(
            report, from_saved=trusted, lexical_from_saved=lexical, sources_from_saved=sources
        )

    def _load_lexical(self, directory: Path) -> bool:
        """Load saved lexical terms when made by this analysis for the entries just loaded."""
        try:
            saved = json.loads((directory / LEXICAL_STAMP_FILE).read_text(encoding="utf-8"))
            stamp = IndexStamp.read(directory / STAMP_FILE)
            if saved != {"analysis": self._lexical.fingerprint, "checksum": stamp.checksum}:
                return False
            self._lexical.load(directory / LEXICAL_FILE)
        except (OSError, ValueError, KeyError) as exc:
            log.warning(
                "saved lexical terms cannot be loaded; analysing again",
                extra={"collection": self.name, "reason": str(exc)},
            )
            return False
        return True

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
        try:
            self._vectors.load(directory)
        except (OSError, ValueError) as exc:
            # Saved with other index settings (vector storage) or damaged: rebuild.
            log.warning(
                "saved vectors cannot be loaded; rebuilding",
                extra={"collection": self.name, "reason": str(exc)},
            )
            return False
        self._hashes = {int(pk): digest for pk, digest in entries.items()}
        self._sources = _saved_sources(directory / SOURCES_FILE, stamp.checksum, self._hashes)
        return True

    def _stamp(self, entries: dict[str, str]) -> IndexStamp:
        digest = hashlib.sha256(json.dumps(entries, sort_keys=True).encode())
        digest.update(b"\0" + self.scheme.encode())
        checksum = digest.hexdigest()
        return IndexStamp(
            model_id=self._encoder.model_id,
            dimension=self._encoder.dimension,
            count=len(entries),
            checksum=checksum[:32],
        )

    def _embed(
        self, batch: Sequence[Stored[R]], progress: Progress | None
    ) -> tuple[list[int], Vectors]:
        keys: list[int] = []
        texts: list[str] = []
        for item in batch:
            for passage in self._passages(item.record):
                keys.append(vector_key(item.pk, passage.slot))
                texts.append(passage.text)
        # Identical passages (copied descriptions, repeated titles) are embedded once.
        unique = list(dict.fromkeys(texts))
        order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
        vectors = np.empty((len(unique), self._encoder.dimension), dtype=np.float32)
        for start in range(0, len(order), EMBED_CHUNK):
            rows = order[start : start + EMBED_CHUNK]
            vectors[rows] = self._encoder.encode_passages([unique[i] for i in rows])
            if progress is not None:
                progress(min(start + EMBED_CHUNK, len(order)), len(order))
        if len(unique) == len(texts):
            return keys, vectors
        row_of = {text: row for row, text in enumerate(unique)}
        return keys, vectors[[row_of[text] for text in texts]]

    def _drop(self, pks: Sequence[int]) -> None:
        if not pks:
            return
        keys = self._vectors.keys()
        # Vectorised: a chunked import drops once per chunk, over every key of the index.
        doomed = keys[np.isin(keys // SLOTS_PER_RECORD, np.asarray(pks, dtype=np.int64))]
        self._vectors.remove(doomed)
        self._lexical.remove(list(pks))
        for pk in pks:
            self._hashes.pop(pk, None)
            self._sources.pop(pk, None)
            self._records.pop(pk, None)

    def _dense_for(self, query_vectors: Vectors, pks: Sequence[int]) -> dict[int, float]:
        """Exact dense scores for candidates only the lexical ranker found."""
        slots = [(pk, p.slot) for pk in pks for p in self._passages(self._records[pk])]
        vectors = self._vectors.get([vector_key(pk, slot) for pk, slot in slots])
        sims = (vectors @ query_vectors.T).max(axis=1)
        result: dict[int, float] = {}
        for (pk, _slot), sim in zip(slots, sims.tolist(), strict=True):
            result[pk] = max(result.get(pk, -1.0), sim)
        return result


def _saved_sources(path: Path, checksum: str, hashes: Mapping[int, str]) -> dict[int, str]:
    """The content hashes saved beside entries with this checksum; none when missing, stale
    or unreadable (every record is then hashed again, as before they were saved)."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["checksum"] != checksum:
            return {}
        return {int(pk): str(h) for pk, h in saved["sources"].items() if int(pk) in hashes}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _pool(k: int) -> int:
    """How many candidates each ranker brings for a final top `k`."""
    return max(4 * k, 20)


def _within(progress: Progress | None, done: int, passages: int, total: int) -> Progress | None:
    """`progress` for one chunk of `passages`, counted in passages of the whole sync (a
    chunk reports distinct texts, fewer when some repeat)."""
    if progress is None:
        return None
    return lambda texts_done, texts: progress(done + passages * texts_done // texts, total)
