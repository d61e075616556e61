"""HNSW recall against exact search, tombstones, and the exact/HNSW switch of `SizedIndex`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings import hnsw_index
from embeddings.faiss_index import FaissIndex
from embeddings.hnsw_index import HnswIndex
from embeddings.numpy_index import NumpyIndex
from embeddings.recall import clustered_vectors, recall_at_k
from embeddings.sized_index import IndexOptions, SizedIndex

DIM = 96
N = 8000


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    vectors = clustered_vectors(N + 200, DIM, seed=1)
    return vectors[:N], vectors[N:]


@pytest.mark.parametrize("storage", ["float32", "float16"])
def test_recall_at_10_against_exact_search(
    data: tuple[np.ndarray, np.ndarray], storage: str
) -> None:
    vectors, queries = data
    exact = NumpyIndex(DIM)
    exact.upsert(np.arange(N), vectors)
    hnsw = HnswIndex(DIM, storage=storage)  # type: ignore[arg-type]
    hnsw.upsert(np.arange(N), vectors)
    assert recall_at_k(hnsw, exact, queries, 10) >= 0.99


def test_a_larger_graph_is_searched_wider(
    data: tuple[np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    vectors, queries = data
    monkeypatch.setattr(hnsw_index, "HNSW_VECTORS_PER_EF", 100)
    index = HnswIndex(DIM, ef_search=16)
    index.upsert(np.arange(1000), vectors[:1000])
    assert index.effective_ef(10) == 16 and index.effective_ef(40) == 40
    index.upsert(np.arange(1000, 4000), vectors[1000:4000])
    assert index.effective_ef(10) == 40
    exact = NumpyIndex(DIM)
    exact.upsert(np.arange(4000), vectors[:4000])
    wide = recall_at_k(index, exact, queries, 10)
    monkeypatch.setattr(hnsw_index, "HNSW_VECTORS_PER_EF", 10**9)
    assert index.effective_ef(10) == 16
    assert wide >= recall_at_k(index, exact, queries, 10)


def test_removed_keys_are_skipped_then_compacted(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    index = HnswIndex(DIM)
    index.upsert(np.arange(1000), vectors[:1000])
    index.remove(np.arange(0, 1000, 10))  # 10 %: tombstones only
    assert len(index) == 900 and index._slot_keys.shape[0] == 1000
    _, keys = index.search(queries, 20)
    assert not (set(keys.ravel().tolist()) & set(range(0, 1000, 10)))
    index.remove(np.arange(1, 1000, 4))  # now past the rebuild share
    assert index._slot_keys.shape[0] == len(index)
    exact = NumpyIndex(DIM)
    exact.upsert(index.keys(), index.get(index.keys()))
    assert recall_at_k(index, exact, queries, 10) >= 0.99


def test_sized_index_switches_kind_and_reloads_it(
    data: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    vectors, queries = data
    index = SizedIndex(DIM, IndexOptions(threshold=500))
    index.upsert(np.arange(300), vectors[:300])
    assert isinstance(index.inner, FaissIndex)
    index.upsert(np.arange(300, 900), vectors[300:900])
    assert isinstance(index.inner, HnswIndex) and len(index) == 900
    index.save(tmp_path)
    restored = SizedIndex(DIM, IndexOptions(threshold=500))
    restored.load(tmp_path)
    assert isinstance(restored.inner, HnswIndex)
    np.testing.assert_array_equal(restored.search(queries, 5)[1], index.search(queries, 5)[1])
    restored.remove(np.arange(800))
    assert isinstance(restored.inner, FaissIndex)
    assert sorted(restored.keys().tolist()) == list(range(800, 900))
