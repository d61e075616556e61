"""Helper processes embed interleaved shares of large passage batches, with the same vectors
as the calling process would make; queries and small batches never leave it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from embeddings.encoder import Vectors
from embeddings.fake import FakeEncoder
from embeddings.parallel import ParallelPassageEncoder

TEXTS = [f"текст номер {n} о линии поддержки" + " и ещё" * (n % 7) for n in range(101)]


class _Marked(FakeEncoder):
    """Embeds every passage as the same vector, so a test can see which process did it."""

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), np.float32)
        out[:, 0] = 1.0
        return out


class _Unbuildable(FakeEncoder):
    def __init__(self) -> None:
        raise RuntimeError("no helper may be started in this test")


def test_large_batches_are_shared_and_match_the_local_encoder() -> None:
    parallel = ParallelPassageEncoder(FakeEncoder(), FakeEncoder, 2)
    try:
        np.testing.assert_array_equal(
            parallel.encode_passages(TEXTS), FakeEncoder().encode_passages(TEXTS)
        )
        assert parallel.model_id == FakeEncoder().model_id
        assert parallel.dimension == FakeEncoder().dimension
    finally:
        parallel.close()


def test_each_helper_embeds_its_interleaved_share() -> None:
    parallel = ParallelPassageEncoder(FakeEncoder(), _Marked, 2)
    try:
        vectors = parallel.encode_passages(TEXTS)
    finally:
        parallel.close()
    local = FakeEncoder().encode_passages(TEXTS)
    np.testing.assert_array_equal(vectors[0::3], local[0::3])
    for share in (1, 2):
        assert np.all(vectors[share::3, 0] == 1.0)
        assert np.all(vectors[share::3, 1:] == 0.0)


def test_queries_and_small_batches_stay_in_the_calling_process() -> None:
    parallel = ParallelPassageEncoder(FakeEncoder(), _Unbuildable, 1)
    try:
        local = FakeEncoder()
        np.testing.assert_array_equal(parallel.encode_queries(TEXTS), local.encode_queries(TEXTS))
        np.testing.assert_array_equal(
            parallel.encode_passages(TEXTS[:10]), local.encode_passages(TEXTS[:10])
        )
    finally:
        parallel.close()


def test_at_least_one_helper() -> None:
    with pytest.raises(ValueError, match="helper"):
        ParallelPassageEncoder(FakeEncoder(), FakeEncoder, 0)
    parallel = ParallelPassageEncoder(FakeEncoder(), FakeEncoder, 1)
    try:
        with pytest.raises(TypeError):
            parallel.encode_passages("one text")
    finally:
        parallel.close()
