"""Phrasings behind the scope flags (see :mod:`assist.policy.scope`).

Two kinds per flag, all written from `samples/policy/policy_dev.jsonl` (never the held-out set):

* ``STRONG`` phrasings are enough on their own: they name what the regulation forbids
  («когда почините», «в какой версии появится», "any ETA", «кто прав»). They also give the
  specialist a readable reason. Each was checked against the close negatives of the dev set
  (the user's own deadline, versions that exist now, how long an operation takes).
* ``HINTS`` are evidence, not verdicts: topic words such as accounting terms, «KPI» or
  «премия», which also occur in in-scope questions («статистика для расчета премии»).
  They become features of the per-flag regressions, which learn how much each is worth next
  to the embedding and the character n-grams.

Patterns run on :func:`fold`-ed text (ё→е, one space between words) and ignore case, so a
reason quotes the user's own words.
"""

from __future__ import annotations

import re
from typing import Final

from assist.knowledge.records import FlagCode

_FUTURE_RU = (
    r"(?:добавите|сделаете|исправите|почините|поправите|реализуете|выпустите|доделаете"
    r"|вернете|введете|запустите|обновите|починят|исправят|добавят|сделают|поправят|вернут"
    r"|выпустят|реализуют|появится|появятся|выйдет|планируете|планируется|ждать|ожидать"
    r"|можно\s+ожидать|успеете)"
)
_WHEN_RU = r"(?:когда|кагда|когад|когда-нибудь|к\s+какому\s+(?:числу|сроку|месяцу))"

STRONG: Final[dict[FlagCode, re.Pattern[str]]] = {
    "out_of_scope.roadmap_estimate": re.compile(
        rf"\b{_WHEN_RU}\s+(?:[\w-]+\s+){{0,3}}?{_FUTURE_RU}\b"
        r"|\bв\s+(?:какой|каком|которой|котором)\s+(?:версии|релизе|обновлении|сборке|квартале"
        r"|месяце)\s+(?:[\w-]+\s+){0,3}?(?:появ|будет|будут|добав|исправ|поправ|выйдет|выйдут"
        r"|ожида|сдела|планир|реализ|верн|почин|ждать)\w*"
        r"|\b(?:какие|какой|ориентировочн\w*|примерн\w*|что\s+по)\s+срок\w*"
        r"|\bсроки?\s+(?:реализации|исправления|доработки|выхода|выпуска|по\s+задаче)\b"
        r"|\bнасколько\s+(?:это\s+|вам\s+)*(?:сложно|трудно|трудоемк\w*|больш\w+\s+работ\w*)"
        r"|\bтрудоемк\w+\s+(?:это\s+)?доработк\w*"
        r"|\bсколько\s+(?:[\w-]+\s+){0,4}?(?:делают|делается|займет|займут|уйдет)\s+(?:[\w-]+\s+)?"
        r"(?:доработк|реализац|исправлен)\w*"
        r"|\bдорожн\w+\s+карт\w*|\b(?:в\s+планах|планируется\s+ли|планируете\s+ли)\b"
        r"|\bдо\s+(?:нового\s+года|конца\s+(?:года|квартала|месяца)|лета|весны|осени|зимы)\s+"
        r"(?:[\w-]+\s+)?(?:успеете|сделаете|будет|добавите|появится|исправите|почините)\b"
        r"|\bwhen\s+(?:will|would|are|r|can)\s+(?:you|u|it|this|that|they)\b"
        r"(?!\s+(?:be\s+)?(?:open|available|online|back|answer|reply|respond|call))"
        r"|\beta\b|\btarget\s+date\b|\brelease\s+date\b|\btimeline\s+for\b|\bby\s+when\b"
        r"|\b(?:on|in)\s+(?:the|your)\s+roadmap\b|\broadmap\b"
        r"|\bwhich\s+(?:version|release)\s+(?:will|would|is\s+going\s+to)\b"
        r"|\b(?:next|upcoming|coming)\s+(?:release|version|update)s?\s+(?:\w+\s+)?(?:include|have"
        r"|fix|add|support|get)\w*"
        r"|\bhow\s+(?:long|much\s+(?:time|effort|work))\s+(?:will|would)\s+(?:it|this|that)"
        r"\s+take\b"
        r"|\bhow\s+(?:hard|difficult|much\s+effort)\s+(?:would|will|is)\s+(?:it|this|that)\b"
        r"|\bhow\s+much\s+effort\s+would\b"
        r"|\b(?:is|are)\s+(?:[\w-]+\s+){1,3}?planned\b|\bplanned\s+for\s+(?:this|next)\b",
        re.IGNORECASE,
    ),
    "out_of_scope.business_scenario": re.compile(
        r"\bкто\s+(?:из\s+нас\s+)?прав\b|\bрассудите\b|\bваше\s+мнение\b|\bкак\s+вы\s+считаете\b"
        r"|\bwho'?s\s+right\b|\bwho\s+is\s+right\b|\bin\s+your\s+opinion\b"
        r"|\bwhat'?s\s+(?:the\s+)?best\s+practice\b",
        re.IGNORECASE,
    ),
    "support_feedback": re.compile(
        r"(?:ваш[аеуи]?|эт[аоуи]) (?:поддержк|техподдержк|специалист|оператор|консультант)\w* "
        r"(?:молодц|отлично|ужасн|медленн|не отвеча|хамит|лучш|плох|отвечают\s+шаблон)"
        r"|спасибо (?:специалисту|оператору|вашему специалисту|поддержке|команде поддержки)"
        r"|\bпередайте\s+(?:[\w-]+\s+)?(?:спасибо|благодарность)"
        r"|\b(?:спасибо|благодарность)\s+(?:огромное\s+|большое\s+)?\w+\s+из\s+"
        r"(?:поддержки|техподдержки)"
        r"|\b(?:жалоб|претензи)\w*\s+(?:на|по)\s+(?:[\w-]+\s+){0,3}?(?:специалист|оператор"
        r"|сотрудник|консультант|поддержк|техподдержк)\w*"
        r"|\b(?:your|the)\s+support\s+(?:team\s+|staff\s+)?(?:is|was)\s+"
        r"(?:great|slow|terrible|awful|excellent)"
        r"|\bcomplaint\s+about\s+(?:the|your)\s+(?:agent|support|specialist|operator)"
        r"|\b(?:thank|praise)\s+\w+\s+(?:from|in)\s+(?:your\s+)?support\b",
        re.IGNORECASE,
    ),
}

_HINTS: Final[dict[str, str]] = {
    "future_release": (
        r"\b(?:в|во)\s+(?:ближайш\w+|следующ\w+|новой|будущ\w+)\s+(?:релиз|верси|обновлен|сборк)"
        r"|\bсколько\s+(?:еще\s+)?(?:ждать|ожидать)\b|\bпланир\w+|\bwill\s+(?:you|it)\b"
        r"|\bwhen\b|\bкогда\b|\bбудет\s+ли\b|\bпоявится\s+ли\b"
    ),
    "current_version": (
        r"\b(?:текущ\w+|моей|последн\w+|актуальн\w+)\s+верси\w*|\bкакая\s+(?:у\s+меня\s+)?верси"
        r"|\bwhich\s+version\s+(?:am|do|is|of)\b|\bchangelog\b|\bсписок\s+изменений\b"
        r"|\bуже\s+(?:есть|можно)\b|\bсейчас\s+есть\b|\bобновиться\b"
    ),
    "operation_duration": (
        r"\bсколько\s+(?:времени\s+)?(?:хранится|хранятся|занимает|идет|длится)\b"
        r"|\bкак\s+долго\s+(?:хран|ид|длит)\w*|\bhow\s+long\s+(?:does|do|is)\b"
        r"|\bво\s+сколько\b|\bчасы\s+работы\b|\bavailable\s+on\b"
    ),
    "attach_register": (
        r"\b(?:добавьте|подпишите|зарегистрируйте|заведите)\s+(?:[\w-]+\s+){0,3}?(?:к\s+задач|на\s+задач"
        r"|пожелани|задач)\w*|\b(?:add|subscribe)\s+(?:me|us)\s+(?:as\s+a\s+watcher|to)\b"
        r"|\bregister\s+a\s+(?:feature|request|wish)"
    ),
    "own_deadline": (
        r"\b(?:мне|нам)\s+(?:к|до)\s+\w+|\bдедлайн\w*|\bgo-?live\b|\bour\s+deadline\b"
    ),
    "staff_and_money": (
        r"\bkpi\b|\bпреми\w+|\bзарплат\w*|\bмотивир\w+|\bмотивац\w+|\bбонус\w*|\bгрейд\w*"
        r"|\bштраф\w*|\bнорматив\w*|\bдопрода\w+|\bскрипт\w*|\bsalar\w+|\bbonus\w*|\bhire\b|\bhiring\b"
        r"|\bsales\s+pitch\b|\bsla\b"
    ),
    "advice_or_debate": (
        r"\bпосоветуйте\b|\bкак\s+(?:лучше|правильно)\b|\bстоит\s+ли\b|\bчто\s+лучше\b"
        r"|\bнужно\s+ли\b|\bокупится\b|\bспор\w*|\bshould\s+we\b|\bis\s+it\s+better\b"
        r"|\bany\s+advice\b|\bwhat'?s\s+a\s+fair\b|\bdisagree\b|\bargu\w+"
    ),
    "product_setup": (
        r"\bкак\s+(?:настроить|задать|включить|сделать|поставить|подключить|распредел\w+)\b"
        r"|\bгде\s+(?:в\s+)?(?:статистик|посмотреть|настро)\w*|\bлини[яиюей]\b|\bграфик\w*"
        r"|\bhow\s+do\s+i\s+(?:set|see|route|add)\b|\bline\b"
    ),
    "accounting_and_1c": (
        r"\bндс\b|\bндфл\b|\bусн\b|\bупрощенк\w*|\bпроводк\w*|\bбольничн\w*|\bотпускн\w*"
        r"|\bавансов\w*|\bналог\w*|\bбухгалтер\w*|\bучетн\w+\s+политик\w*|\bэдо\b|\bкэп\b|\bзуп\b"
        r"|\bунф\b|\bут\s+11|\bерп\b|\berp\b|\bплатформ\w*|\bконфигурац\w*|\bзапрос\w*\s+в\s+1с"
        r"|\bостатк\w*|\bкасс\w*|\bценник\w*|\bvat\b|\baccounting\b|\bdepreciation\b"
        r"|\bтрудов\w+\s+кодекс\w*|\bкурс\s+(?:доллара|евро)\b"
    ),
    "general_it": (
        r"\bwindows\b|\bроутер\w*|\bпринтер\w*|\bexcel\b|\bэксел\w*|\boutlook\b|\bантивирус\w*"
        r"|\bвирус\w*|\bvpn\b|\brdp\b|\bsql\b|\blaptop\b|\bноутбук\s+для\b|\bweather\b|\bпогод\w*"
    ),
    "connect_itself": (
        r"\bконнект\w*|\bconnect\b|\bкнопк\w*|\bитс\b|\bудаленк\w*|\bудаленн\w+\s+доступ\w*"
        r"|\bчат\w*|\bchat\w*|\bлиц[ие]нзи\w+\s+1с-коннект"
    ),
    "support_as_subject": (
        r"\b(?:ваш\w*|вашей|от)\s+(?:поддержк|техподдержк|специалист|оператор|консультант)\w*"
        r"|\b(?:специалист|оператор|консультант|девушк)\w*\s+(?:из\s+)?(?:поддержк|техподдержк)\w*"
        r"|\b(?:your|the)\s+(?:support|agent|helpdesk|specialist|operator)s?\b"
    ),
    "our_own_staff": (
        r"\b(?:наш\w*|клиент\w*)\s+(?:специалист|оператор|сотрудник|сотрудниц)\w*"
        r"|\bour\s+(?:agents?|staff|operators?)\b"
    ),
    "praise_or_complaint": (
        r"\bспасибо\b|\bблагодар\w+|\bжалоб\w*|\bпретензи\w*|\bдолго\b|\bгрубо\b|\bвежлив\w*"
        r"|\bthank\w*|\bpraise\b|\bcomplain\w*|\brude\b|\bslow\b"
    ),
}


HINTS: Final[dict[str, re.Pattern[str]]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in _HINTS.items()
}


def fold(text: str) -> str:
    """The form the patterns and the character n-grams read."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split())


def hint_vector(folded: str) -> list[float]:
    """1.0 for every hint found in the text, in the order of :data:`HINTS`."""
    return [1.0 if pattern.search(folded) else 0.0 for pattern in HINTS.values()]
