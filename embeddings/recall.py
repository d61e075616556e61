"""Recall of an approximate index against exact search: the check behind the HNSW settings."""

from __future__ import annotations

import numpy as np

from embeddings.encoder import Vectors
from embeddings.index import VectorIndex


def recall_at_k(approximate: VectorIndex, exact: VectorIndex, queries: Vectors, k: int) -> float:
    """Share of the exact top-k keys the approximate index also returns in its top k,
    averaged over queries (queries with fewer than k candidates count what exists)."""
    _, truth = exact.search(queries, k)
    _, found = approximate.search(queries, k)
    hits = total = 0
    for want, got in zip(truth.tolist(), found.tolist(), strict=True):
        wanted = {key for key in want if key >= 0}
        hits += len(wanted & set(got))
        total += len(wanted)
    return hits / total if total else 1.0


def clustered_vectors(n: int, dimension: int, *, clusters: int = 200, seed: int = 0) -> Vectors:
    """Unit vectors around random centres: closer to text embeddings than uniform noise,
    whose neighbours are all nearly equidistant (and which no real corpus looks like)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dimension)).astype(np.float32)
    rows = centres[rng.integers(0, clusters, n)] + 0.6 * rng.standard_normal((n, dimension))
    rows = rows.astype(np.float32)
    normalised: Vectors = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return normalised
