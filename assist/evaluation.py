"""`assist eval`: score retrieval, decisions, flags and language on a labelled case set.

Runs the real pipeline against a fresh temporary store loaded with the given FAQ and
backlog, so a result never depends on what a running instance happens to hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist.knowledge.records import FLAG_CODES, BacklogTask, EvalCase, FaqEntry
from assist.pipeline import IncomingMessage, Suggestion
from assist.scratch import scratch_services
from assist.services import IndexFactory
from assist.settings import Settings
from embeddings.encoder import Encoder

DEPTH = 10  # ranks looked at for MRR; R@k uses the top k of these


@dataclass
class CaseResult:
    case: EvalCase
    language: str
    decision: str
    flags: list[str]
    faq_ranking: list[str]
    backlog_ranking: list[str]
    faq_top_score: float = 0.0
    backlog_top_score: float = 0.0


@dataclass
class Report:
    metrics: dict[str, Any]
    results: list[CaseResult] = field(default_factory=list)


def evaluate(
    settings: Settings,
    faq: Sequence[FaqEntry],
    backlog: Sequence[BacklogTask],
    cases: Sequence[EvalCase],
    *,
    encoder: Encoder | None = None,
    index: IndexFactory | None = None,
) -> Report:
    with scratch_services(
        settings,
        faq,
        backlog,
        encoder=encoder,
        index=index,
        faq_top_k=DEPTH,
        backlog_top_k=DEPTH,
    ) as services:
        results = [_run(services.assistant.suggest, case) for case in cases]
    return Report(metrics=score(results), results=results)


def _run(suggest: Any, case: EvalCase) -> CaseResult:
    suggestion: Suggestion = suggest(IncomingMessage(text=case.text, received_at=case.received_at))
    retrieval = suggestion.retrieval
    return CaseResult(
        case=case,
        language=suggestion.language,
        decision=suggestion.decision.kind,
        flags=[f.code for f in suggestion.flags],
        faq_ranking=[m.record.id for m in retrieval.faq],
        backlog_ranking=[m.record.id for m in retrieval.backlog],
        faq_top_score=retrieval.faq[0].score if retrieval.faq else 0.0,
        backlog_top_score=retrieval.backlog[0].score if retrieval.backlog else 0.0,
    )


def score(results: Sequence[CaseResult]) -> dict[str, Any]:
    faq_cases = [r for r in results if r.case.faq]
    backlog_cases = [r for r in results if r.case.backlog]
    return {
        "n": len(results),
        "faq": {
            "n": len(faq_cases),
            "recall_at_1": _recall([(r.case.faq, r.faq_ranking) for r in faq_cases], 1),
            "recall_at_3": _recall([(r.case.faq, r.faq_ranking) for r in faq_cases], 3),
            "mrr": _mrr([(r.case.faq, r.faq_ranking) for r in faq_cases]),
        },
        "backlog": {
            "n": len(backlog_cases),
            "recall_at_1": _recall([(r.case.backlog, r.backlog_ranking) for r in backlog_cases], 1),
            "recall_at_5": _recall([(r.case.backlog, r.backlog_ranking) for r in backlog_cases], 5),
        },
        "no_match": _no_match(results),
        "decision": _decisions(results),
        "flags": {code: _flag(results, code) for code in FLAG_CODES},
        "language": {
            "n": len(results),
            "accuracy": _ratio(sum(r.language == r.case.language for r in results), len(results)),
        },
    }


def expected_decision(case: EvalCase) -> str | None:
    """The decision a case implies, when it implies exactly one."""
    if case.flags:
        return None
    if case.faq:
        return "answer"
    return "attach" if case.backlog else "register"


def _no_match(results: Sequence[CaseResult]) -> dict[str, Any]:
    truth = [expected_decision(r.case) == "register" for r in results]
    predicted = [r.decision == "register" for r in results]
    hits = sum(t and p for t, p in zip(truth, predicted, strict=True))
    return {
        "n": sum(truth),
        "precision": _ratio(hits, sum(predicted)),
        "recall": _ratio(hits, sum(truth)),
    }


def _decisions(results: Sequence[CaseResult]) -> dict[str, Any]:
    judged = [(expected_decision(r.case), r.decision) for r in results]
    judged = [(e, d) for e, d in judged if e is not None]
    return {
        "n": len(judged),
        "accuracy": _ratio(sum(e == d for e, d in judged), len(judged)),
    }


def _flag(results: Sequence[CaseResult], code: str) -> dict[str, Any]:
    truth = [code in r.case.flags for r in results]
    predicted = [code in r.flags for r in results]
    hits = sum(t and p for t, p in zip(truth, predicted, strict=True))
    precision, recall = _ratio(hits, sum(predicted)), _ratio(hits, sum(truth))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"support": sum(truth), "precision": precision, "recall": recall, "f1": round(f1, 4)}


def _recall(pairs: Sequence[tuple[str | None, list[str]]], k: int) -> float:
    return _ratio(sum(gold in ranking[:k] for gold, ranking in pairs), len(pairs))


def _mrr(pairs: Sequence[tuple[str | None, list[str]]]) -> float:
    total = sum(1.0 / (ranking.index(gold) + 1) for gold, ranking in pairs if gold in ranking)
    return round(total / len(pairs), 4) if pairs else 0.0


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
