"""`FaissIndex`: inner-product search with FAISS behind int64 keys.

Only exact search ("flat") exists today: it is exact, needs no training and supports
removal, and the knowledge bases are small. `_new_index` is the one place that builds
the FAISS structure; an approximate kind for large sets (HNSW) belongs there. Note for
that day: FAISS's HNSW cannot remove vectors, so upsert/remove would need a rebuild or
tombstones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors
from embeddings.index import Keys
from embeddings.index_common import (
    MISSING_KEY,
    atomic_write,
    check_queries,
    check_upsert,
    dedupe_last,
    empty_results,
    read_meta,
    to_keys,
    write_meta,
)

IndexKind = Literal["flat"]
_INDEX_FILE = "index.faiss"


def _new_index(dimension: int, kind: IndexKind) -> Any:
    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    raise ValueError(f"unknown FAISS index kind {kind!r}; known: {get_args(IndexKind)}")


class FaissIndex:
    """`threads` is FAISS's OpenMP thread count for searches from this object.

    One by default: a single query over a small flat index gains nothing from more, and
    OpenMP threads left spinning next to torch on 2 cores slowed the next e5 encode by
    ~10 ms. It is set before each search because OpenMP keeps it per calling thread.
    """

    def __init__(self, dimension: int, kind: IndexKind = "flat", *, threads: int = 1) -> None:
        if dimension < 1:
            raise ValueError("dimension must be positive")
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self._dimension = dimension
        self.kind: IndexKind = kind
        self.threads = threads
        self._index = _new_index(dimension, kind)

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def keys(self) -> Keys:
        keys: Keys = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return keys

    def upsert(self, keys: Sequence[int] | Keys, vectors: Vectors) -> None:
        new_keys, new_vectors = dedupe_last(*check_upsert(keys, vectors, self._dimension))
        if new_keys.shape[0] == 0:
            return
        self._index.remove_ids(new_keys)
        self._index.add_with_ids(new_vectors, new_keys)

    def remove(self, keys: Sequence[int] | Keys) -> None:
        key_array = to_keys(keys)
        if key_array.shape[0]:
            self._index.remove_ids(key_array)

    def get(self, keys: Sequence[int] | Keys) -> Vectors:
        wanted = to_keys(keys)
        out = np.empty((len(wanted), self._dimension), dtype=np.float32)
        for row, key in enumerate(wanted.tolist()):
            try:
                out[row] = self._index.reconstruct(key)
            except RuntimeError:  # FAISS reports an unknown id this way
                raise KeyError(key) from None
        return out

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        queries = check_queries(queries, k, self._dimension)
        if len(self) == 0 or queries.shape[0] == 0:
            return empty_results(queries.shape[0], k)
        faiss.omp_set_num_threads(self.threads)
        scores, keys = self._index.search(queries, k)
        scores = np.asarray(scores, dtype=np.float32)
        keys = np.asarray(keys, dtype=np.int64)
        # FAISS pads missing slots with -FLT_MAX; make them match the protocol (-inf).
        scores[keys == MISSING_KEY] = -np.inf
        return scores, keys

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        data = faiss.serialize_index(self._index)
        atomic_write(directory / _INDEX_FILE, lambda f: f.write(np.asarray(data).tobytes()))
        write_meta(directory, f"faiss-{self.kind}", self._dimension, len(self))

    def load(self, directory: Path) -> None:
        directory = Path(directory)
        read_meta(directory, f"faiss-{self.kind}", self._dimension)
        raw = np.fromfile(directory / _INDEX_FILE, dtype=np.uint8)
        index = faiss.deserialize_index(raw)
        if not isinstance(index, faiss.IndexIDMap2) or index.d != self._dimension:
            raise ValueError(f"{directory}: unexpected FAISS index {type(index).__name__}")
        self._index = index
