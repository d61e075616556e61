"""The reply check's rules (:mod:`assist.policy.reply_check`): what counts as a promise,
"water" or a wrong tone in a reply draft, as patterns over normalised text (lowercase,
ё→е, straight apostrophes), each with the messages a specialist reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

WarningCode = Literal["promise", "filler", "tone", "length"]

# How a promise hit is guarded against false alarms (`reply_check._suppressed` applies it):
# "plain"   no guard: the words are a problem wherever they stand (filler, tone);
# "guarded" dropped when its clause is negated («изменений нет», "cannot promise") or
#           states a past fact («было исправлено в 3.2») with nothing future in it;
# "future"  guarded, and kept only when its clause also speaks of the future: «в марте»
#           or "within 30 days" are facts in «вышла в марте» or "kept for 30 days".
Guard = Literal["plain", "guarded", "future"]


@dataclass(frozen=True)
class Rule:
    code: WarningCode
    pattern: re.Pattern[str]
    message_ru: str
    message_en: str
    guard: Guard = "plain"


# --- building blocks (normalised text: lowercase, ё→е, straight apostrophes) ----------------

_MONTH_RU = r"(?:январ|феврал|март|апрел|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*|ма[йяюе]\b"
_MONTH_IN_RU = r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)е\b"
_PERIOD_RU = (
    r"(?:(?:следующ|будущ|этого|этой|текущ)\w*\s+)?"
    rf"(?:недели|месяца|года|квартала|полугодия|спринта|лета|осени|зимы|весны|{_MONTH_RU})"
)
_NUM_RU = (
    r"(?:\d+|одн\w*|дв[аеуо]\w*|тр[еио]\w*|четыр\w*|пят\w*|шест\w*|сем\w*|восем\w*|десят\w*"
    r"|пар[уыа]|нескольк\w*|полтор\w*)"
)
# Days and longer: minutes and hours are how long the product takes to sync, not promises.
_UNIT_RU = r"(?:дн(?:я|ей|ям)|день|сут(?:ок|ки)|недел\w*|месяц\w*|квартал\w*|год\w*|лет|полгода)"
_MONTH_EN = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)"
)
_PERIOD_EN = rf"(?:(?:the\s+|this\s+|next\s+)?(?:week|month|year|quarter|sprint)|{_MONTH_EN})"
_NUM_EN = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|few|several"
    r"|(?:a\s+)?couple\s+(?:of\s+)?|the\s+next\s+(?:few\s+|\d+\s+|two\s+|three\s+)?"
    r"|the\s+coming\s+(?:few\s+)?)"
)
_UNIT_EN = r"(?:business\s+|working\s+)?(?:days?|weeks?|months?|quarters?|years?)\b"
_RELEASE_RU = r"(?:релиз|верси|обновлени|сборк|выпуск)\w*"
_RELEASE_EN = r"(?:releases?|versions?|updates?|builds?|sprints?)\b"
# A time window that starts at an event is a product rule, not a deadline.
_NOT_FROM_EVENT = r"(?!\s+(?:после|с\s+момента|со\s+дня|с\s+даты|after|from|of)\b)"
# Future forms that deliver something («будет», «появится», «исправим»): the verbs of a promise.
_FIX_VERB_RU = (
    r"(?:будет|будут|появ(?:ит|ят)ся|сдела(?:ем|ют)|исправ(?:им|ят)|добав(?:им|ят)"
    r"|реализу(?:ем|ют)|выйд(?:ет|ут)|выпуст(?:им|ят)|войд(?:ет|ут)|доработа(?:ем|ют)"
    r"|почин(?:им|ят)|реш(?:им|ат)|заработа(?:ет|ют)|устран(?:им|ят)|учт(?:ем|ут)|включ(?:им|ат))"
)

# Clause context for the guards (see `Guard`).
NEGATION = re.compile(
    r"\bнет\b|\bнельзя\b|\bнеизвестн|\bне\s+(?:будет|будут|(?:за)?планир|войд|вошл|вошел"
    r"|появ|включ|выйд|могу|можем|смогу|сможем|обеща|гарантир|знаю|знаем|известн|назов)"
    r"|\bне\s+\w+\s+(?:обещать|гарантировать|назвать|сказать|сообщить)\b"
    r"|\bno\s+(?:date|changes?|plans?|fix)\b|\bnot\s+(?:be|planned|included|part|scheduled"
    r"|promise|guarantee|say|know|able)\b|\bnever\b|\bcannot\b|\bcan't\b|\bcan\s+not\b"
    r"|\bwon't\b|\bwill\s+not\b|\bunable\b|\b(?:don't|do\s+not)\s+know\b|\bisn't\b|\baren't\b"
)
PAST = re.compile(
    r"\b(?:был[аио]?|исправлен[аоы]?|выпущен[аоы]?|вышл[аио]|вышел|вошел|вошл[аио]"
    r"|добавлен[аоы]?|сделан[аоы]?|реализован[аоы]?|устранен[аоы]?|появил(?:ся|ась|ось|ись)"
    r"|исправили|добавили|выпустили|сделали|реализовали|устранили"
    r"|was|were|has\s+been|have\s+been|had\s+been|fixed|released|added|shipped|implemented"
    r"|resolved|came\s+out)\b"
)
FUTURE = re.compile(
    rf"\b(?:{_FIX_VERB_RU}|будем|станет|станут|прид(?:ет|ут)|исправит|обновит|выпустит"
    r"|(?:за)?планир\w*|рассчитыва\w*|постара(?:ем|ют|ет)ся|успе(?:ем|ют|ет)"
    r"|ожида(?:ем|ется|ются)|will|shall|going\s+to|gonna|plan(?:s|ned)?|scheduled"
    r"|expect(?:s|ed)?|should\s+(?:be|arrive|appear|come))\b|'ll\b"
)
# Guards read one clause: a sentence, cut before «но»/"but", so a negation or a fact in one
# half («функции нет, но мы её сделаем к марту») does not excuse a promise in the other.
CLAUSE_END = re.compile(
    r"[.!?…;](?=\s|$)|\n|,?\s+(?=(?:но|однако|а|зато|but|however|although|though)\b)"
)


def _rule(code: WarningCode, ru: str, en: str, *patterns: str, guard: Guard = "plain") -> Rule:
    return Rule(code, re.compile("|".join(f"(?:{p})" for p in patterns)), ru, en, guard)


# --- the rules -------------------------------------------------------------------------------

_DATE_RU = "Не называйте сроков: их определяет команда продукта, дату обещать нельзя"
_DATE_EN = "Do not name dates: the product team sets them, a specialist cannot promise one"
_VERSION_RU = (
    "Не обещайте версию или релиз: в какой версии выйдет изменение, решает команда продукта"
)
_VERSION_EN = "Do not promise a version or release: the product team decides what ships when"

RULES: tuple[Rule, ...] = (
    _rule(
        "promise",
        _DATE_RU,
        _DATE_EN,
        rf"\bк\s+(?:\d{{1,2}}(?:-?(?:му|го))?\s+)?(?:{_MONTH_RU})",  # к марту, к 1 марта
        rf"\bк\s+(?:концу|началу|середине)\s+{_PERIOD_RU}",
        r"\bк\s+(?:следующ|будущ)\w*\s+(?:недел|месяц|квартал|год|релиз|верси|обновлени|спринт)\w*",
        r"\bк\s+(?:лету|осени|зиме|весне|новому\s+году|понедельнику|вторнику|среде|четвергу"
        r"|пятнице|завтра(?:шнему\s+дню)?)\b",
        rf"\bдо\s+(?:конца|начала|середины)\s+{_PERIOD_RU}",
        r"\b(?:на|в|во)\s+(?:следующ|будущ|ближайш)\w*\s+(?:недел|месяц|квартал|год|полугод"
        r"|спринт)\w*",
        r"\bв\s+(?:ближайш(?:ие|ее)|кратчайш(?:ие|ее))\s+(?:время|сроки|срок|дни|недели|месяцы)\b",
        r"\bв\s+ближайшем\s+будущем\b|\bв\s+скором\s+времени\b|\bвскоре\b|\bскоро\b",
        rf"\bby\s+(?:the\s+)?(?:end|middle|beginning|start)\s+of\s+{_PERIOD_EN}",
        rf"\bby\s+(?:{_MONTH_EN}|next\s+\w+|tomorrow|(?:mon|tues|wednes|thurs|fri)day"
        rf"|the\s+\d{{1,2}}(?:st|nd|rd|th)|\d{{1,2}}\s+{_MONTH_EN}|(?:the\s+)?(?:summer|autumn"
        r"|fall|winter|spring)|the\s+new\s+year)\b",
        r"\b(?:next|the\s+coming|the\s+following)\s+(?:week|month|quarter|year|sprint)\b",
        r"\bin\s+the\s+(?:near|nearest|foreseeable)\s+future\b|\bany\s+day\s+now\b",
        r"(?<!as\s)\bsoon\b(?!\s+as\b)",  # but not "as soon as"
        guard="guarded",
    ),
    _rule(
        "promise",
        _DATE_RU,
        _DATE_EN,
        rf"\bв\s+{_MONTH_IN_RU}",  # «в марте» is a fact in «вышла в марте»
        rf"\bв\s+(?:начале|середине|конце)\s+{_PERIOD_RU}",
        r"\b(?:в|на)\s+(?:этом|этой|текущем|текущей)\s+(?:недел|месяц|квартал|год|полугод)\w*",
        rf"\b(?:в\s+течение|через|в\s+ближайшие)\s+(?:{_NUM_RU}\s+)?(?:рабоч\w+\s+)?{_UNIT_RU}"
        rf"(?!\w){_NOT_FROM_EVENT}",
        rf"\bin\s+{_MONTH_EN}\b",
        rf"\b(?:at|in|toward|towards)\s+the\s+(?:end|beginning|start|middle)\s+of\s+{_PERIOD_EN}",
        r"\b(?:this|the\s+current)\s+(?:week|month|quarter|year)\b",
        rf"\b(?:within\s+(?:{_NUM_EN}\s*)?|in\s+{_NUM_EN}\s*){_UNIT_EN}{_NOT_FROM_EVENT}",
        guard="future",
    ),
    _rule(
        "promise",
        _VERSION_RU,
        _VERSION_EN,
        r"\b(?:в|во|с|со)\s+(?:одн(?:ом|ой)\s+из\s+)?(?:следующ|ближайш|очередн|будущ|предстоящ"
        rf"|грядущ)\w*\s+{_RELEASE_RU}",
        rf"\b{_FIX_VERB_RU}\b[^.!?;\n]{{0,40}}?\bв\s+{_RELEASE_RU}\s+\d+(?:\.\d+)*",
        # «в версии 3.3 это исправят»: the span is the version, the verb only has to follow.
        rf"\bв\s+{_RELEASE_RU}\s+\d+(?:\.\d+)*(?=[^.!?;\n]{{0,40}}?\b{_FIX_VERB_RU}\b)",
        r"\bin\s+(?:version|release|build)\s+\d+(?:\.\d+)*(?=[^.!?;\n]{0,40}?(?:\bwill\b|'ll\b))",
        r"\b(?:in|with|into|for)\s+(?:the\s+|an\s+|one\s+of\s+the\s+)?(?:next|upcoming|coming"
        rf"|following|future|nearest|subsequent)\s+(?:few\s+)?{_RELEASE_EN}",
        r"(?:\bwill\b|'ll\b)[^.!?;\n]{0,40}?\b(?:in|with)\s+(?:version\s+|release\s+|build\s+|v)?"
        r"\d+(?:\.\d+)+",
        guard="guarded",
    ),
    _rule(
        "promise",
        "Не оценивайте трудоемкость и длительность доработки",
        "Do not estimate how hard or how long a change is",
        r"\b(?:займ(?:ет|ут)|уйд(?:ет|ут)|потребу(?:ет|ю)т(?:ся)?|понадоб(?:ит|ят)ся)\s+"
        r"(?:(?:около|примерно|где-то|порядка|не\s+больше|не\s+более|максимум|минимум|всего"
        rf"|буквально|до)\s+)?(?:{_NUM_RU}\s+)?(?:рабоч\w+\s+)?{_UNIT_RU}(?!\w)",
        r"\b(?:несложн|прост|легк|быстр|небольш|мелк|пустяков)\w*\s+доработк\w*",
        r"\bдоработк\w*\s+(?:несложн|прост|легк|небольш|мелк)\w*",
        r"\bдело\s+(?:пяти|пары|нескольких)\s+минут\b|\bпара\s+пустяков\b",
        r"\b(?:will|'ll|should|would|might|may|could)\s+(?:only\s+)?take\s+(?:(?:about|around"
        r"|approximately|roughly|up\s+to|at\s+most|at\s+least|no\s+more\s+than|just|only)\s+)?"
        rf"(?:{_NUM_EN}\s*)?{_UNIT_EN}",
        r"\b(?:easy|quick|simple|trivial)\s+fix\b|\b(?:easy|simple|trivial|quick)\s+to\s+"
        r"(?:fix|implement|add)\b",
        guard="guarded",
    ),
    _rule(
        "promise",
        "Не обещайте результат: решение о доработке принимает команда продукта",
        "Do not promise an outcome: the product team decides on changes",
        r"\b(?:обязательно|непременно|точно|гарантированно|наверняка|100\s*%)\s+"
        rf"(?:(?!не\b)\w+\s+)?{_FIX_VERB_RU}\b",
        r"\b(?:мы\s+)?(?:исправим|починим|реализуем|доработаем|устраним|выпустим)\b",
        r"\bбуд(?:ет|ут)\s+(?:исправлен|реализован|доработан|устранен|выпущен)\w*",
        r"\b(?:гарантирую|гарантируем|обещаю|обещаем|даю\s+гарантию|даем\s+гарантию)\b",
        r"(?:\bwill\b|'ll\b)\s+(?:definitely|certainly|surely|absolutely)(?:\s+(?:be\s+)?\w+)?"
        r"|\bfor\s+sure\b",
        r"\b(?:we|they|the\s+developers|developers|the\s+team)"
        r"(?:\s+will|'ll|\s+are\s+going\s+to)\s+"
        r"(?:fix|implement|release|resolve|ship|deliver|add(?!\s+(?:you|your)\b))\b",
        r"\bwill\s+be\s+(?:fixed|implemented|resolved|released|shipped)\b",
        r"\b(?:i|we)\s+(?:can\s+)?(?:guarantee|promise)\b",
        guard="guarded",
    ),
    # Filler: each phrase has a plainer way to say it, so the message names it.
    _rule(
        "filler",
        "Канцелярит: скажите «сейчас»",
        'Filler: say "now"',
        r"\bв\s+настоящее\s+время\b|\b(?:в|на)\s+(?:данный|текущий)\s+момент(?:\s+времени)?\b",
        r"\bна\s+сегодняшний\s+день\b|\bat\s+(?:this|the\s+present)\s+(?:point\s+in\s+)?time\b",
    ),
    _rule(
        "filler",
        "Канцелярит: замените конкретным глаголом («настроить» вместо «произвести настройку»)",
        "Bureaucratic verb: use the plain one",
        r"\bосуществ\w*",
        r"\bпроизв(?:ести|одить|едите|одите|одится|одятся|едем|одим|едет|едут|еден\w*)\s+\w+",
    ),
    _rule(
        "filler",
        "«Вода»: фраза ничего не сообщает, уберите ее",
        "Filler: the phrase says nothing, drop it",
        r"\bв\s+рамках\s+(?:данного|настоящего|этого|вашего|текущего)\s+(?:обращения|запроса"
        r"|вопроса|диалога|чата)\b",
        r"\bдовод(?:им|ит|ят)\s+до\s+(?:вашего\s+)?сведения|\bдовожу\s+до\s+(?:вашего\s+)?сведения",
        r"\b(?:(?:просим|прошу)\s+(?:вас\s+)?принять|примите|принять)\s+к\s+сведению\b",
        r"\b(?:надеемся|надеюсь|рассчитываем)\s+на\s+(?:ваше\s+)?понимание\b",
        r"\bс\s+уважением\s+к\s+вашему\s+времени\b",
        r"\bобращаем\s+ваше\s+внимание(?:\s+на\s+то,?\s+что)?|\bинформируем\s+вас\b",
        r"\bв\s+связи\s+с\s+вышеизложенным\b|\bвышеуказанн\w*|\bвышеизложенн\w*",
        r"\bplease\s+be\s+advised(?:\s+that)?\b|\bkindly\s+(?:note|be\s+informed)(?:\s+that)?\b",
        r"\b(?:we\s+)?(?:would\s+like\s+to\s+)?apologi[sz]e\s+for\s+any\s+inconvenience"
        r"(?:\s+(?:this|that|it)\s+(?:may\s+have\s+)?(?:caused|causes))?",
        r"\bsorry\s+for\s+any\s+inconvenience(?:\s+caused)?",
        r"\b(?:please\s+)?(?:do\s+not|don't)\s+hesitate\s+to\s+(?:contact|reach\s+out\s+to"
        r"|get\s+in\s+touch\s+with)(?:\s+us)?\b",
        r"\b(?:we\s+would\s+like\s+to|this\s+is\s+to)\s+inform\s+you(?:\s+that)?\b",
        r"\bfor\s+your\s+(?:kind\s+)?information\b",
    ),
    # Formal thanks as an opening line are ritual; plain «Спасибо за обращение» is not flagged.
    _rule(
        "filler",
        "Начните с сути: формальная благодарность в начале ответа — «вода»",
        "Start with the answer: a formal thank-you opening is filler",
        r"\A\s*(?:(?:здравствуйте|добрый\s+\w+|доброе\s+утро|приветствую|hello|hi|dear\s+\w+"
        r"|good\s+(?:morning|afternoon|evening))[^.!?\n]{0,40}[.!?\n,]+\s*)?"
        r"(?P<hit>благодар(?:им|ю)\s+(?:вас\s+)?за\s+(?:ваше\s+)?(?:обращение|вопрос|письмо"
        r"|запрос|сообщение)|we\s+thank\s+you\s+for\s+(?:your\s+)?(?:inquiry|enquiry|request"
        r"|message|contacting\s+us|patience))",
    ),
    _rule(
        "tone",
        "Резкий или снисходительный тон: перефразируйте нейтрально и по делу",
        "Rude or condescending tone: rephrase it neutrally",
        r"\bкак\s+я\s+(?:уже\s+)?(?:говорил|сказал|писал|объяснял|упоминал|отвечал)\w*",
        r"\bкак\s+уже\s+(?:было\s+)?(?:сказано|говорилось|писалось|упоминалось)\b",
        r"\bя\s+же\s+(?:уже\s+)?(?:говорил|сказал|писал|объяснял)\w*"
        r"|\b(?:вам|тебе)\s+же\s+(?:уже\s+)?(?:сказали|написали|объяснили|говорили)\b",
        r"\bвы\s+(?:(?:не\s*)?внимательно\s+|плохо\s+|не\s+)(?:читали|прочитали|прочли|читаете"
        r"|смотрели)\b|\bневнимательн\w*|\bчитайте\s+внимательн\w*"
        r"|\b(?:читайте|смотрите|будьте)\s+внимательнее\b|\bвнимательнее\s+(?:читайте|смотрите)\b",
        r"\b(?:(?:это|ведь)\s+(?:же\s+)?)?очевидно\s+же\b|\b(?:это|ведь)\s+(?:же\s+)?очевидно\b"
        r"|\bсовершенно\s+очевидно\b",
        r"\bеще\s+раз\s+(?:вам\s+)?повторяю\b|\bповторяю\s+(?:вам\s+)?(?:еще\s+раз|в\s+\w+\s+раз)"
        r"|\bв\s+(?:который|сотый|десятый)\s+раз\b|\bсколько\s+можно\b",
        r"\bэлементарн\w*|\bдаже\s+(?:ребенок|школьник)\b|\bлюбой\s+школьник\b"
        r"|\bдля\s+особо\s+одаренных\b",
        r"\bуспокойтесь\b|\bне\s+(?:надо|нужно)\s+(?:истерить|кричать)\b"
        r"|\bне\s+истерите\b|\bне\s+кричите\b",
        r"\bвы\s+что,?\s+не\s+(?:видите|понимаете|читаете|умеете)\b"
        r"|\b(?:неужели|разве)\s+(?:так\s+)?(?:сложно|трудно|непонятно)\b",
        r"\b(?:учите|изучите)\s+матчасть\b|\bгуглите\b|\brtfm\b|\bсами\s+виноваты\b"
        r"|\bэто\s+ваши\s+проблемы\b|\bне\s+наши\s+проблемы\b",
        r"\bas\s+i(?:'ve|\s+have)?\s+(?:already\s+|previously\s+)?(?:said|told\s+you|mentioned"
        r"|explained|wrote|stated)\b|\bi(?:'ve|\s+have)?\s+already\s+told\s+you\b",
        r"\bobviously\b|\b(?:it's|it\s+is|that's|that\s+is)\s+(?:so\s+|quite\s+)?obvious\b",
        r"\bread\s+the\s+(?:\w+\s+)?(?:manual|docs)\b|\bcalm\s+down\b|\bgoogle\s+it\b",
        r"\bfor\s+the\s+(?:last|hundredth|tenth|third)\s+time\b"
        r"|\bhow\s+many\s+times\s+(?:do|must|should|have)\s+i\b"
        r"|\bdid\s+you\s+(?:even|actually)\s+(?:read|try|look)\b",
        r"\bnot\s+rocket\s+science\b|\b(?:it's|it\s+is|this\s+is)\s+(?:really\s+)?elementary\b"
        r"|\b(?:not|isn't)\s+(?:my|our)\s+problem\b|\b(?:that's|it's)\s+your\s+problem\b"
        r"|\byour\s+(?:own\s+)?fault\b|\bpay\s+more\s+attention\b"
        r"|\byou\s+(?:obviously|clearly)\s+(?:didn't|did\s+not|haven't|have\s+not|don't)\b",
    ),
)
