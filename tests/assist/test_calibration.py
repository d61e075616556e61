"""Threshold choice replays the decision rule over the cases' top scores."""

from __future__ import annotations

import pytest

from assist.calibration import choose_thresholds, replayed_decision
from assist.evaluation import CaseResult
from assist.knowledge.records import EvalCase, FlagCode


def result(
    case_id: str,
    faq: str | None,
    backlog: str | None,
    top_faq: float,
    top_task: float,
    flags: tuple[FlagCode, ...] = (),
) -> CaseResult:
    case = EvalCase(id=case_id, text="текст", language="ru", faq=faq, backlog=backlog, flags=flags)
    return CaseResult(
        case=case,
        language="ru",
        decision="register",
        flags=[],
        faq_ranking=[],
        backlog_ranking=[],
        faq_top_score=top_faq,
        backlog_top_score=top_task,
    )


def test_replay_follows_the_decision_rule() -> None:
    r = result("a", None, None, 0.5, 0.9)
    assert replayed_decision(r, 0.4, 0.3) == "answer"
    assert replayed_decision(r, 0.6, 0.3) == "attach"
    assert replayed_decision(r, 0.6, 0.95) == "register"


def test_the_chosen_pair_separates_the_cases() -> None:
    results = [
        result("answer-1", "faq-1", None, 0.82, 0.10),
        result("answer-2", "faq-2", None, 0.61, 0.40),
        result("attach-1", None, "T-1", 0.30, 0.71),
        result("attach-2", None, "T-2", 0.42, 0.55),
        result("register-1", None, None, 0.35, 0.22),
        result("register-2", None, None, 0.12, 0.31),
    ]
    choice = choose_thresholds(results)
    assert choice.accuracy == 1.0 and choice.judged == 6
    assert 0.42 < choice.faq_min_score <= 0.61
    assert 0.31 < choice.backlog_min_score <= 0.55


def test_flagged_cases_are_not_judged() -> None:
    flagged = result("f", None, None, 0.9, 0.9, flags=("off_hours",))
    with pytest.raises(ValueError, match="no case implies a decision"):
        choose_thresholds([flagged])
