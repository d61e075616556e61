"""`ConcatEncoder`: several encoders fused into one vector space by weighted concatenation.

Each part's unit vector is scaled by sqrt(w_i / sum(w)) and the parts are concatenated.
The result is again a unit vector, and the inner product of two fused vectors is
sum_i (w_i / sum(w)) * cos_i: the weighted mean of the parts' cosines. One index and one
search then score with all models at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from embeddings.encoder import Encoder, Vectors


class ConcatEncoder:
    def __init__(self, parts: Sequence[tuple[Encoder, float]]) -> None:
        if not parts:
            raise ValueError("ConcatEncoder needs at least one part")
        for encoder, weight in parts:
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(f"weight of {encoder.model_id} must be positive, got {weight}")
        total = sum(weight for _, weight in parts)
        self.parts: list[tuple[Encoder, float]] = [(enc, w / total) for enc, w in parts]
        self._scales = [math.sqrt(share) for _, share in self.parts]
        # Normalised weights in the id: (1, 1) and (0.5, 0.5) give the same vectors.
        self._model_id = (
            "concat(" + ",".join(f"{enc.model_id}*{share:.4g}" for enc, share in self.parts) + ")"
        )

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return sum(encoder.dimension for encoder, _ in self.parts)

    @property
    def weights(self) -> list[float]:
        """Each part's share of the score, summing to 1."""
        return [share for _, share in self.parts]

    def warm_up(self) -> None:
        for encoder, _ in self.parts:
            encoder.warm_up()

    def _fuse(self, blocks: list[Vectors]) -> Vectors:
        scaled = [
            block * np.float32(scale) for block, scale in zip(blocks, self._scales, strict=True)
        ]
        return np.ascontiguousarray(np.concatenate(scaled, axis=1), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._fuse([encoder.encode_queries(texts) for encoder, _ in self.parts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._fuse([encoder.encode_passages(texts) for encoder, _ in self.parts])
