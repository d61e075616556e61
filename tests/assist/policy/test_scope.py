from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from assist.policy.base import MessageContext
from assist.policy.heads import FlagHeads
from assist.policy.scope import SCOPE_FLAGS, ScopeRule


def said(text: str, language: str = "ru", vector: np.ndarray | None = None) -> MessageContext:  # type: ignore[type-arg]
    return MessageContext(
        text=text, language=language, received_at=datetime.now(UTC), vector=vector
    )


def test_patterns_work_with_any_model_and_quote_the_words() -> None:
    rule = ScopeRule(None)  # no heads: e.g. another embedding model
    flags = rule.check(said("Когда добавите темную тему? И как сейчас поменять шрифт?"))
    assert [f.code for f in flags] == ["out_of_scope.roadmap_estimate"]
    assert flags[0].reason == "вопрос о сроках или оценке доработки: «Когда добавите»"
    english = rule.check(said("Your support team is slow, nobody answers", "en"))
    assert english[0].code == "support_feedback"
    assert english[0].reason.startswith("a remark about support itself")
    assert rule.check(said("как настроить расписание линии под наш график?")) == []


def test_heads_flag_by_threshold() -> None:
    dimension = 4
    weights = np.zeros((len(SCOPE_FLAGS), dimension), dtype=np.float32)
    weights[2, 0] = 10.0  # not_product lights up on the first axis
    heads = FlagHeads(
        "m", SCOPE_FLAGS, weights, np.full(4, -5, np.float32), np.full(4, 0.5, np.float32)
    )
    rule = ScopeRule(heads)
    hit = rule.check(said("какая погода в Москве", vector=np.array([1, 0, 0, 0], np.float32)))
    assert [f.code for f in hit] == ["out_of_scope.not_product"]
    assert "оценка модели 0.99" in hit[0].reason
    miss = rule.check(said("какая погода в Москве", vector=np.array([0, 1, 0, 0], np.float32)))
    assert miss == []
    assert rule.check(said("какая погода в Москве")) == []  # no vector, no model evidence


def test_off_topic_phrasing_is_about_the_question_not_the_answer() -> None:
    rule = ScopeRule(None)
    asked = rule.check(said("Вопрос не по теме, но сколько варить гречку?"))
    assert [f.code for f in asked] == ["out_of_scope.not_product"]
    # A complaint that the answer missed the point is feedback, not an off-topic question.
    assert rule.check(said("ответили быстро, но совсем не по теме, пришлось переспрашивать")) == []
