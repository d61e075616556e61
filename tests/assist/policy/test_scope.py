from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from assist.policy.base import MessageContext
from assist.policy.scope import MODEL_PATH, SCOPE_FLAGS, ScopeModel, ScopeRule


def said(text: str, language: str = "ru", vector: np.ndarray | None = None) -> MessageContext:  # type: ignore[type-arg]
    return MessageContext(
        text=text, language=language, received_at=datetime.now(UTC), vector=vector
    )


def test_patterns_work_with_any_model_and_quote_the_words() -> None:
    rule = ScopeRule("some-other-model")
    assert rule.model is None  # the shipped regressions belong to the default model
    flags = rule.check(said("Когда добавите темную тему? И как сейчас поменять шрифт?"))
    assert [f.code for f in flags] == ["out_of_scope.roadmap_estimate"]
    assert flags[0].reason == "вопрос о сроках или оценке доработки: «Когда добавите»"
    english = rule.check(said("Your support team is slow, nobody answers", "en"))
    assert english[0].code == "support_feedback"
    assert english[0].reason.startswith("a remark about support itself")
    assert rule.check(said("как настроить расписание линии под наш график?")) == []


def test_regressions_flag_by_threshold(tmp_path: Path) -> None:
    dimension = 4
    weights = np.zeros((len(SCOPE_FLAGS), dimension), dtype=np.float32)
    weights[2, 0] = 10.0  # not_product lights up on the first axis
    model = ScopeModel(
        "m", weights, np.full(len(SCOPE_FLAGS), -5, np.float32), np.full(4, 0.5, np.float32)
    )
    model.save(tmp_path / "scope.npz")
    rule = ScopeRule("m", ScopeModel.load(tmp_path / "scope.npz"))
    hit = rule.check(said("какая погода в Москве", vector=np.array([1, 0, 0, 0], np.float32)))
    assert [f.code for f in hit] == ["out_of_scope.not_product"]
    assert "оценка модели 0.99" in hit[0].reason
    miss = rule.check(said("какая погода в Москве", vector=np.array([0, 1, 0, 0], np.float32)))
    assert miss == []


def test_the_shipped_model_loads_and_names_its_embedding_model() -> None:
    if not MODEL_PATH.exists():
        pytest.fail("run `python -m assist.policy.train_scope` to build the scope model")
    model = ScopeModel.load(MODEL_PATH)
    assert model.model_id.startswith("concat(multilingual-e5-small")
    assert model.weights.shape[0] == len(SCOPE_FLAGS)
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
