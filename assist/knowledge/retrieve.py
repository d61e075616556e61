"""Query both collections and turn dense + lexical evidence into one calibrated score.

The score is a logistic function of a weighted sum of the dense cosine and the
normalised lexical score, fitted by logistic regression on labelled development cases, so
it reads as "how likely this is the right record" and a single threshold can say that
nothing matches well.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from assist.knowledge.collection import Candidate, CollectionIndex
from assist.knowledge.records import BacklogTask, FaqEntry, Record
from embeddings.encoder import Encoder, Vectors

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class ScoreModel:
    """score = sigmoid(scale * (dense + lexical_weight[language] * lexical) + bias).

    The defaults below were fitted (logistic regression on "is the top record the right
    one") on `samples/cases/dev.jsonl` with the default fused encoder; the held-out cases
    were not used. Another model needs its own fit. The lexical ranker only helps queries
    in the knowledge base's own language: an English question against Russian records
    matches stray Latin words (API, Windows) and ranked worse with any lexical weight.
    """

    lexical_weights: Mapping[str, float] = field(default_factory=lambda: {"ru": 0.1})
    scale: float = 27.5
    bias: float = -21.4

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError("scale must be positive: a better match must score higher")

    def score(self, dense: float, lexical: float, language: str) -> float:
        weight = self.lexical_weights.get(language, 0.0)
        z = self.scale * (dense + weight * lexical) + self.bias
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


FAQ_SCORES = ScoreModel()
BACKLOG_SCORES = ScoreModel(scale=29.7, bias=-23.0)


@dataclass(frozen=True)
class Match(Generic[R]):
    record: R
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class LexicalHits:
    """Both collections' lexical candidates for one text (record key → normalised score)."""

    faq: Mapping[int, float]
    backlog: Mapping[int, float]


@dataclass(frozen=True)
class Retrieval:
    faq: list[Match[FaqEntry]]
    backlog: list[Match[BacklogTask]]


class Retriever:
    def __init__(
        self,
        encoder: Encoder,
        faq: CollectionIndex[FaqEntry],
        backlog: CollectionIndex[BacklogTask],
        faq_scores: ScoreModel,
        backlog_scores: ScoreModel,
    ) -> None:
        self.encoder = encoder
        self.faq = faq
        self.backlog = backlog
        self.faq_scores = faq_scores
        self.backlog_scores = backlog_scores

    def lexical(self, text: str, faq_k: int, backlog_k: int) -> LexicalHits:
        """What the text alone finds, for `retrieve` (computable before the embedding)."""
        return LexicalHits(
            self.faq.lexical_hits(text, faq_k), self.backlog.lexical_hits(text, backlog_k)
        )

    def retrieve(
        self,
        text: str,
        queries: Vectors,
        language: str,
        faq_k: int,
        backlog_k: int,
        lexical: LexicalHits | None = None,
    ) -> Retrieval:
        """Best records for `text`, embedded as the rows of `queries` (the whole text first,
        then any other views of it), written in `language`, which sets the lexical weight;
        `lexical` is `self.lexical(text, faq_k, backlog_k)` when the caller has it already."""
        faq = self.faq.search(queries, text, faq_k, lexical.faq if lexical else None)
        backlog = self.backlog.search(
            queries, text, backlog_k, lexical.backlog if lexical else None
        )
        return Retrieval(
            faq=_rank(faq, self.faq_scores, language, faq_k),
            backlog=_rank(backlog, self.backlog_scores, language, backlog_k),
        )


def _rank(
    candidates: list[Candidate[R]], model: ScoreModel, language: str, k: int
) -> list[Match[R]]:
    # The score rises with dense + weight * lexical, so only the best k are scored.
    weight = model.lexical_weights.get(language, 0.0)
    best = heapq.nsmallest(k, candidates, key=lambda c: (-(c.dense + weight * c.lexical), -c.dense))
    return [
        Match(c.record, model.score(c.dense, c.lexical, language), c.dense, c.lexical) for c in best
    ]
