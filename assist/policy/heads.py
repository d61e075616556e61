"""Logistic-regression heads over the message embedding, one per policy flag.

Trained by `python -m assist.policy.train_heads` for one embedding model and shipped as
`flag_heads.npz` (no pickle). Heads may also read the message's words and lexicon signals
(:mod:`assist.policy.text_features`), and how near it comes to flagged and unflagged
training messages (:mod:`assist.policy.neighbours`); a head trained without them has zero
weights there.
The rules that use them (scope, conduct) also have explicit
phrasings that work with any model; with another embedding model the heads stay off.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from assist.knowledge.records import FlagCode
from assist.policy.neighbours import FEATURES, Neighbours
from assist.policy.text_features import LEXICON_SIZE, WordFeatures, lexicon_features

log = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("flag_heads.npz")


class _Recent:
    """The last few messages' probabilities (thread-safe, oldest dropped first)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[bytes, str], dict[FlagCode, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[bytes, str]) -> dict[FlagCode, float] | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[bytes, str], value: dict[FlagCode, float]) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class FlagHeads:
    model_id: str  # the embedding model the heads were trained on
    flags: tuple[FlagCode, ...]
    weights: npt.NDArray[np.float32]  # (flags, dimension)
    biases: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]
    words: WordFeatures | None = None
    # (flags, words.size + LEXICON_SIZE): the weights of the words, then of the lexicon.
    text_weights: npt.NDArray[np.float32] | None = None
    neighbours: Neighbours | None = None
    # (neighbours.flags, FEATURES): each of those flags' weights of its own neighbour features.
    neighbour_weights: npt.NDArray[np.float32] | None = None
    # The scope and the conduct rule both ask about each message: the second asks this.
    _recent: _Recent = field(default_factory=_Recent, compare=False, repr=False)

    def probabilities(
        self, vector: npt.NDArray[np.float32], text: str = ""
    ) -> dict[FlagCode, float]:
        """Each flag's probability for a message embedded as `vector`, whose cleaned text
        (the pipeline's search text, as in training) is `text`."""
        key = (vector.tobytes(), text)
        known = self._recent.get(key)
        if known is None:
            known = self._probabilities(vector, text)
            self._recent.put(key, known)
        return dict(known)

    def _probabilities(self, vector: npt.NDArray[np.float32], text: str) -> dict[FlagCode, float]:
        z = self.weights.astype(np.float64) @ vector.astype(np.float64) + self.biases
        if self.words is not None and self.text_weights is not None:
            columns, values = self.words.sparse(text)
            z += self.text_weights[:, columns] @ values
            z += self.text_weights[:, self.words.size :] @ lexicon_features(text)
        if self.neighbours is not None and self.neighbour_weights is not None:
            near = self.neighbours.features(vector[np.newaxis])[0]
            for j, code in enumerate(self.neighbours.flags):
                z[self.flags.index(code)] += self.neighbour_weights[j] @ near[j]
        return dict(zip(self.flags, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))

    def fired(self, vector: npt.NDArray[np.float32], text: str = "") -> dict[FlagCode, float]:
        """The flags whose probability reaches their threshold, with that probability."""
        return {
            code: p
            for (code, p), threshold in zip(
                self.probabilities(vector, text).items(), self.thresholds.tolist(), strict=True
            )
            if p >= threshold
        }

    def save(self, path: Path) -> None:
        meta = json.dumps({"model_id": self.model_id, "flags": list(self.flags)})
        arrays: dict[str, Any] = {
            "weights": self.weights,
            "biases": self.biases,
            "thresholds": self.thresholds,
            "meta": np.array(meta),
        }
        if self.words is not None and self.text_weights is not None:
            arrays |= {"vocabulary": np.array(self.words.vocabulary), "idf": self.words.idf,
                       "text_weights": self.text_weights}  # fmt: skip
        if self.neighbours is not None and self.neighbour_weights is not None:
            n = self.neighbours
            arrays |= {"neighbour_flags": np.array(n.flags), "neighbour_mean": n.mean,
                       "neighbour_projection": n.projection, "neighbour_vectors": n.vectors,
                       "neighbour_labels": n.labels,
                       "neighbour_weights": self.neighbour_weights}  # fmt: skip
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> FlagHeads:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            flags = tuple(cast(list[FlagCode], meta["flags"]))
            words, text_weights = None, None
            if "vocabulary" in data:
                words = WordFeatures(tuple(data["vocabulary"].tolist()), data["idf"])
                text_weights = data["text_weights"]
                if text_weights.shape[1] != words.size + LEXICON_SIZE:
                    raise ValueError(f"{path}: text weights do not match its vocabulary")
            neighbours, neighbour_weights = None, None
            if "neighbour_flags" in data:
                neighbours = Neighbours(
                    tuple(cast(list[FlagCode], data["neighbour_flags"].tolist())),
                    data["neighbour_mean"],
                    data["neighbour_projection"],
                    data["neighbour_vectors"],
                    data["neighbour_labels"],
                )
                neighbour_weights = data["neighbour_weights"]
                if neighbour_weights.shape != (len(neighbours.flags), FEATURES):
                    raise ValueError(f"{path}: neighbour weights do not match its flags")
            return cls(meta["model_id"], flags, data["weights"], data["biases"],
                       data["thresholds"], words, text_weights, neighbours,
                       neighbour_weights)  # fmt: skip


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
