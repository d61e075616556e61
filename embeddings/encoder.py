"""The `Encoder` protocol: what retrieval needs from any embedding model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    Queries and passages are encoded separately because asymmetric models (e5) need
    different prefixes for each; symmetric models simply ignore the difference.
    """

    @property
    def model_id(self) -> str:
        """Stable identifier stamped on saved indexes; a change forces a rebuild."""
        ...

    @property
    def dimension(self) -> int: ...

    def warm_up(self) -> None:
        """Load weights and run one tiny batch so the first request is not slow."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> Vectors: ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors: ...


class EncoderWrapper:
    """Base of encoders that wrap another and keep its vectors exactly: the same model id
    (so saved indexes stay valid), dimension and warm-up; a subclass overrides how queries
    or passages reach the wrapped encoder."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def warm_up(self) -> None:
        self.inner.warm_up()

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.encode_passages(texts)
