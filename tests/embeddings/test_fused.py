from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from embeddings.encoder import Encoder, Vectors
from embeddings.fake import FakeEncoder
from embeddings.fused import ConcatEncoder

TEXTS = ["сброс пароля", "как сбросить пароль", "видеозвонки на linux", "reset password"]


class PrefixedFake(FakeEncoder):
    """An asymmetric stand-in: queries and passages get different marker words."""

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return super().encode_queries([f"q {t}" for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return super().encode_passages([f"p {t}" for t in texts])


def _parts() -> list[tuple[Encoder, float]]:
    return [(FakeEncoder(32), 3.0), (PrefixedFake(48), 1.0)]


def test_inner_product_is_weighted_mean_of_cosines() -> None:
    parts = _parts()
    fused = ConcatEncoder(parts)
    queries, passages = fused.encode_queries(TEXTS), fused.encode_passages(TEXTS)
    expected = sum(
        weight / 4.0 * (enc.encode_queries(TEXTS) @ enc.encode_passages(TEXTS).T)
        for enc, weight in parts
    )
    np.testing.assert_allclose(queries @ passages.T, expected, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-6)


def test_dimension_and_blocks() -> None:
    fused = ConcatEncoder(_parts())
    assert fused.dimension == 80
    vectors = fused.encode_passages(TEXTS)
    assert vectors.shape == (4, 80) and vectors.dtype == np.float32
    np.testing.assert_allclose(
        vectors[:, :32], np.sqrt(0.75) * FakeEncoder(32).encode_passages(TEXTS), atol=1e-6
    )
    assert fused.weights == [0.75, 0.25]
    assert fused.encode_queries([]).shape == (0, 80)


def test_model_id_combines_parts_and_normalised_weights() -> None:
    a, b = FakeEncoder(32), FakeEncoder(16)
    one = ConcatEncoder([(a, 1.0), (b, 1.0)])
    assert one.model_id == "concat(fake-hashing-32*0.5,fake-hashing-16*0.5)"
    assert ConcatEncoder([(a, 0.5), (b, 0.5)]).model_id == one.model_id
    assert ConcatEncoder([(a, 0.7), (b, 0.3)]).model_id != one.model_id
    assert ConcatEncoder([(b, 1.0), (a, 1.0)]).model_id != one.model_id


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan"), float("inf")])
def test_rejects_bad_weights(weight: float) -> None:
    with pytest.raises(ValueError):
        ConcatEncoder([(FakeEncoder(), 1.0), (FakeEncoder(), weight)])


def test_rejects_no_parts() -> None:
    with pytest.raises(ValueError):
        ConcatEncoder([])
