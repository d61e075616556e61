"""What the specialist should do with a message, from what retrieval found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assist.knowledge.records import BacklogTask, FaqEntry
from assist.knowledge.retrieve import Match, Retrieval

DecisionKind = Literal["answer", "attach", "register"]


@dataclass(frozen=True)
class Thresholds:
    faq: float
    backlog: float


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    faq: Match[FaqEntry] | None = None
    task: Match[BacklogTask] | None = None
    reason: str = ""


def decide(retrieval: Retrieval, thresholds: Thresholds) -> Decision:
    """Answer from the FAQ when it matches well; else attach to a known task; else register."""
    best_faq = retrieval.faq[0] if retrieval.faq else None
    best_task = retrieval.backlog[0] if retrieval.backlog else None
    task = best_task if best_task and best_task.score >= thresholds.backlog else None
    if best_faq and best_faq.score >= thresholds.faq:
        return Decision(
            "answer", faq=best_faq, task=task, reason=f"FAQ {best_faq.record.id} matches"
        )
    if task:
        return Decision("attach", task=task, reason=f"backlog task {task.record.id} matches")
    return Decision("register", reason="no FAQ answer or backlog task matches well")
