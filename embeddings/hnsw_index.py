"""`HnswIndex`: approximate inner-product search (FAISS HNSW) behind int64 keys.

For sets where an exact scan costs more than a suggestion may: HNSW visits a few thousand
vectors per query whatever the size. FAISS's HNSW cannot delete, so a removed or replaced
key leaves a tombstone: searches skip it through an ID selector, and once tombstones
outnumber a quarter of the live entries the graph is rebuilt from the live vectors.
Vectors are stored as float32 or float16 (`storage`); float16 halves the memory and moved
cosines by < 1e-3 (recall against exact float32 search is tested).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors
from embeddings.index import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    HNSW_VECTORS_PER_EF,
    Keys,
)
from embeddings.index_common import (
    MISSING_KEY,
    atomic_write,
    check_queries,
    check_upsert,
    dedupe_last,
    empty_results,
    read_faiss,
    read_meta,
    to_keys,
    write_faiss,
    write_meta,
)

Storage = Literal["float32", "float16"]
_INDEX_FILE = "index.faiss"
_KEYS_FILE = "hnsw_keys.npz"
_REBUILD_SHARE = 0.25
_COMPACT_BATCH = 16_384


def new_hnsw(dimension: int, m: int, storage: Storage) -> Any:
    if storage == "float16":
        # faiss's bundled stubs type the quantizer kind as a class; it is an int constant.
        return faiss.IndexHNSWSQ(
            dimension,
            faiss.ScalarQuantizer.QT_fp16,  # type: ignore[arg-type]
            m,
            faiss.METRIC_INNER_PRODUCT,
        )
    if storage == "float32":
        return faiss.IndexHNSWFlat(dimension, m, faiss.METRIC_INNER_PRODUCT)
    raise ValueError(f"unknown vector storage {storage!r}")


class HnswIndex:
    """`m` links per node and `ef_construction` trade build time for recall; `ef_search`
    trades query time for recall (recall@10 ≥ 0.99 at the defaults, see the tests).
    `threads` is FAISS's OpenMP count for searches (1: see `FaissIndex`); `build_threads`
    for adding vectors, where both cores do help."""

    def __init__(
        self,
        dimension: int,
        *,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
        ef_search: int = HNSW_EF_SEARCH,
        storage: Storage = "float32",
        threads: int = 1,
        build_threads: int = 2,
    ) -> None:
        if dimension < 1:
            raise ValueError("dimension must be positive")
        if min(m, ef_construction, ef_search, threads, build_threads) < 1:
            raise ValueError("m, ef_construction, ef_search and thread counts must be positive")
        self._dimension = dimension
        self.m, self.ef_construction, self.ef_search = m, ef_construction, ef_search
        self.storage: Storage = storage
        self.threads, self.build_threads = threads, build_threads
        self._reset()

    def _reset(self) -> None:
        self._index = new_hnsw(self._dimension, self.m, self.storage)
        self._index.hnsw.efConstruction = self.ef_construction
        self._slot_keys: Keys = np.zeros(0, dtype=np.int64)  # key of each graph slot
        self._live = np.zeros(0, dtype=bool)
        self._slot_of: dict[int, int] = {}  # live key -> graph slot
        self._selector: Any = None

    @property
    def kind(self) -> str:
        return f"faiss-hnsw-{self.storage}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return len(self._slot_of)

    def keys(self) -> Keys:
        return self._slot_keys[self._live].copy()

    def upsert(self, keys: Sequence[int] | Keys, vectors: Vectors) -> None:
        new_keys, new_vectors = dedupe_last(*check_upsert(keys, vectors, self._dimension))
        if new_keys.shape[0] == 0:
            return
        self._kill(new_keys)
        first = self._slot_keys.shape[0]
        faiss.omp_set_num_threads(self.build_threads)
        self._index.add(new_vectors)
        self._slot_keys = np.concatenate([self._slot_keys, new_keys])
        self._live = np.concatenate([self._live, np.ones(len(new_keys), dtype=bool)])
        self._slot_of.update(
            zip(new_keys.tolist(), range(first, first + len(new_keys)), strict=True)
        )
        self._selector = None
        self._maybe_compact()

    def remove(self, keys: Sequence[int] | Keys) -> None:
        self._kill(to_keys(keys))
        self._maybe_compact()

    def get(self, keys: Sequence[int] | Keys) -> Vectors:
        slots = []
        for key in to_keys(keys).tolist():
            slot = self._slot_of.get(key)
            if slot is None:
                raise KeyError(key)
            slots.append(slot)
        if not slots:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._index.reconstruct_batch(np.asarray(slots, dtype=np.int64))
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def effective_ef(self, k: int) -> int:
        """Candidates a search for `k` visits: `ef_search`, more in a larger graph."""
        return max(self.ef_search, k, -(-len(self) // HNSW_VECTORS_PER_EF))

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        queries = check_queries(queries, k, self._dimension)
        if len(self) == 0 or queries.shape[0] == 0:
            return empty_results(queries.shape[0], k)
        faiss.omp_set_num_threads(self.threads)
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]  # missing in stubs
        params.efSearch = self.effective_ef(k)
        if len(self) < self._slot_keys.shape[0]:
            params.sel = self._dead_filter()
        scores, slots = self._index.search(queries, k, params=params)
        slots = np.asarray(slots, dtype=np.int64)
        missing = slots == MISSING_KEY
        keys = np.where(missing, MISSING_KEY, self._slot_keys[np.where(missing, 0, slots)])
        scores = np.asarray(scores, dtype=np.float32)
        scores[missing] = -np.inf
        return scores, keys

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        write_faiss(directory / _INDEX_FILE, self._index)
        buffer = io.BytesIO()
        np.savez(buffer, keys=self._slot_keys, live=self._live)
        atomic_write(directory / _KEYS_FILE, lambda f: f.write(buffer.getvalue()))
        write_meta(directory, self.kind, self._dimension, len(self))

    def load(self, directory: Path) -> None:
        directory = Path(directory)
        read_meta(directory, self.kind, self._dimension)
        index = read_faiss(directory / _INDEX_FILE)
        with np.load(directory / _KEYS_FILE, allow_pickle=False) as saved:
            slot_keys, live = saved["keys"].astype(np.int64), saved["live"].astype(bool)
        if index.d != self._dimension or not index.ntotal == len(slot_keys) == len(live):
            raise ValueError(f"{directory}: the saved HNSW index and its keys disagree")
        self._index, self._slot_keys, self._live = index, slot_keys, live
        self._slot_of = dict(
            zip(slot_keys[live].tolist(), np.flatnonzero(live).tolist(), strict=True)
        )
        self._selector = None

    def _kill(self, keys: Keys) -> None:
        for key in keys.tolist():
            slot = self._slot_of.pop(key, None)
            if slot is not None:
                self._live[slot] = False
                self._selector = None

    def _dead_filter(self) -> Any:
        if self._selector is None:
            # The bitmap must outlive the selector, which only points at it.
            bits = np.packbits(self._live, bitorder="little")
            self._selector = (faiss.IDSelectorBitmap(len(self._live), faiss.swig_ptr(bits)), bits)
        return self._selector[0]

    def _maybe_compact(self) -> None:
        dead = self._slot_keys.shape[0] - len(self)
        if dead == 0 or dead < _REBUILD_SHARE * max(len(self), 1):
            return
        live_keys = self._slot_keys[self._live]
        old, slot_of = self._index, self._slot_of
        self._reset()
        # In batches: decoding every live vector to float32 at once doubled a large index.
        for start in range(0, len(live_keys), _COMPACT_BATCH):
            keys = live_keys[start : start + _COMPACT_BATCH]
            slots = np.fromiter((slot_of[k] for k in keys.tolist()), np.int64, len(keys))
            self.upsert(keys, np.asarray(old.reconstruct_batch(slots), dtype=np.float32))
