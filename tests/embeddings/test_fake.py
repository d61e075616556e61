from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.fake import FakeEncoder

REPO = Path(__file__).resolve().parents[2]


def test_similar_strings_score_higher_than_unrelated() -> None:
    encoder = FakeEncoder()
    base, close, far = encoder.encode_queries(
        ["не могу войти в приложение", "не получается войти в приложение", "счёт за май"]
    )
    assert float(base @ close) > 0.5
    assert float(base @ close) > float(base @ far) + 0.3


def test_spelling_variants_still_match() -> None:
    # Character 3-grams let a typo or another word form share most features.
    encoder = FakeEncoder(256)
    word, typo, other = encoder.encode_passages(["пароль", "пароля", "звонок"])
    assert float(word @ typo) > float(word @ other) + 0.3


def test_unit_float32_rows_and_empty_text() -> None:
    vectors = FakeEncoder(16).encode_passages(["", "   ", "a", "Привет, мир!"])
    assert vectors.shape == (4, 16) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_same_vectors_in_another_process() -> None:
    # blake2b, not hash(): PYTHONHASHSEED must not matter.
    code = (
        "from embeddings.fake import FakeEncoder;"
        "print(FakeEncoder(8).encode_queries(['тест стабильности']).round(6).tolist())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    expected = FakeEncoder(8).encode_queries(["тест стабильности"]).round(6).tolist()
    assert runs == {f"{expected}\n"}


def test_rejects_tiny_dimension() -> None:
    with pytest.raises(ValueError):
        FakeEncoder(1)
