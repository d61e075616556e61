from __future__ import annotations

import pytest

from assist.knowledge.collection import Candidate
from assist.knowledge.records import FaqEntry
from assist.knowledge.retrieve import ScoreModel, _rank


def _candidate(n: int, dense: float, lexical: float) -> Candidate[FaqEntry]:
    return Candidate(
        FaqEntry(id=f"faq-{n}", question=f"вопрос {n}", answer="ответ"), dense, lexical
    )


def test_only_the_best_k_are_kept_in_the_order_of_their_scores() -> None:
    model = ScoreModel()
    candidates = [
        _candidate(0, 0.80, 0.0),
        _candidate(1, 0.78, 1.0),  # lexical evidence lifts it over the first in Russian
        _candidate(2, 0.90, 0.0),
        _candidate(3, 0.10, 0.0),
    ]
    ranked = _rank(candidates, model, "ru", 3)
    assert [m.record.id for m in ranked] == ["faq-2", "faq-1", "faq-0"]
    scores = [m.score for m in ranked]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == model.score(0.90, 0.0, "ru")
    # In English the lexical score does not count: dense order alone.
    assert [m.record.id for m in _rank(candidates, model, "en", 2)] == ["faq-2", "faq-0"]


def test_a_score_model_must_rise_with_the_evidence() -> None:
    with pytest.raises(ValueError, match="positive"):
        ScoreModel(scale=-1.0)
