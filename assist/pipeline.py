"""The story of one message: language → policy → retrieval → decision → drafts → record.

Each step is a call into its own module. Policy rules raise flags (so far: off-hours);
the conduct, scope and load rules of the regulation join the same list as they are built.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from assist.decide import Decision, Thresholds, decide
from assist.drafting import Draft, Drafter
from assist.knowledge.retrieve import Retrieval, Retriever
from assist.language import LanguageDetector
from assist.policy.base import Flag, MessageContext, PolicyRule
from assist.policy.hours import SupportHours
from assist.replies import compose_drafts
from assist.storage.store import Store, SuggestionLog
from assist.studio.review import sampled_for_review
from assist.text_clean import clean_message, query_views
from assist.text_repair import repair
from embeddings.encoder import Vectors


@dataclass(frozen=True)
class IncomingMessage:
    text: str
    conversation_id: str | None = None
    user_id: str | None = None
    account_id: str | None = None
    line: str | None = None
    received_at: datetime | None = None
    client_ip: str | None = None


@dataclass(frozen=True)
class Suggestion:
    id: str
    language: str
    retrieval: Retrieval
    decision: Decision
    drafts: list[Draft]
    flags: list[Flag] = field(default_factory=list)
    search_text: str = ""

    def payload(self) -> dict[str, Any]:
        """The canonical JSON shape, returned by the API and stored with the suggestion."""
        return {
            "suggestion_id": self.id,
            "language": self.language,
            "flags": [{"code": f.code, "reason": f.reason} for f in self.flags],
            "faq": [
                {
                    "id": m.record.id,
                    "question": m.record.question,
                    "answer": m.record.answer,
                    "score": round(m.score, 4),
                }
                for m in self.retrieval.faq
            ],
            "backlog": [
                {
                    "id": m.record.id,
                    "title": m.record.title,
                    "status": m.record.status,
                    "score": round(m.score, 4),
                }
                for m in self.retrieval.backlog
            ],
            "decision": self.decision.kind,
            "decision_reason": self.decision.reason,
            "drafts": [draft_payload(d) for d in self.drafts],
        }


def draft_payload(draft: Draft) -> dict[str, Any]:
    return {
        "template": draft.template,
        "language": draft.language,
        "text": draft.text,
        "warnings": [asdict(w) for w in draft.warnings],
    }


@dataclass(frozen=True)
class Limits:
    faq_k: int
    backlog_k: int


class Assistant:
    def __init__(
        self,
        *,
        detector: LanguageDetector,
        retriever: Retriever,
        drafter: Drafter,
        thresholds: Thresholds,
        limits: Limits,
        hours: SupportHours,
        rules: Sequence[PolicyRule],
        store: Store | None,
        review_rate: float = 0.0,
    ) -> None:
        self.detector = detector
        self.retriever = retriever
        self.drafter = drafter
        self.thresholds = thresholds
        self.limits = limits
        self.hours = hours
        self.rules = list(rules)
        self.store = store
        self.review_rate = review_rate

    def warm_up(self) -> None:
        """Load the lazily built parts (language profiles, word lists) before real traffic."""
        store, self.store = self.store, None
        try:
            for text in ("не работает удаленный доступ", "remote access does not work"):
                self.suggest(IncomingMessage(text=text))
        finally:
            self.store = store

    def suggest(self, message: IncomingMessage, *, record: bool = True) -> Suggestion:
        language = self.detector.detect(message.text)
        search_text = clean_message(repair(message.text).text)
        vectors = self.retriever.encoder.encode_queries(query_views(search_text))
        flags = self._flags(message, language.served, vectors[0], search_text)
        retrieval = self.retriever.retrieve(
            search_text, vectors, language.code, self.limits.faq_k, self.limits.backlog_k
        )
        decision = decide(retrieval, self.thresholds)
        suggestion = Suggestion(
            id=str(uuid.uuid4()),
            language=language.code,
            retrieval=retrieval,
            decision=decision,
            drafts=compose_drafts(
                self.drafter,
                self.hours,
                decision=decision,
                flags=flags,
                language=language.served,
                received_at=message.received_at,
            ),
            flags=flags,
            search_text=search_text,
        )
        if record:
            self._record(message, suggestion)
        return suggestion

    def _flags(
        self, message: IncomingMessage, language: str, vector: Vectors, search_text: str
    ) -> list[Flag]:
        context = MessageContext(
            text=message.text,
            language=language,
            received_at=message.received_at,
            conversation_id=message.conversation_id,
            user_id=message.user_id,
            account_id=message.account_id,
            client_ip=message.client_ip,
            vector=vector,
            search_text=search_text,
        )
        return [flag for rule in self.rules for flag in rule.check(context)]

    def _record(self, message: IncomingMessage, suggestion: Suggestion) -> None:
        if self.store is None:
            return
        self.store.save_suggestion(
            SuggestionLog(
                id=suggestion.id,
                created_at=datetime.now(UTC),
                text=message.text,
                language=suggestion.language,
                decision=suggestion.decision.kind,
                response=suggestion.payload(),
                conversation_id=message.conversation_id,
                user_id=message.user_id,
                account_id=message.account_id,
                line=message.line,
            )
        )
        if sampled_for_review(suggestion.id, self.review_rate):
            self.store.quality.enqueue_review(suggestion.id)
