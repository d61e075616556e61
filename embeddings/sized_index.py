"""`SizedIndex`: exact search while a collection is small, HNSW once it is large.

Below `threshold` vectors an exact scan is both exact and fast (a 10k × 896 float16 scan
is a few milliseconds on one core); above it, its cost grows with the set while HNSW's
hardly does. The switch happens on upsert (straight to HNSW when a bulk import crosses
the threshold, so a large import never fills a flat index first) and back to exact once
removals leave fewer than half the threshold, so a set hovering near it does not flap.
A saved index is loaded as whatever kind it was saved as.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors
from embeddings.faiss_index import FaissIndex, Storage
from embeddings.hnsw_index import HnswIndex
from embeddings.index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_THRESHOLD, Keys
from embeddings.index_common import read_meta


@dataclass(frozen=True)
class IndexOptions:
    """How `SizedIndex` builds its parts (the `ASSIST_INDEX_*` settings)."""

    threshold: int = HNSW_THRESHOLD
    storage: Storage = "float16"
    hnsw_m: int = HNSW_M
    hnsw_ef_construction: int = HNSW_EF_CONSTRUCTION
    hnsw_ef_search: int = HNSW_EF_SEARCH
    build_threads: int = 2


class SizedIndex:
    def __init__(self, dimension: int, options: IndexOptions | None = None) -> None:
        self.options = options or IndexOptions()
        if self.options.threshold < 0:
            raise ValueError("threshold cannot be negative")
        self._dimension = dimension
        self._inner: FaissIndex | HnswIndex = self._flat()

    @property
    def inner(self) -> FaissIndex | HnswIndex:
        return self._inner

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return len(self._inner)

    def keys(self) -> Keys:
        return self._inner.keys()

    def upsert(self, keys: Sequence[int] | Keys, vectors: Vectors) -> None:
        if isinstance(self._inner, FaissIndex) and len(self) + len(keys) > self.options.threshold:
            # Upper bound (some keys may be replacements), which errs towards HNSW early.
            self._inner = self._move(self._inner, self._hnsw())
        self._inner.upsert(keys, vectors)

    def remove(self, keys: Sequence[int] | Keys) -> None:
        self._inner.remove(keys)
        if isinstance(self._inner, HnswIndex) and len(self) < self.options.threshold // 2:
            self._inner = self._move(self._inner, self._flat())

    def get(self, keys: Sequence[int] | Keys) -> Vectors:
        return self._inner.get(keys)

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        return self._inner.search(queries, k)

    def save(self, directory: Path) -> None:
        self._inner.save(directory)

    def load(self, directory: Path) -> None:
        kind = read_meta_kind(Path(directory))
        inner: FaissIndex | HnswIndex = (
            self._hnsw() if kind.startswith("faiss-hnsw") else self._flat()
        )
        inner.load(directory)
        self._inner = inner

    def _flat(self) -> FaissIndex:
        return FaissIndex(self._dimension, storage=self.options.storage)

    def _hnsw(self) -> HnswIndex:
        o = self.options
        return HnswIndex(
            self._dimension,
            m=o.hnsw_m,
            ef_construction=o.hnsw_ef_construction,
            ef_search=o.hnsw_ef_search,
            storage=o.storage,
            build_threads=o.build_threads,
        )

    @staticmethod
    def _move(
        source: FaissIndex | HnswIndex, target: FaissIndex | HnswIndex
    ) -> FaissIndex | HnswIndex:
        keys = source.keys()
        if len(keys):
            target.upsert(keys, source.get(keys))
        return target


def read_meta_kind(directory: Path) -> str:
    """The kind recorded beside a saved index (`FileNotFoundError` when there is none)."""
    meta = read_meta(directory, kind=None, dimension=None)
    return str(meta.get("kind"))
