"""Tone patterns behind the rudeness detector: barked orders, threats, contempt.

Like :mod:`assist.policy.rudeness_lexicon` they run on *normalised* text and are about what
the message does to the person reading it. A calm complaint («буду вынужден обратиться к
руководству», "I will file a formal complaint") is neither an order nor a threat; getting the
specialist fired, suing them or "you won't enjoy what comes next" is.
"""

from __future__ import annotations

import re

# Orders barked at the specialist, paying-customer lectures, "I don't care, just do it".
BOORISH = re.compile(
    r"\b(?:живо|бегом|шустро|резво|пулей)\s+(?:мне\s+)?(?:[\w-]+\s+)?\w+(?:ли|тесь|йте|ите)\b"
    r"|\bя\s+вам\s+(?:[\w-]+\s+)?(?:деньги\s+|бабки\s+|зарплату\s+)?плачу\b"
    r"|\bя\s+плачу\s+вам\b"
    r"|\b(?:за\s+что|зачем)\s+(?:вам|вы)\s+(?:[\w-]+\s+)?(?:деньги|зарплату|зп|бабки)"
    r"\s+(?:платят|получаете)\b"
    r"|\b(?:по)?шевел(?:итесь|ись|ивайтесь|ивайся)\b|\bповорачивайтесь\b|\bпоживее\b"
    r"|\bработайте\s+давайте\b|\bдавайте\s+работайте\b|\bделайте\s+свою\s+работу\b"
    r"|\bзаймитесь\s+(?:уже\s+)?делом\b|\bхватит\s+(?:сидеть|спать|отписываться|отмазываться"
    r"|прохлаждаться|болтать)\b|\bслушайте\s+сюда\b|\bслушай\s+сюда\b|\bкому\s+сказал\b"
    r"|\bхватит\s+(?:мне\s+)?(?:тут\s+)?(?:писать\s+)?(?:[«\"]\w+|простын\w*|отписк\w*|шаблон\w*)"
    r"|\bвремя\s+пошло\b|\bработай(?:те)?\s*!{2,}|\banswer\s+me\s+now\b"
    r"|\bне\s+умничай(?:те)?\b|\bя\s+(?:вам\s+|тебе\s+)?не\s+нанимал\w*"
    r"|\bхрен\s+(?:вам|тебе)\b"
    r"|\bмне\s+(?:на)?(?:плевать|пофиг|похер|пох|срать)\s+на\s+(?:ваш|вас|тво)\w*"
    r"|\b(?:ты|вы)\s+мне\s+(?:тут\s+|здесь\s+)?не\s+(?:рассказыва|указыва|умнича|объясня|втира"
    r"|залива)(?:й|йте)\b"
    r"|,\s*(?:вам\s+|тебе\s+)?(?:ясно|понятно|поняли|понял)\s*\?"
    r"|\bработать\s+когда\s+(?:начнете|будете)\b|\bкогда\s+работать\s+(?:начнете|будете)\b"
    r"|\b(?:пошли|пошел|пошла|идите|иди|катитесь|катись)\s+(?:вы|ты)\b|\bпроваливайте\b"
    r"|\bотвалите\b|\bзаткнитесь\b|\bзаткнись\b"
    r"|\b\w{3,}(?:ай|яй|ей|уй|и)\s+давай\b|\b\w{3,}(?:айтесь|яйтесь|итесь|айте|яйте|ите)\s+давайте\b"
    r"|\bживо\s*!|,\s*живо\s*[.!]*\s*$|\bживо\s+\w+(?:и|й)\b"
    r"|\bкакого\s+(?:черта|хрена|лешего|рожна)\b|\bна\s+кой\s+(?:черт|хрен)\b"
    r"|\blisten\s+here\b|\bnot\s+(?:going\s+to\s+)?ask(?:ing)?\s+(?:you\s+)?twice\b"
    r"|\b(?:when|why|where|how|who)\s+the\s+hell\b"
    r"|\bwhat\s+the\s+hell\s+(?:are|were|do|did|have)\s+(?:you|u|your)\b"
    r"|\bда\s+чтоб\s+(?:вас|тебя)\b|\bчтоб\s+(?:вас|тебя)\s+(?:всех|черти|разорвало)\b"
    r"|\b(?:плевать|пофиг|похер|начхать)\s+мне\s+на\s+(?:ваш|вас|тво)\w*"
    r"|\bслышь\b|\bи\s+побыстрее\b|\bпобыстрее\s+давай\b"
    r"|\bdo\s+your\s+(?:\w+\s+)?job\b|\bchop\s+chop\b|\bmove\s+it\b"
    r"|\bi\s+pay\s+(?:your|you)\b|\bi(?:'m|\s+am)\s+paying\s+(?:you|your)\b"
    r"|\bwhat\s+(?:do|am)\s+i\s+pay(?:ing)?\s+you\s+for\b"
    r"|\bi\s+don'?t\s+care\s+(?:about\s+your|what|how)\b|\bstop\s+wasting\s+my\s+time\b"
    r"|\bget\s+(?:me\s+)?(?:someone|somebody)\s+competent\b"
)
# «быстро сделали мне» barks an order; «молодцы, быстро разобрались» thanks. The adverb plus a
# past plural is an order only when nothing in the message thanks or praises.
HURRY_ORDER = re.compile(
    r"(?<!вы\s)(?<!так\s)(?<!очень\s)(?<!как\s)\b(?:быстро|срочно|немедленно|сейчас\s+же)\s+"
    r"(?:мне\s+)?(?:[\w-]+\s+)?(?:сделали|починили|исправили|ответили|вернули|включили"
    r"|подключились|перезвонили|разобрались|восстановили|открыли|дали|выдали)\b"
    # The singular past with «мне» is said to one specialist: «быстро вернул мне линию».
    r"|\b(?:быстро|живо|срочно)\s+(?:сделал|починил|исправил|вернул|включил|открыл|ответил)"
    r"\s+мне\b"
)

# Intimidation of the specialist: lawsuits thrown at them, their job, "you'll regret it".
THREAT = re.compile(
    r"\bзасуж\w*|\bпо\s+судам\s+(?:\w+\s+)?затаска\w*|\bпеняйте\s+на\s+себя\b"
    r"|\bвылет(?:ит|ишь|ите|ят)\s+(?:с|из|отсюда)\b|\bуволю\b"
    r"|\b(?:ты|вы)\s+(?:тут|здесь|там|у\s+них)\s+(?:больше\s+)?не\s+работа(?:ешь|ете)\b"
    r"|\bбольше\s+не\s+работа(?:ешь|ете)\b|\bя\s+(?:лично\s+)?(?:прослежу|позабочусь),?\s+чтобы"
    r"|\bя\s+знаю,?\s+где\s+(?:ваш|вы|ты|твой)\w*|\bпожалеете\b|\bпожалеешь\b"
    r"|\byou(?:'ll|\s+will)?\s+(?:won'?t|not|will\s+not)\s+enjoy\b|\byou(?:'ll|\s+will)\s+regret\b"
    r"|\byou(?:'ll|\s+will)\s+be\s+sorry\b|\bget\s+(?:you|u)\s+(?:\w+\s+)?fired\b"
    r"|\b(?:you|u)(?:'re|\s+are)\s+(?:so\s+)?(?:getting\s+)?fired\b|\bi\s+know\s+where\s+(?:you|your)\b"
)
# Contempt for the support team or the company as a whole, and for their people.
CONTEMPT = re.compile(
    r"\bшарашк\w*|\bпомойк\w*|\bстыдоба\b|\bпозорище\b"
    r"|\b(?:писать|общаться|разговаривать)\s+(?:с\s+)?вам(?:и)?\s+(?:даже\s+)?противно"
    r"|\bпротивно\s+(?:даже\s+)?(?:писать|общаться|разговаривать)\s+(?:с\s+)?вам(?:и)?\b"
    r"|\bна\s+мороз\b|\bпо\s+объявлению\s+на\s+заборе\b"
    r"|\bworst\W+support\W+ever\b|\bclown\s+(?:show|car|college|school)\b"
    r"|\b(?:you|you\s+people|you\s+guys|you\s+lot)\s+should\s+be\s+ashamed\b"
    r"|\b(?:a|an)\s+(?:parrot|monkey|chimp|toddler|child|five-year-old|trained\s+\w+)\s+could"
    r"\s+(?:do|run)\b"
    r"|\b(?:hired|hire|found|picked)\s+(?:\w+\s+){0,4}off\s+the\s+street\b"
    r"|\bshould\s+be\s+(?:banned|kept)\s+from\s+(?:touching|going\s+near)\b"
    r"|\b(?:your|this|the)\s+(?:whole\s+|entire\s+)?(?:support|helpdesk|help\s+desk|service"
    r"|team|company|support\s+desk|support\s+team)\s+(?:is|are)\s+a\s+(?:joke|circus|disgrace)\b"
)
