"""The `VectorIndex` contract, run against every implementation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from embeddings.faiss_index import FaissIndex
from embeddings.hnsw_index import HnswIndex
from embeddings.index import VectorIndex
from embeddings.numpy_index import NumpyIndex
from embeddings.sized_index import IndexOptions, SizedIndex

DIM = 8
Factory = Callable[[int], VectorIndex]


IMPLEMENTATIONS: dict[str, Factory] = {
    "numpy": NumpyIndex,
    "numpy-fp16": lambda d: NumpyIndex(d, storage="float16"),
    "faiss": FaissIndex,
    "faiss-fp16": lambda d: FaissIndex(d, storage="float16"),
    "hnsw": HnswIndex,
    "hnsw-fp16": lambda d: HnswIndex(d, storage="float16"),
    # A tiny threshold so the contract runs across the switch between exact and HNSW.
    "sized": lambda d: SizedIndex(d, IndexOptions(threshold=3)),
}


@pytest.fixture(params=list(IMPLEMENTATIONS.values()), ids=list(IMPLEMENTATIONS))
def make_index(request: pytest.FixtureRequest) -> Factory:
    factory: Factory = request.param
    return factory


def unit(rows: npt.ArrayLike) -> npt.NDArray[np.float32]:
    array = np.asarray(rows, dtype=np.float32)
    normalised: npt.NDArray[np.float32] = array / np.linalg.norm(array, axis=1, keepdims=True)
    return normalised


def basis(*indices: int) -> npt.NDArray[np.float32]:
    return np.eye(DIM, dtype=np.float32)[list(indices)]


def test_is_a_vector_index(make_index: Factory) -> None:
    index = make_index(DIM)
    assert isinstance(index, VectorIndex)
    assert index.dimension == DIM and len(index) == 0
    assert index.keys().dtype == np.int64 and index.keys().shape == (0,)


def test_search_returns_best_first(make_index: Factory) -> None:
    index = make_index(DIM)
    query = unit([[1, 0.5, 0.2, 0, 0, 0, 0, 0]])
    index.upsert([10, 20, 30, 40], basis(3, 2, 0, 1))
    scores, keys = index.search(query, 3)
    assert keys.tolist() == [[30, 40, 20]]
    assert scores.dtype == np.float32 and keys.dtype == np.int64
    np.testing.assert_allclose(scores[0], query[0, [0, 1, 2]], atol=1e-6)
    assert list(scores[0]) == sorted(scores[0], reverse=True)


def test_several_queries_at_once(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert(np.array([1, 2, 3], dtype=np.int64), basis(0, 1, 2))
    _, keys = index.search(basis(2, 0), 1)
    assert keys.tolist() == [[3], [1]]


def test_upsert_replaces_existing_key(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([1, 2], basis(0, 1))
    index.upsert([2, 3], basis(4, 5))
    assert len(index) == 3
    assert sorted(index.keys().tolist()) == [1, 2, 3]
    _, keys = index.search(basis(4), 1)
    assert keys.tolist() == [[2]]
    np.testing.assert_array_equal(index.get([2]), basis(4))


def test_duplicate_keys_in_one_upsert_keep_the_last(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([7, 7], basis(0, 1))
    assert len(index) == 1
    scores, keys = index.search(basis(1), 1)
    assert keys.tolist() == [[7]] and scores[0, 0] == pytest.approx(1.0)


def test_get_returns_stored_vectors_in_order(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([4, 9, 2], basis(0, 1, 2))
    np.testing.assert_array_equal(index.get([2, 4, 2]), basis(2, 0, 2))
    assert index.get([]).shape == (0, DIM)
    index.upsert([9], basis(7))
    np.testing.assert_array_equal(index.get(np.array([9])), basis(7))
    with pytest.raises(KeyError):
        index.get([4, 5])
    with pytest.raises(KeyError):
        make_index(DIM).get([1])


def test_remove_ignores_unknown_keys(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([1, 2, 3], basis(0, 1, 2))
    index.remove([2, 99])
    index.remove([])
    assert sorted(index.keys().tolist()) == [1, 3]
    _, keys = index.search(basis(1), 3)
    assert 2 not in keys.tolist()[0]


def test_k_beyond_size_pads_with_minus_one(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([5, 6], basis(0, 1))
    scores, keys = index.search(basis(0), 4)
    assert keys.tolist() == [[5, 6, -1, -1]]
    assert np.all(np.isneginf(scores[0, 2:]))


def test_empty_index_search(make_index: Factory) -> None:
    index = make_index(DIM)
    scores, keys = index.search(basis(0, 1), 3)
    assert keys.shape == (2, 3) and np.all(keys == -1)
    assert scores.shape == (2, 3) and np.all(np.isneginf(scores))
    index.upsert([1], basis(0))
    index.remove([1])
    assert index.search(basis(0), 1)[1].tolist() == [[-1]]


def test_no_queries(make_index: Factory) -> None:
    index = make_index(DIM)
    index.upsert([1], basis(0))
    scores, keys = index.search(np.zeros((0, DIM), dtype=np.float32), 2)
    assert scores.shape == keys.shape == (0, 2)


def test_dimension_mismatch_is_an_error(make_index: Factory) -> None:
    index = make_index(DIM)
    with pytest.raises(ValueError):
        index.upsert([1], np.ones((1, DIM + 1), dtype=np.float32))
    with pytest.raises(ValueError):
        index.search(np.ones((1, DIM - 1), dtype=np.float32), 1)
    with pytest.raises(ValueError):
        index.upsert([1, 2], basis(0))


def test_bad_arguments(make_index: Factory) -> None:
    index = make_index(DIM)
    with pytest.raises(ValueError):
        index.search(basis(0), 0)
    with pytest.raises(ValueError):
        index.upsert([-1], basis(0))


def test_save_load_round_trip(make_index: Factory, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    vectors = unit(rng.standard_normal((50, DIM)))
    index = make_index(DIM)
    index.upsert(np.arange(100, 150), vectors)
    index.remove([100, 149])
    index.save(tmp_path / "idx")

    restored = make_index(DIM)
    restored.load(tmp_path / "idx")
    assert len(restored) == 48
    assert sorted(restored.keys().tolist()) == list(range(101, 149))
    queries = unit(rng.standard_normal((5, DIM)))
    for a, b in zip(index.search(queries, 7), restored.search(queries, 7), strict=True):
        np.testing.assert_array_equal(a, b)
    restored.upsert([500], basis(0))
    assert len(restored) == 49


def test_load_rejects_other_dimension_and_missing_dir(make_index: Factory, tmp_path: Path) -> None:
    index = make_index(DIM)
    index.upsert([1], basis(0))
    index.save(tmp_path / "idx")
    with pytest.raises(ValueError):
        make_index(DIM * 2).load(tmp_path / "idx")
    with pytest.raises(FileNotFoundError):
        make_index(DIM).load(tmp_path / "absent")


def test_save_overwrites_previous_save(make_index: Factory, tmp_path: Path) -> None:
    index = make_index(DIM)
    index.upsert([1, 2], basis(0, 1))
    index.save(tmp_path)
    index.remove([1])
    index.save(tmp_path)
    restored = make_index(DIM)
    restored.load(tmp_path)
    assert restored.keys().tolist() == [2]
