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
from assist.policy.text_features import other_subject

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
# Explicit phrasings: each alternative names the flag on its own, so none may match a plain
# product question of the development sets (where a version, a duration or a date is about
# operating the product today, it is not here: «сколько хранится история», "which version
# am I running").
_PATTERNS: dict[FlagCode, re.Pattern[str]] = {
    "out_of_scope.roadmap_estimate": re.compile(
        r"когда (?:же |уже |вы |наконец |примерно |ориентировочно )*"
        r"(?:добавите|сделаете|исправите|почините|реализуете|доработаете|выпустите|выкатите"
        r"|запустите|планируете|появи(?:тся|ятся)|выйдет"
        r"|будет (?:готов|исправлен|доступн|реализован|сделан|добавлен|релиз|обновлени|верси)"
        r"|ждать (?:исправлени|доработк|релиз|обновлени|верси))"
        r"|(?:есть ли|будет ли) (?:это |такое |она |он |оно )?в (?:планах|роадмапе|дорожной карте)"
        r"|планиру(?:ете|ется|ют) ли"
        r"|(?:какие|каковы|есть ли|хотя бы примерные|примерные|ориентировочные) сроки"
        r"|сроки (?:реализации|исправления|доработки|выхода|по задач)"
        r"|в как(?:ом|ой) (?:релизе|квартале|обновлении|следующей версии)"
        r"|в какой версии (?:будет|появ|исправ|добав|сдела|реализ|починят)"
        r"|(?:ориентировочн|примерн)\w* (?:срок|дат)|хотя бы примерно|как скоро"
        r"|\bETA\b|roadmap|release date|(?:in )?which (?:version|release) will"
        r"|when (?:will|are|do) you (?:going to |plan to |planning to )?"
        r"(?:add|fix|release|ship|implement|support|finish)"
        r"|when will (?:it|this|that|the fix|the feature|the update) (?:be )?"
        r"(?:fixed|added|released|available|ready|ship)"
        r"|how long (?:will|would) it take|how (?:hard|difficult) (?:is|would) it be"
        r"|is (?:it|this|that) (?:planned|scheduled)|are you planning to|time ?frame",
        re.IGNORECASE,
    ),
    "out_of_scope.business_scenario": re.compile(
        r"как (?:нам )?правильно (?:организовать|выстроить|построить|мотивировать|премировать"
        r"|платить|посчитать|распределить|разделить|поставить)"
        r"|(?:какие|какой) (?:kpi|кпи) (?:поставить|ставить|выбрать|установить)"
        r"|сколько (?:нам )?(?:платить|должен (?:получать|зарабатывать)|нужно специалистов"
        r"|держать (?:людей|специалистов))"
        r"|скрипт\w* (?:продаж|звонк)"
        r"|(?:how|what) should (?:we|I) (?:organi[sz]e|structure|price|pay|staff|charge)"
        r"|what (?:kpis?|bonus(?:es)?|salary) should"
        r"|how many (?:agents|specialists|people) do we need",
        re.IGNORECASE,
    ),
    "out_of_scope.not_product": re.compile(  # the user says so
        r"не (?:совсем |очень )?(?:по вашей (?:части|теме|программе)"
        r"|про (?:ваш |1с-?)?коннект|о (?:вашей программе|коннекте))"
        # «не по теме» alone also describes an answer («ответили совсем не по теме»)
        r"|вопрос (?:немного |слегка |чуть )?не (?:совсем |очень )?по теме"
        r"|(?:вопрос|не) (?:не )?касается (?:коннекта|вашей программы|вашего продукта)"
        r"|не связан\w* с (?:коннектом|вашей программой|вашим продуктом)"
        r"|(?:unrelated|not related) to (?:connect|1c-connect|your (?:product|app|software))"
        r"|off[- ]topic|not (?:really |exactly )?about (?:connect|1c-connect|your (?:product|app))",
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


def explicit_phrase(code: FlagCode, text: str) -> str | None:
    """The words of `text` that name `code` explicitly, if any."""
    pattern = _PATTERNS.get(code)
    found = pattern.search(text) if pattern else None
    return found.group(0) if found else None


class ScopeRule:
    def __init__(self, heads: FlagHeads | None = None) -> None:
        self.heads = heads

    def check(self, message: MessageContext) -> list[Flag]:
        ru = message.language == "ru"
        text = message.search_text or message.text
        fired: dict[FlagCode, float] = {}
        if self.heads is not None and (vector := message.embedding()) is not None:
            fired = self.heads.fired(vector, text)
        flags = []
        for code in SCOPE_FLAGS:
            label = _LABELS[code][0 if ru else 1]
            phrase = explicit_phrase(code, message.text)
            if phrase:
                flags.append(Flag(code, f"{label}: «{phrase}»"))
            elif code in fired:
                details = f"{'оценка модели' if ru else 'model score'} {fired[code]:.2f}"
                named = other_subject(text) if code == "out_of_scope.not_product" else None
                if named:
                    details = f"{'упомянуто' if ru else 'mentions'} «{named}», {details}"
                flags.append(Flag(code, f"{label} ({details})"))
        return flags
