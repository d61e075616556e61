"""`NumpyIndex`: exact inner-product search with plain numpy, for small sets and tests.

Single-threaded on purpose (see `search`); FAISS is the choice once sets grow. With
`storage="float16"` vectors take half the memory and are widened to float32 a block at a
time during a search, so a search never holds a float32 copy of the whole set.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors
from embeddings.index import Keys
from embeddings.index_common import (
    atomic_write,
    check_queries,
    check_upsert,
    dedupe_last,
    empty_results,
    read_meta,
    to_keys,
    write_meta,
)

KIND = "numpy"
_VECTORS_FILE = "vectors.npy"
_KEYS_FILE = "keys.npy"
_BLOCK = 8192
Storage = Literal["float32", "float16"]
Stored = npt.NDArray[np.float32] | npt.NDArray[np.float16]


class NumpyIndex:
    def __init__(self, dimension: int, *, storage: Storage = "float32") -> None:
        if dimension < 1:
            raise ValueError("dimension must be positive")
        self._dimension = dimension
        self._dtype = np.dtype(storage)
        self._keys: Keys = np.zeros(0, dtype=np.int64)
        self._vectors: Stored = np.zeros((0, dimension), dtype=self._dtype)

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return int(self._keys.shape[0])

    def keys(self) -> Keys:
        return self._keys.copy()

    def upsert(self, keys: Sequence[int] | Keys, vectors: Vectors) -> None:
        new_keys, new_vectors = dedupe_last(*check_upsert(keys, vectors, self._dimension))
        keep = ~np.isin(self._keys, new_keys)
        self._keys = np.concatenate([self._keys[keep], new_keys])
        self._vectors = np.concatenate([self._vectors[keep], new_vectors.astype(self._dtype)])

    def remove(self, keys: Sequence[int] | Keys) -> None:
        keep = ~np.isin(self._keys, to_keys(keys))
        self._keys = self._keys[keep]
        self._vectors = self._vectors[keep]

    def get(self, keys: Sequence[int] | Keys) -> Vectors:
        wanted = to_keys(keys)
        order = np.argsort(self._keys, kind="stable")
        sorted_keys = self._keys[order]
        rows = np.minimum(np.searchsorted(sorted_keys, wanted), max(len(self) - 1, 0))
        found = sorted_keys[rows] == wanted if len(self) else np.zeros(len(wanted), dtype=bool)
        if not np.all(found):
            raise KeyError(int(wanted[~found][0]))
        return self._vectors[order[rows]].astype(np.float32)

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        queries = check_queries(queries, k, self._dimension)
        scores, keys = empty_results(queries.shape[0], k)
        found = min(k, len(self))
        if found == 0 or queries.shape[0] == 0:
            return scores, keys
        # einsum without `optimize` stays out of BLAS: a multi-threaded OpenBLAS call next
        # to torch on 2 cores left spinning threads that doubled the next encode's latency.
        similarity = np.empty((queries.shape[0], len(self)), dtype=np.float32)
        for start in range(0, len(self), _BLOCK):
            block = self._vectors[start : start + _BLOCK].astype(np.float32, copy=False)
            similarity[:, start : start + _BLOCK] = np.einsum(
                "qd,nd->qn", queries, block, optimize=False
            )
        if found < len(self):
            top = np.argpartition(-similarity, found - 1, axis=1)[:, :found]
        else:
            top = np.broadcast_to(np.arange(len(self)), (queries.shape[0], len(self)))
        top_scores = np.take_along_axis(similarity, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        best = np.take_along_axis(top, order, axis=1)
        scores[:, :found] = np.take_along_axis(similarity, best, axis=1)
        keys[:, :found] = self._keys[best]
        return scores, keys

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write(directory / _VECTORS_FILE, lambda f: np.save(f, self._vectors))
        atomic_write(directory / _KEYS_FILE, lambda f: np.save(f, self._keys))
        write_meta(directory, KIND, self._dimension, len(self))

    def load(self, directory: Path) -> None:
        directory = Path(directory)
        read_meta(directory, KIND, self._dimension)
        vectors = np.load(directory / _VECTORS_FILE, allow_pickle=False)
        keys = np.load(directory / _KEYS_FILE, allow_pickle=False)
        if vectors.ndim != 2 or vectors.shape != (keys.shape[0], self._dimension):
            raise ValueError(f"{directory}: stored vectors have shape {vectors.shape}")
        self._vectors = np.ascontiguousarray(vectors, dtype=self._dtype)
        self._keys = np.ascontiguousarray(keys, dtype=np.int64)
