"""The `Encoder` contract: the fake encoder always, the real default and its int8 ONNX e5
under `integration`."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from embeddings.encoder import Encoder
from embeddings.fake import FakeEncoder
from embeddings.fused import ConcatEncoder
from embeddings.parallel import ParallelPassageEncoder

TEXTS = [
    "Не приходят уведомления о новых сообщениях",
    "How do I add a specialist to a support line?",
    "Когда будет поддержка Linux?",
    "",
]


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("fused-fake", id="fused-fake"),
        pytest.param("parallel-fake", id="parallel-fake"),
        pytest.param("e5-onnx", id="e5-onnx", marks=pytest.mark.integration),
        pytest.param("default", id="default", marks=pytest.mark.integration),
    ]
)
def encoder(request: pytest.FixtureRequest) -> Iterator[Encoder]:
    if request.param == "fake":
        yield FakeEncoder()
    elif request.param == "fused-fake":
        yield ConcatEncoder([(FakeEncoder(32), 1.0), (FakeEncoder(16), 2.0)])
    elif request.param == "parallel-fake":
        # Every batch of two or more goes through the helper process.
        parallel = ParallelPassageEncoder(FakeEncoder(), FakeEncoder, 1, min_shared_batch=2)
        yield parallel
        parallel.close()
    else:
        fixture = "e5_onnx_encoder" if request.param == "e5-onnx" else "default_encoder"
        yield request.getfixturevalue(fixture)


def test_is_an_encoder(encoder: Encoder) -> None:
    assert isinstance(encoder, Encoder)
    assert isinstance(encoder.model_id, str) and encoder.model_id
    assert encoder.dimension > 0
    encoder.warm_up()


@pytest.mark.parametrize("side", ["queries", "passages"])
def test_shape_dtype_and_unit_norm(encoder: Encoder, side: str) -> None:
    encode = encoder.encode_queries if side == "queries" else encoder.encode_passages
    vectors = encode(TEXTS)
    assert vectors.shape == (len(TEXTS), encoder.dimension)
    assert vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_deterministic_and_batch_independent(encoder: Encoder) -> None:
    batch = encoder.encode_queries(TEXTS)
    np.testing.assert_allclose(encoder.encode_queries(TEXTS), batch, atol=1e-6)
    # A text alone and inside a batch (with padding) must embed the same.
    np.testing.assert_allclose(encoder.encode_queries(TEXTS[2:3])[0], batch[2], atol=1e-4)


def test_empty_input(encoder: Encoder) -> None:
    for encode in (encoder.encode_queries, encoder.encode_passages):
        vectors = encode([])
        assert vectors.shape == (0, encoder.dimension) and vectors.dtype == np.float32


def test_model_id_is_stable(encoder: Encoder) -> None:
    first = encoder.model_id
    encoder.encode_passages(TEXTS[:1])
    assert encoder.model_id == first


def test_related_texts_are_closer(encoder: Encoder) -> None:
    queries = encoder.encode_queries(["не приходят уведомления о сообщениях"])
    passages = encoder.encode_passages(
        ["Не приходят уведомления о новых сообщениях", "Когда будет поддержка Linux?"]
    )
    related, unrelated = (passages @ queries[0]).tolist()
    assert related > unrelated
