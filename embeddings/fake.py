"""`FakeEncoder`: a deterministic, model-free encoder for unit tests.

Texts become signed feature-hashing vectors of their words and character 3-grams, so
strings sharing words or spelling get high cosine and unrelated ones get about zero.
Hashing uses blake2b, not `hash()`, so vectors are the same in every process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from embeddings.encoder import Vectors

_WORD = re.compile(r"\w+")
_WORD_WEIGHT = 0.5
_TRIGRAM_WEIGHT = 0.5


@lru_cache(maxsize=65536)
def _slot(feature: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    # The lowest bit picks the sign so colliding features tend to cancel, not pile up.
    return (value >> 1) % dimension, 1.0 if value & 1 else -1.0


def _features(text: str) -> list[tuple[str, float]]:
    words = _WORD.findall(text.casefold())
    features = [(f"w:{word}", _WORD_WEIGHT) for word in words]
    for word in words:
        padded = f" {word} "
        features.extend((f"c:{padded[i : i + 3]}", _TRIGRAM_WEIGHT) for i in range(len(padded) - 2))
    return features or [("empty:", 1.0)]


class FakeEncoder:
    def __init__(self, dimension: int = 64) -> None:
        if dimension < 2:
            raise ValueError("dimension must be at least 2")
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"fake-hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def warm_up(self) -> None:
        return None

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in _features(text):
                index, sign = _slot(feature, self._dimension)
                out[row, index] += sign * weight
            norm = float(np.linalg.norm(out[row]))
            if norm == 0.0:
                # Every feature cancelled out; any fixed unit vector keeps the contract.
                out[row, 0] = 1.0
            else:
                out[row] /= norm
        return out

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)
