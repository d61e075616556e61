"""Logistic-regression heads over the message embedding, one per policy flag.

Trained by `python -m assist.policy.train_heads` for one embedding model and shipped as
`flag_heads.npz` (no pickle). The rules that use them (scope, conduct) also have explicit
phrasings that work with any model; with another embedding model the heads stay off.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

from assist.knowledge.records import FlagCode

log = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("flag_heads.npz")


@dataclass(frozen=True)
class FlagHeads:
    model_id: str  # the embedding model the heads were trained on
    flags: tuple[FlagCode, ...]
    weights: npt.NDArray[np.float32]  # (flags, dimension)
    biases: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]

    def probabilities(self, vector: npt.NDArray[np.float32]) -> dict[FlagCode, float]:
        z = self.weights.astype(np.float64) @ vector.astype(np.float64) + self.biases
        return dict(zip(self.flags, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))

    def fired(self, vector: npt.NDArray[np.float32]) -> dict[FlagCode, float]:
        """The flags whose probability reaches their threshold, with that probability."""
        return {
            code: p
            for (code, p), threshold in zip(
                self.probabilities(vector).items(), self.thresholds.tolist(), strict=True
            )
            if p >= threshold
        }

    def save(self, path: Path) -> None:
        meta = json.dumps({"model_id": self.model_id, "flags": list(self.flags)})
        np.savez(path, weights=self.weights, biases=self.biases, thresholds=self.thresholds,
                 meta=np.array(meta))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> FlagHeads:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            flags = tuple(cast(list[FlagCode], meta["flags"]))
            return cls(meta["model_id"], flags, data["weights"], data["biases"], data["thresholds"])


def load_heads(model_id: str, path: Path = MODEL_PATH) -> FlagHeads | None:
    """The shipped heads when they were trained for `model_id`, else None (logged)."""
    if not path.exists():
        log.warning("no flag heads; explicit phrasings only", extra={"path": str(path)})
        return None
    heads = FlagHeads.load(path)
    if heads.model_id != model_id:
        log.warning(
            "flag heads were trained for another embedding model; explicit phrasings only",
            extra={"trained_for": heads.model_id, "model": model_id},
        )
        return None
    return heads
