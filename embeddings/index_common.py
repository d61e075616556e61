"""Argument checks and file helpers shared by the `VectorIndex` implementations."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors
from embeddings.index import Keys

MISSING_KEY = -1
META_FILE = "vector_index.json"


def to_keys(keys: Sequence[int] | Keys) -> Keys:
    array = np.asarray(keys)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError("keys must be a flat sequence of integers")
    return array.astype(np.int64, copy=False)


def check_vectors(vectors: Vectors, dimension: int, what: str) -> Vectors:
    array = np.asarray(vectors)
    if array.ndim != 2 or array.shape[1] != dimension:
        raise ValueError(f"{what} must have shape (n, {dimension}), got {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float32)


def check_upsert(
    keys: Sequence[int] | Keys, vectors: Vectors, dimension: int
) -> tuple[Keys, Vectors]:
    key_array = to_keys(keys)
    vector_array = check_vectors(vectors, dimension, "vectors")
    if key_array.shape[0] != vector_array.shape[0]:
        raise ValueError(f"{key_array.shape[0]} keys for {vector_array.shape[0]} vectors")
    if np.any(key_array == MISSING_KEY):
        raise ValueError(f"key {MISSING_KEY} is reserved for empty result slots")
    return key_array, vector_array


def dedupe_last(keys: Keys, vectors: Vectors) -> tuple[Keys, Vectors]:
    """Keep the last occurrence of each key, as if the rows were upserted one by one."""
    if keys.shape[0] < 2:
        return keys, vectors
    _, first_in_reversed = np.unique(keys[::-1], return_index=True)
    if first_in_reversed.shape[0] == keys.shape[0]:
        return keys, vectors  # all distinct: no copy of the vectors
    last = np.sort(keys.shape[0] - 1 - first_in_reversed)
    return keys[last], vectors[last]


def check_queries(queries: Vectors, k: int, dimension: int) -> Vectors:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return check_vectors(queries, dimension, "queries")


def empty_results(n_queries: int, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
    """Result arrays pre-filled for empty slots: score -inf, key -1."""
    return (
        np.full((n_queries, k), -np.inf, dtype=np.float32),
        np.full((n_queries, k), MISSING_KEY, dtype=np.int64),
    )


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write through a temporary file in the same directory, then rename over `path`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_meta(directory: Path, kind: str, dimension: int, count: int) -> None:
    meta = {"kind": kind, "dimension": dimension, "count": count}
    atomic_write(directory / META_FILE, lambda f: f.write(json.dumps(meta).encode()))


def read_meta(directory: Path, kind: str | None, dimension: int | None) -> dict[str, Any]:
    """Read and check the small description saved beside an index (`None`: any)."""
    path = directory / META_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no saved index in {directory}")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise ValueError(f"{directory}: unreadable index description")
    if kind is not None and meta.get("kind") != kind:
        raise ValueError(f"{directory} holds a {meta.get('kind')!r} index, not {kind!r}")
    if dimension is not None and meta.get("dimension") != dimension:
        raise ValueError(
            f"{directory} holds {meta.get('dimension')}-d vectors; this index is {dimension}-d"
        )
    return meta


def write_faiss(path: Path, index: Any) -> None:
    """Save a FAISS index atomically, streamed to the file: `serialize_index` built the whole
    index in memory first, and its bytes were copied once more (at 100k tasks, ~1 GB)."""
    # PyCallbackIOWriter is missing from the stubs faiss ships.
    writer = faiss.PyCallbackIOWriter  # type: ignore[attr-defined]
    atomic_write(path, lambda f: faiss.write_index(index, writer(f.write)))


def read_faiss(path: Path) -> Any:
    """Read a FAISS index straight from its file (no intermediate buffer of its bytes)."""
    if not path.is_file():
        raise FileNotFoundError(f"no saved index at {path}")
    return faiss.read_index(str(path))
