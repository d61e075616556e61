"""`CachedEncoder`: the same vectors as the model, the model asked only for new texts."""

from __future__ import annotations

import numpy as np

from embeddings.cache import CachedEncoder
from embeddings.fake import FakeEncoder


class Counting(FakeEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode_queries(self, texts):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return super().encode_queries(texts)


def test_repeated_queries_are_served_from_the_cache() -> None:
    inner = Counting()
    cached = CachedEncoder(inner, query_cache_size=2)
    first = cached.encode_queries(["a b", "c d", "a b"])
    np.testing.assert_array_equal(first, FakeEncoder().encode_queries(["a b", "c d", "a b"]))
    assert inner.seen == ["a b", "c d"]
    cached.encode_queries(["c d"])
    assert inner.seen == ["a b", "c d"] and cached.hits == 1
    cached.encode_queries(["e f"])  # evicts "a b", the least recently used
    cached.encode_queries(["a b"])
    assert inner.seen == ["a b", "c d", "e f", "a b"]
    assert cached.model_id == inner.model_id and cached.dimension == inner.dimension


def test_size_zero_turns_the_cache_off() -> None:
    inner = Counting()
    cached = CachedEncoder(inner, query_cache_size=0)
    cached.encode_queries(["a"])
    cached.encode_queries(["a"])
    assert inner.seen == ["a", "a"]
