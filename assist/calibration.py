"""Choosing the decision thresholds from a labelled case set (`assist eval --calibrate`).

The thresholds that turn calibrated scores into answer / attach / register depend on the
model and on the knowledge base, so a team that changes either re-chooses them on its own
labelled cases. The search replays the decision rule of `assist.decide` on each case's top
scores over a grid and keeps the pair with the most right decisions; among equally good
pairs it takes the middle one, which moves least when the cases change a little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assist.evaluation import CaseResult, expected_decision

GRID = tuple(round(0.05 * step, 2) for step in range(1, 20))


@dataclass(frozen=True)
class ThresholdChoice:
    faq_min_score: float
    backlog_min_score: float
    accuracy: float
    judged: int


def replayed_decision(result: CaseResult, faq_min: float, backlog_min: float) -> str:
    if result.faq_top_score >= faq_min:
        return "answer"
    return "attach" if result.backlog_top_score >= backlog_min else "register"


def choose_thresholds(
    results: Sequence[CaseResult], grid: Sequence[float] = GRID
) -> ThresholdChoice:
    judged = [(expected, r) for r in results if (expected := expected_decision(r.case))]
    if not judged:
        raise ValueError("no case implies a decision: label some faq, backlog or no-match cases")
    scored = [
        (sum(replayed_decision(r, f, b) == e for e, r in judged), f, b) for f in grid for b in grid
    ]
    best = max(hits for hits, _, _ in scored)
    ties = sorted((f, b) for hits, f, b in scored if hits == best)
    faq_min, backlog_min = ties[len(ties) // 2]
    return ThresholdChoice(faq_min, backlog_min, round(best / len(judged), 4), len(judged))
