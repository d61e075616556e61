"""`CachedEncoder`: an `Encoder` that never embeds the same text twice when it need not.

Queries go through an LRU of query vectors keyed by text: chat users repeat themselves
("не работает", the same error pasted by several users) and bots retry, so a hit skips the
model pass, which is most of a suggestion. Passages pass straight through (the knowledge
collections embed each distinct passage text once per import themselves). The vectors are
exactly the model's, so `model_id` is the wrapped encoder's and saved indexes stay valid.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from embeddings.encoder import Encoder, EncoderWrapper, Vectors


class CachedEncoder(EncoderWrapper):
    def __init__(self, encoder: Encoder, query_cache_size: int = 1024) -> None:
        if query_cache_size < 0:
            raise ValueError("query_cache_size cannot be negative")
        super().__init__(encoder)
        self.query_cache_size = query_cache_size
        self._queries: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if not self.query_cache_size:
            return self.inner.encode_queries(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for row, text in enumerate(texts):
                cached = self._queries.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(row)
                else:
                    self._queries.move_to_end(text)
                    out[row] = cached
            self.hits += len(texts) - sum(len(rows) for rows in missing.values())
            self.misses += len(missing)
        if missing:
            # The model runs outside the lock: other threads' hits need not wait for it.
            fresh = self.inner.encode_queries(list(missing))
            with self._lock:
                for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                    out[rows] = vector
                    # A copy: a row view would keep the whole batch array alive.
                    self._queries[text] = vector.copy()
                    self._queries.move_to_end(text)
                while len(self._queries) > self.query_cache_size:
                    self._queries.popitem(last=False)
        return out
