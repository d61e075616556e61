"""`FaissIndex`: exact inner-product search with FAISS behind int64 keys.

Exact ("flat") search needs no training and supports removal; vectors are stored as
float32 or, at half the memory, float16 (FAISS's fp16 scalar quantizer, decoded with SIMD
during the scan). Large sets go to `HnswIndex` instead (see `sized_index.py`).
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

IndexKind = Literal["flat"]
Storage = Literal["float32", "float16"]
_INDEX_FILE = "index.faiss"


def _new_index(dimension: int, kind: IndexKind, storage: Storage) -> Any:
    if kind != "flat":
        raise ValueError(f"unknown FAISS index kind {kind!r}; known: {get_args(IndexKind)}")
    if storage == "float32":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    if storage == "float16":
        quantizer = faiss.ScalarQuantizer.QT_fp16
        return faiss.IndexIDMap2(
            faiss.IndexScalarQuantizer(dimension, quantizer, faiss.METRIC_INNER_PRODUCT)
        )
    raise ValueError(f"unknown vector storage {storage!r}; known: {get_args(Storage)}")


class FaissIndex:
    """`threads` is FAISS's OpenMP thread count for searches from this object.

    One by default: a single query over a small flat index gains nothing from more, and
    OpenMP threads left spinning next to torch on 2 cores slowed the next e5 encode by
    ~10 ms. It is set before each search because OpenMP keeps it per calling thread.
    """

    def __init__(
        self,
        dimension: int,
        kind: IndexKind = "flat",
        *,
        threads: int = 1,
        storage: Storage = "float32",
    ) -> None:
        if dimension < 1:
            raise ValueError("dimension must be positive")
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self._dimension = dimension
        self.kind: IndexKind = kind
        self.threads = threads
        self.storage: Storage = storage
        self._index = _new_index(dimension, kind, storage)

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
        if wanted.shape[0] == 0:
            return np.zeros((0, self._dimension), dtype=np.float32)
        try:
            vectors = self._index.reconstruct_batch(wanted)
        except RuntimeError:  # FAISS reports an unknown id this way
            known = set(self.keys().tolist())
            raise KeyError(next(k for k in wanted.tolist() if k not in known)) from None
        return np.ascontiguousarray(vectors, dtype=np.float32)

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

    @property
    def _meta_kind(self) -> str:
        # float32 keeps the name older saves carry, so they still load.
        return f"faiss-{self.kind}" + ("" if self.storage == "float32" else f"-{self.storage}")

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        write_faiss(directory / _INDEX_FILE, self._index)
        write_meta(directory, self._meta_kind, self._dimension, len(self))

    def load(self, directory: Path) -> None:
        directory = Path(directory)
        read_meta(directory, self._meta_kind, self._dimension)
        index = read_faiss(directory / _INDEX_FILE)
        if not isinstance(index, faiss.IndexIDMap2) or index.d != self._dimension:
            raise ValueError(f"{directory}: unexpected FAISS index {type(index).__name__}")
        self._index = index
