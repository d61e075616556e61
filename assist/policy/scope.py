"""Scope: questions support must not answer (roadmap estimates, business scenarios, not
about the product) and remarks about support itself.

Two kinds of evidence, either enough: explicit phrasings (a readable reason, and they
work with any model), and one logistic regression per flag over the message embedding,
trained on `samples/policy/policy_dev.jsonl` by `python -m assist.policy.train_scope` for
one embedding model. With another model the regressions stay off and only patterns run.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assist.knowledge.records import FlagCode
from assist.policy.base import Flag, MessageContext

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
_PATTERNS: dict[FlagCode, re.Pattern[str]] = {
    "out_of_scope.roadmap_estimate": re.compile(
        r"когда (?:вы )?(?:добавите|сделаете|исправите|появится|появятся|будет|выйдет|планируете)"
        r"|в какой версии|какие сроки|сроки (?:реализации|исправления|доработки)"
        r"|сколько (?:времени|займет|ждать)|как скоро"
        r"|when will (?:you|it|this)|which (?:version|release)"
        r"|how long (?:will|would) it take|is (?:it|this) on (?:the|your) roadmap|\beta\b",
        re.IGNORECASE,
    ),
    "support_feedback": re.compile(
        r"(?:ваш[аеуи]?|эт[аоуи]) (?:поддержк|техподдержк|специалист|оператор)\w* "
        r"(?:молодц|отлично|ужасн|медленн|не отвеча|хамит|лучш|плох)"
        r"|спасибо (?:специалисту|оператору|вашему специалисту|поддержке)"
        r"|(?:your|the) support (?:team |staff )?(?:is|was) "
        r"(?:great|slow|terrible|awful|excellent)",
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class ScopeModel:
    model_id: str
    weights: npt.NDArray[np.float32]  # (flags, dimension)
    biases: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]

    def probabilities(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        z = self.weights.astype(np.float64) @ vector.astype(np.float64) + self.biases
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        meta = json.dumps({"model_id": self.model_id, "flags": list(SCOPE_FLAGS)})
        np.savez(path, weights=self.weights, biases=self.biases, thresholds=self.thresholds,
                 meta=np.array(meta))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if tuple(meta["flags"]) != SCOPE_FLAGS:
                raise ValueError(f"{path}: trained for other flags {meta['flags']}")
            return cls(meta["model_id"], data["weights"], data["biases"], data["thresholds"])


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
        probabilities = (
            self.model.probabilities(message.vector)
            if self.model is not None and message.vector is not None
            else None
        )
        flags = []
        for i, code in enumerate(SCOPE_FLAGS):
            label = _LABELS[code][0 if ru else 1]
            pattern = _PATTERNS.get(code)
            found = pattern.search(message.text) if pattern else None
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
