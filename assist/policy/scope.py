"""Scope: questions support must not answer (roadmap estimates, business scenarios, not
about the product) and remarks about support itself.

Two kinds of evidence, either enough: strong phrasings (a readable reason, and they work
with any model; :mod:`assist.policy.scope_patterns`), and one logistic regression per flag
over the message embedding, its character n-grams and the phrasing hints, trained on
`samples/policy/policy_dev.jsonl` by `python -m assist.policy.train_scope` for one embedding
model. With another model the regressions stay off and only the strong phrasings run.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from assist.knowledge.records import FlagCode
from assist.policy.base import Flag, MessageContext
from assist.policy.scope_patterns import HINTS, STRONG, fold, hint_vector

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import HashingVectorizer

log = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("scope_model.npz")
SCOPE_FLAGS: tuple[FlagCode, ...] = (
    "out_of_scope.roadmap_estimate",
    "out_of_scope.business_scenario",
    "out_of_scope.not_product",
    "support_feedback",
)
_LABELS = {  # (ru, en)
    "out_of_scope.roadmap_estimate": (
        "вопрос о сроках или оценке доработки",
        "asks for a roadmap or estimate",
    ),
    "out_of_scope.business_scenario": (
        "вопрос о бизнес-сценарии, не о работе программы",
        "asks for business-scenario advice",
    ),
    "out_of_scope.not_product": (
        "вопрос не о работе 1С-Коннект",
        "not about operating 1C-Connect",
    ),
    "support_feedback": (
        "отзыв о работе поддержки — в форму на сайте",
        "a remark about support itself: the feedback form",
    ),
}
# Character n-grams, hashed so that no vocabulary ships: they catch the phrasings and typos
# («кагда почините») the sentence embedding blurs. Shared by training and run time.
NGRAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "n_features": 2**16,
    "alternate_sign": False,
    "norm": None,
    "lowercase": True,
}


@cache
def _counter() -> HashingVectorizer:
    # Imported on first use: scikit-learn is slow to import and only the model needs it.
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(**NGRAMS)


def ngram_features(texts: list[str], idf: npt.NDArray[np.float32]) -> sparse.csr_matrix:
    """Sublinear TF-IDF of the character n-grams of :func:`fold`-ed texts, rows l2-normed."""
    counts = _counter().transform([fold(t) for t in texts]).tocsr().astype(np.float64)
    counts.data = 1.0 + np.log(counts.data)
    counts = counts.multiply(idf.astype(np.float64)).tocsr()
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ counts


def features(
    vectors: npt.NDArray[np.float32], texts: list[str], idf: npt.NDArray[np.float32]
) -> sparse.csr_matrix:
    """One row per message: embedding | character n-grams | phrasing hints."""
    hints = np.array([hint_vector(fold(t)) for t in texts], dtype=np.float64)
    return sparse.hstack(
        [sparse.csr_matrix(vectors.astype(np.float64)), ngram_features(texts, idf), hints],
        format="csr",
    )


@dataclass(frozen=True)
class ScopeModel:
    """One logistic regression per flag over :func:`features`."""

    model_id: str
    weights: npt.NDArray[np.float32]  # (flags, embedding + n-gram + hint columns)
    biases: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]
    idf: npt.NDArray[np.float32]  # per hashed n-gram column

    def probabilities(self, vector: npt.NDArray[np.float32], text: str) -> npt.NDArray[np.float64]:
        row = features(vector[None, :], [text], self.idf)
        z = np.asarray(row @ self.weights.T.astype(np.float64)).ravel() + self.biases
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def save(self, path: Path) -> None:
        meta = json.dumps({"model_id": self.model_id, "flags": list(SCOPE_FLAGS),
                           "hints": list(HINTS), "ngrams": NGRAMS["n_features"]})  # fmt: skip
        np.savez_compressed(path, weights=self.weights.astype(np.float16), biases=self.biases,
                            thresholds=self.thresholds, idf=self.idf.astype(np.float16),
                            meta=np.array(meta))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if tuple(meta["flags"]) != SCOPE_FLAGS:
                raise ValueError(f"{path}: trained for other flags {meta['flags']}")
            if meta.get("hints") != list(HINTS) or meta.get("ngrams") != NGRAMS["n_features"]:
                raise ValueError(f"{path}: trained with other features; retrain it")
            return cls(
                meta["model_id"],
                data["weights"].astype(np.float32),
                data["biases"],
                data["thresholds"],
                data["idf"].astype(np.float32),
            )


class ScopeRule:
    def __init__(self, model_id: str, model: ScopeModel | None = None) -> None:
        if model is None and MODEL_PATH.exists():
            model = ScopeModel.load(MODEL_PATH)
        if model is not None and model.model_id != model_id:
            log.warning(
                "scope model was trained for another embedding model; patterns only",
                extra={"trained_for": model.model_id, "model": model_id},
            )
            model = None
        self.model = model

    def check(self, message: MessageContext) -> list[Flag]:
        ru = message.language == "ru"
        text = message.search_text or message.text
        probabilities = (
            self.model.probabilities(message.vector, text)
            if self.model is not None and message.vector is not None
            else None
        )
        flags = []
        for i, code in enumerate(SCOPE_FLAGS):
            label = _LABELS[code][0 if ru else 1]
            pattern = STRONG.get(code)
            found = pattern.search(fold(text)) if pattern else None
            if found:
                flags.append(Flag(code, f"{label}: «{found.group(0)}»"))
            elif (
                probabilities is not None
                and self.model is not None
                and probabilities[i] >= self.model.thresholds[i]
            ):
                score = "оценка модели" if ru else "model score"
                flags.append(Flag(code, f"{label} ({score} {probabilities[i]:.2f})"))
        return flags
