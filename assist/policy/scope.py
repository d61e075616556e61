"""Scope: questions support must not answer (roadmap estimates, business scenarios, not
about the product) and remarks about support itself.

Two kinds of evidence, either enough: explicit phrasings (a readable reason, and they
work with any model), and the flag heads over the message embedding
(:mod:`assist.policy.heads`). Without heads for the running model only patterns run.
"""

from __future__ import annotations

import re

from assist.knowledge.records import FlagCode
from assist.policy.base import Flag, MessageContext
from assist.policy.heads import FlagHeads

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


class ScopeRule:
    def __init__(self, heads: FlagHeads | None = None) -> None:
        self.heads = heads

    def check(self, message: MessageContext) -> list[Flag]:
        ru = message.language == "ru"
        fired = (
            self.heads.fired(message.vector)
            if self.heads is not None and message.vector is not None
            else {}
        )
        flags = []
        for code in SCOPE_FLAGS:
            label = _LABELS[code][0 if ru else 1]
            pattern = _PATTERNS.get(code)
            found = pattern.search(message.text) if pattern else None
            if found:
                flags.append(Flag(code, f"{label}: «{found.group(0)}»"))
            elif code in fired:
                score = "оценка модели" if ru else "model score"
                flags.append(Flag(code, f"{label} ({score} {fired[code]:.2f})"))
        return flags
