"""Word lists and patterns behind the rudeness detector (see :mod:`assist.policy.rudeness`).

Every pattern runs on *normalised* text: lowercase, ё→е, look-alike letters mapped to
Cyrillic inside Russian words, masks resolved, spelled-out words joined, letter runs squeezed.
So the patterns spell words plainly and need no case or look-alike variants.

The lists are deliberately about *people*: obscenity is rude whoever it is aimed at, but
harsh words are rude only when they name the specialist, the support team or the developers
(«вы идиоты», «тупые клоуны»). Harsh words about the software («тупит», «кошмар», «дурацкое
окно», "this update is terrible") are left to the model, which our own chat examples teach
that they are not rude.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# Latin and digit shapes that stand for Cyrillic letters. STRICT ones look the same in print,
# so a whole Latin token made only of them is read as Cyrillic inside Russian text ("cyka").
# The LOOSE ones only look alike in handwriting or leetspeak, so they are mapped only inside
# a token that already has Cyrillic letters ("пuздец", "бл9").
STRICT_LOOKALIKES: Mapping[str, str] = MappingProxyType(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
    }
)
# "z" is not a look-alike but a transliteration people mix in («пиzдец», «zаебали»).
LOOSE_LOOKALIKES: Mapping[str, str] = MappingProxyType({"u": "и", "n": "п", "r": "г", "z": "з"})
# A digit counts as a letter only next to letters and alone (not "100руб", "2гб").
CYRILLIC_DIGITS: Mapping[str, str] = MappingProxyType(
    {"0": "о", "3": "з", "4": "ч", "6": "б", "9": "я"}
)
LATIN_DIGITS: Mapping[str, str] = MappingProxyType(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
)
# Characters people type instead of letters to get past filters. '.', '!' and '?' are
# punctuation as well, so they count only between letters.
MASK_CHARS = frozenset("*#%@$")
INNER_MASK_CHARS = frozenset(".!?")
# When a mask cannot be resolved against OBSCENE_FORMS, these still read as letters.
MASK_FALLBACK_CYRILLIC: Mapping[str, str] = MappingProxyType({"@": "а", "$": "с"})
MASK_FALLBACK_LATIN: Mapping[str, str] = MappingProxyType({"@": "a", "$": "s", "!": "i"})
# A one-letter stem with a mask ("х**", "f***") is unmasked only for these first letters;
# "с*" or "c*" is too often something else.
SHORT_MASK_STEMS = frozenset("хпбеf")

# Whole forms a masked token may stand for ("х**ня" → хуйня, "f*ck" → fuck). Order is the
# preference when two forms fit equally well.
OBSCENE_FORMS: tuple[str, ...] = tuple(
    [
        "хуй",
        "хуя",
        "хуе",
        "хую",
        "хуи",
        "хуйня",
        "хуйню",
        "хуйни",
        "хуево",
        "хуета",
        "хуило",
        "нахуй",
        "нахуя",
        "похуй",
        "нихуя",
        "охуеть",
        "охуели",
        "охуел",
        "охуела",
        "ахуеть",
        "пизда",
        "пизде",
        "пизду",
        "пизды",
        "пиздец",
        "пиздеж",
        "пиздит",
        "пиздос",
        "спиздили",
        "ебать",
        "ебал",
        "ебали",
        "ебало",
        "ебаный",
        "ебаная",
        "ебаное",
        "ебаные",
        "ебанный",
        "ебанутый",
        "ебнутый",
        "ебучий",
        "ебучая",
        "заебали",
        "заебал",
        "заебало",
        "заебись",
        "уебок",
        "уебки",
        "уебан",
        "наебали",
        "выебываться",
        "долбоеб",
        "долбоебы",
        "блядь",
        "блять",
        "бля",
        "бляди",
        "сука",
        "суки",
        "сучка",
        "мудак",
        "мудаки",
        "мудила",
        "гандон",
        "гондон",
        "пидор",
        "пидорас",
        "нахер",
        "похер",
        "херня",
        "хер",
        "хрен",
        "говно",
        "дерьмо",
        "жопа",
        "жопу",
        "жопы",
        "жопой",
        "залупа",
        "шлюха",
        "fuck",
        "fucking",
        "fucked",
        "fucker",
        "fuckers",
        "motherfucker",
        "dolboeb",
        "dolboeby",
        "shit",
        "shitty",
        "bullshit",
        "bitch",
        "bitches",
        "asshole",
        "assholes",
        "bastard",
        "cunt",
        "dick",
        "dickhead",
    ]
)

_OBSCENE_RU = (
    # хуй and its family; the prefixes are listed so that страхуйте, выхухоль, худо stay clean.
    r"\b(?:на|по|о|а|ни|до|за|рас|раз|от|об|при|вы|с|под|пере|недо)?ху(?:й|е|я|ю|и[лт])\w*"
    r"|\bхули\b"
    r"|\w*п[ие]зд\w*"
    # еб-: only after a listed prefix, so небо, себе, вебинар, хлебать, колебания stay clean.
    r"|\b(?:за|на|у|вы|до|от|отъ|по|подъ|съ|въ|разъ|раз|изъ|при|про|пере|недо|об|объ|о)?"
    r"еб(?:а|у|е[тш]|л|н|ис|уч|и|ы)\w*"
    r"|\b(?:за|на|у|вы|до|от|отъ|по|подъ|съ|въ|разъ|раз|изъ|при|про|пере|недо|об|объ|о)ебо\w*"
    r"|\bдолб[оа]еб\w*"
    r"|\bбля(?![хш])\w*"  # бляха, бляшка are buckles
    r"|\bс+ук(?:а|и|у|е|ой|ою|ам|ами|ах|ин|ина|ины|ино|ину)\b"  # not сук, сукно
    r"|\bсуч(?:ка|ки|ку|ке|кой|ара|ары|ий|ьё)\b"
    r"|\bмуда[кч]\w*|\bмудил\w*|\bмудозвон\w*"
    r"|\bг[ао]ндон\w*"
    r"|\bпид[оа]р\w*|\bпидр\w*|\bпедерас\w*"
    r"|\bшлюх\w*|\w*залуп\w*|\bманд(?:а|ы|у|е|ой)\b|\bмандав\w*"
    r"|\b(?:на|по|ни|до|за)?хер(?:а|ом|ов|ово|ня|ню|ни|не|ь)?\b|\bхерн\w*|\bхерово\w*"
    r"|\bхерач\w*|\bхерот\w*"
    r"|\w*говн\w*|\bговен\w*|\bдерьм\w*|\bжоп\w*"
    r"|\b(?:на|обо|за|вы|по|про)?ср(?:ать|ал|ала|али|ало|ут|ет|ешь|ется|ан(?:ый|ая|ое|ые|ого"
    r"|ую|ых|ой|ом))\b|\bобосра\w*|\bзасран\w*"
    r"|\bдроч\w*|\bвысер\w*"
    # Abbreviated and vulgar forms: «нах», «пздц», «ёпт», «задолбали», «хрень» (not the
    # surname «Хренов»), «гавно».
    r"|\bнах\b|\bнахрен\w*|\bпзд\w*|\bп[иі]?здц\w*|\b[её]п(?:т|та|ть)?\b"
    r"|\bзадолба\w*|\bзаколеба\w*"
    r"|\bхрен(?:ь|и|ью|ота|ово|овый|овая|овое|овые|овых|овину|овина)\b|\bгавн\w*"
    # Russian obscenity typed in Latin letters.
    r"|\bbl[yj]a(?:t|d)\w*|\bbl[yj]a\b|\bpizd\w*|\b(?:na|po|ni)[hx]u[iyj]\w*|\b[hx]u[iyj]n[yj]a\b"
    r"|\bsuka\b|\b(?:za|na|vy|po)?eba[lnt]\w*|\bdolb[oa]eb\w*|\bnasra\w*|\bgreban\w*"
    # Clipped and elided: «мне пох», «бл.», «п...ц», «грёбаный», «мать вашу».
    r"|\bпох\b|\bбл\b|\bп(?:\.{2,}|…)ц\w*|\bгреба(?:н|нн)\w*"
    r"|\bмать\s+(?:вашу|твою|их)\b|\b(?:вашу|твою|их)\s+мать\b"
)
_OBSCENE_EN = (
    r"\b(?:mother|motha)?f[ua]ck\w*|\bfuk(?:ing|in)?\b|\bfck\w*|\bwtf\b|\bstfu\b|\bgtfo\b"
    r"|\b(?:bull|horse|ape)?shit(?!ake)\w*|\bshite\b"
    r"|\bbitch\w*|\bbastard\w*|\bass(?:hole|hat|wipe)\w*|\bcunt\w*|\bdickhead\w*"
    r"|\bjackass\w*|\bdumbass\w*|\bpiss off\b|\bscrew you\b"
    r"|\bcrap(?:py|pier|piest)?\b|\bgoddamn\w*|\b(?:your|this|the|my|that)\s+damn(?:ed)?\s+\w+|\bsmart-?ass\w*"
    r"|\b(?:lazy|dumb|half|bad|kiss\s+my)[-\s]ass\w*|\bjerks?\b|\bbs\b"
)
OBSCENITY = re.compile(f"(?:{_OBSCENE_RU}|{_OBSCENE_EN})")

# Nouns that insult whoever they name; said in a support chat they name the other side.
_INSULT_NOUNS_RU = (
    r"\bидиот(?:ы|ов|ам|ами|а|у|ом|ка|ки|ке|ку|ина|ины)?\b"
    r"|\bдебил(?:ы|ов|ам|ами|а|у|ом|ка|ки|ушк\w*)?\b"
    r"|\bкретин\w*|\bпридур(?:ок|ка|ки|ков|кам|ками|очн\w*)\b|\bдегенерат\w*|\bимбецил\w*"
    r"|\bолигофрен\w*|\bнедоум(?:ок|ка|ки|ков|кам|ками)\b|\bублюд\w*|\bмраз(?:ь|и|ей|ота)\b"
    r"|\bтвар(?:ь|и|ей)\b|\bсволоч\w*|\bурод(?:ы|ам|ами|ина|ины)?\b|\bскотин\w*"
    r"|\bкозел\b|\bкозл(?:ы|ам|ами|ина)\b|\bбыдл\w*|\bчмо\b|\bчмошн\w*|\bлох(?:и|ам)?\b"
    r"|\bдур(?:а|ак|аки|акам|ачье|ень|ни|еха)\b|\bбездар(?:ь|и|ей|ности)\b|\bтупиц\w*"
    r"|\bклоун(?:ы|ов|ам|ами|а)?\b|\bбаран(?:ы|ам|ами)\b|\bослы\b"
    r"|\bкриворук\w*|\bбезрук\w*|\bрукожоп\w*|\bбестолоч\w*"
    r"|\bлентя(?:й|и|ев|ям|ями)\b|\bбалабол\w*|\bдурач(?:ок|ка|ки|ков|ком)\b"
    r"|\bдармоед\w*|\bупыр\w*|\bгад(?:ы|ина)?\b|\bостолоп\w*|\bболван(?:ы|а|у|ом)?\b|\bолух\w*"
    r"|\bтупорыл\w*|\bбезмозгл\w*|\bслабоумн\w*|\bпридурк\w*"
    r"|\bдаун(?:ы|ов|ам|ами)\b|\bдятл(?:ы|ов|ам|ами)\b"
    r"|\bобезьян(?:ы|ам|ами|а)?\b|\bнеуч(?:и|ей|ам|ами)?\b|\bгоре-\w+"
    r"|\bбездельник(?:и|ов|ам|ами)?\b|\bдвоечник\w*|\bнеумех\w*|\bдилетант(?:ы|ов|ам|ами)\b"
    r"|\bдиванн\w+\s+(?:эксперт|аналитик|специалист|войск)\w*"
    # Words that are insults only in a crowd: «сборище неудачников», «кучка бездельников».
    r"|\b(?:сборище|кучка|стадо|банда|шайка|толпа)\s+(?:\w+\s+)?(?:неудачник|бездельник|дилетант"
    r"|лентя|обезьян|умник|бездар|клоун|идиот|дебил)\w*"
)
_INSULT_NOUNS_EN = (
    r"\bidiots?\b|\bmorons?\b|\bimbeciles?\b|\bcretins?\b|\bdimwits?\b"
    r"|\bretard(?:s|ed)?\b|\bclowns\b|\bbrain-?dead\b|\bbrainless\b|\blosers\b|\bmonkeys\b"
    r"|\bbunch of (?:\w+ )?(?:amateurs|monkeys|clowns|incompetents)\b"
    r"|\bfools\b|\bmuppets?\b|\bbuffoons?\b|\b(?:nit|half)wits?\b|\bdunces\b|\bnumpties\b"
)
INSULT_NOUN = re.compile(f"(?:{_INSULT_NOUNS_RU}|{_INSULT_NOUNS_EN})")

_PEOPLE_RU = (
    r"(?:специалист|сотрудни|оператор|поддержк|техподдержк|программист|разработчик"
    r"|консультант|менеджер|девушк|парн|люд|спец|админ|клоун)\w*"
)
# Harsh adjectives and verbs that are insults only when they point at people.
INSULT_AT_PEOPLE = re.compile(
    r"\b(?:вы|ты)\b[\s,]+(?:[\w-]+[\s,]+){0,2}?"
    r"(?:туп(?:ые|ой|ая|ица|ицы)|охренел\w*|офигел\w*|оборзел\w*|обнаглел\w*|охамел\w*"
    r"|совсем\s+(?:с\s+ума|ку-?ку)|рехнул\w*|спятил\w*|отупел\w*|не\s+в\s+себе"
    # «ну ты и тормоз» names the person; «программа тормозит» is left to the model.
    r"|тормоз(?:а|ы)?)\b"
    rf"|\bтуп(?:ой|ая|ые|ого|ых|ому|ым|ыми)\s+(?:[\w-]+\s+)?{_PEOPLE_RU}"
    rf"|\b{_PEOPLE_RU}\s+(?:[\w-]+\s+){{0,2}}туп(?:ой|ая|ые|ица|ицы)\b"
    r"|\bтуп(?:ой|ая|ые)\s+как\s+(?:пробк\w*|валенок|дрова|бревно)"
    r"|\bруки\s+из\s+(?:жопы|задницы|одного\s+места)"
    r"|\bпонабрал\w*|\bпонаберут\w*"
    r"|\b(?:you|u)\s+(?:guys\s+|people\s+|all\s+)?(?:are|r)\s+(?:so\s+|completely\s+|totally\s+"
    r"|just\s+|such\s+)?(?:a\s+|an\s+)?(?:incompetent|useless|stupid|dumb|pathetic|clueless"
    r"|a joke|joke|idiots?|morons?|clowns?)\b"
    r"|\bare\s+(?:you|u)\s+(?:guys\s+|people\s+|all\s+)?(?:completely\s+|totally\s+|just\s+|so\s+)?"
    r"(?:stupid|dumb|blind|deaf|lazy|an idiot|idiots|morons?|incompetent|useless|clueless)\b"
    r"|\b(?:you|u)\s+(?:guys\s+|people\s+|all\s+)?(?:are|r)\s+(?:such\s+)?an?\s+disgrace\b"
    r"|\bstop\s+being\s+(?:so\s+)?(?:dense|stupid|dumb|lazy|useless)\b"
    r"|\bруки\s+(?:бы\s+)?(?:ему\s+|им\s+|вам\s+|тебе\s+)?(?:оторвать|поотрывать|повыдергивать"
    r"|поотбивать)\b"
    rf"|\b{_PEOPLE_RU}\s+(?:[\w-]+\s+)?тупее\b"
    r"|\b(?:useless|incompetent|stupid|dumb|lazy)\s+(?:idiots|morons|clowns|people|staff"
    r"|imbeciles|support staff|monkeys)\b"
    r"|\b(?:stupid|dumb)\s+(?:support\s+staff|staff|specialists?|agents?|operators?)\b"
    r"|\bshut\s+up\b"
    # Condescension: «для особо одаренных», «как маленьким», «позовите кого-нибудь поумнее».
    r"|\bдля\s+(?:особо\s+)?одаренн\w*|\bкак\s+(?:маленьким|маленькому|детям|для\s+тупых)\b"
    r"|\bкого-(?:нибудь|то)\s+(?:по)?умне\w*|\bвы\s+(?:вообще\s+)?русский\s+(?:язык\s+)?понимаете"
    rf"|\b(?:вы|ты|{_PEOPLE_RU})\s+(?:[\w-]+\s+){{0,2}}не\s+соображ\w*"
    r"|\bнаймите\s+(?:уже\s+)?(?:нормальных|толковых|адекватных|нормального|толкового)\b"
    r"|\b(?:impressive|such|total|utter|sheer)\s+incompetence\b"
)
# Self-reproach is polite: «я дурак, не туда нажал».
SELF_DEPRECATION = re.compile(
    r"\b(?:я|себя)\s+(?:(?!вы\b|ты\b|вас\b|вам\b|ваш)[\w-]+\s+){0,3}?(?:как\s+)?"
    r"(?:последний\s+|полный\s+|такой\s+)?"
    r"(?:идиот|дурак|дура|дурачок|балбес|тупица|дебил|лох|криворук|неудачни|лентяй)\w*"
)

# Sarcasm in a support chat: ironic praise next to a complaint about what *they* did.
IRONIC_PRAISE = re.compile(
    r"👏|\b(?:гениальн\w*|гени[йи]\w*|браво|молодцы|умницы|волшебник\w*|мастера\s+своего\s+дела|(?:отличн|прекрасн|замечательн"
    r"|великолепн)\w*\s+работ\w*|world-class|шикарн\w*|блестящ\w*|блестяще|великолепн\w*|поздравляю"
    r"|аплодир\w*|шедевр\w*|офигенн\w*|вот\s+это\s+(?:сервис|поддержка|уровень|скорость|качество)|профессионалы"
    r"|о,?\s+чудо|чудеса|ну\s+спасибо|спасибо,?\s+(?:очень|огромное|большое)?\s*помогли"
    r"|great\s+job|good\s+job|well\s+done|nice\s+job|nice\s+work|great\s+work|bravo"
    r"|genius\w*|brilliant|amazing|awesome|fantastic|wonderful|congrat\w*)\b"
)
BLAME = re.compile(
    r"\b(?:сломал\w*|поломал\w*|угробил\w*|положил\w*|убили|запорол\w*|опять|снова"
    r"|в\s+очередной\s+раз|как\s+всегда|как\s+обычно|очередн\w*|ничего\s+не\s+работает"
    r"|не\s+работает|тестир\w*|через\s+(?:\w+\s+)?час\w*|одно\s+и\s+то\s+же"
    r"|ни\s+(?:одного\s+)?ответа|(?:целую|целый|уже)\s+(?:недел|месяц)\w*"
    r"|broke|broken|breaks|breaking|again|as\s+usual|as\s+always|hours?"
    r"|(?:another|yet\s+another)\s+(?:update|release|bug|outage|crash|version)"
    r"|(?:a\s+whole|an\s+entire)\s+(?:week|month)"
    # Irony markers that turn the praise next to them: «ну конечно», «всего-то четыре дня».
    r"|ну\s+конечно|всего-?то|ничего\s+не\s+происходит|теперь\s+(?:\w+\s+)?(?:даже|только)"
    r"|(?:even\s+)?worse|managed\s+to\s+(?:break|make|lose)"
    r"|(?:дн(?:я|ей)|недел[иью]|час(?:а|ов)?|месяц(?:а|ев)?)\s+на\s+ответ)\b"
)
# Praise followed by a good outcome or thanks is sincere: «вы гении, удаленка снова работает».
SINCERE = re.compile(
    r"(?<!не\s)\b(?:заработал\w*|работа(?:ет|ют)(?!\s+(?:только|через\s+раз|как\s+попало|еле))"
    r"|получилось|решен\w*|приходят|починил\w*"
    r"|исправил\w*|спасибо(?!\s+за\s+ничего)(?!,?\s+конечно)|благодар\w*"
    r"|works|worked|working|fixed|solved|arrive|helped|thank\s+you|thanks(?!\s+for\s+nothing))\b"
    # Praise with its reason, or followed by "but", is meant: «молодцы, что ответили, но ...».
    r"|\b(?:молодцы|умницы|браво),?\s+что\b|\b(?:но|однако|but|however)\b"
)
MOCKERY = re.compile(
    r"\(\s*(?:нет|not)\s*\)"
    r"|🤡|\bwhat\s+a\s+joke\b|\ba\s+joke\s+of\s+a\b|\bpathetic\b"
    r"|\bdo(?:es)?\s+(?:you|u|your\s+\w+|anyone|anybody)\s+(?:guys\s+|people\s+)?(?:even\s+|ever\s+)?"
    r"test\s+(?:anything|this|it|before)\b"
    r"|\b(?:эй|ну),?\s+(?:умники|гении|гуру|знатоки|айтишники|профессионалы)\b"
    r"|\bкто\s+(?:ее|его|это|эту\s+\w+|этот\s+\w+)\s+вообще\s+(?:писал|делал|придумал"
    r"|программировал|тестировал)\w*"
    r"|\bспасибо\s+за\s+ничего\b|\bthanks\s+for\s+nothing\b|\bslow\s+clap\b"
    r"|\bвы\s+(?:вообще|хоть|хотя\s+бы)\s+(?:[\w-]+\s+){0,2}?(?:тестир|проверя|пробовал)\w*"
    r"|\b(?:(?:кто|где|кем|как)\s+(?:[\w-]+\s+)?вас|вас\s+(?:[\w-]+\s+)?(?:кто|где|кем|как))"
    r"\s+(?:[\w-]+\s+){0,3}?(?:нанимал|набирал|учил|обучал|принимал|готовил|воспитывал|взял|брал)\w*"
    r"|\bчитать\s+(?:не\s+)?(?:умеете|умеешь|разучились|научитесь)\b"
    r"|\b(?:научитесь|научись|учитесь)\s+читать\b"
    r"|\bмозги\s+(?:включите|включи|есть|имеются)\b|\bголову\s+включите\b"
    r"|\bвключите\s+(?:мозги|голову)\b|\bдумать\s+(?:не\s+пробовали|умеете)\b"
    r"|\bвы\s+(?:там\s+)?(?:вообще\s+)?(?:думаете\s+головой|головой\s+думаете)\b"
    r"|\bвы\s+(?:вообще\s+)?понимаете,?\s+что\s+(?:вы\s+)?(?:пишете|говорите|несете)\b"
    # Condescension: spelled out slowly, syllable by syllable, "so even you can follow".
    r"|\bпо\s+слогам\b|\bс\s+первого\s+раза\s+не\s+(?:доходит|понимаете|понятно)\b"
    r"|\blet\s+me\s+spell\s+it\s+out\b|\bso\s+(?:that\s+)?even\s+(?:you|u)\s+(?:can|could|will|get)\b"
    # Mock address: «Короче, умник», "Listen, sweetie", "Come on, geniuses".
    r"|\b(?:короче|слушай|слушайте|ну|эй|так),?\s+умник\w*|,\s*умник(?:и)?\s*[,.!?]"
    r"|\bsweetie\b|\b(?:listen|look),?\s+(?:honey|sweetheart|darling|pal|buddy)\b"
    r"|,\s*genius(?:es)?\s*(?:[,.!?]|$)|\byou\s+geniuses\b|\bcome\s+on,?\s+geniuses\b"
    r"|\bтак\s+называем\w+\s+(?:поддержк|специалист|техподдержк|сервис)\w*"
    # Mock titles: «Когда почините, гении?», «да ладно, гуру сервиса», «раз сами такие великие».
    r"|,\s*(?:гени[йи]|умник[иа]?|умниц[аы]|гуру|знаток[иа]?|светил[оа]|эксперт[ыа]?"
    r"|профессионал[ыа]?)\s*\?"
    r"|\b(?:да\s+ладно|ну\s+конечно|ну\s+да|ага),?\s+(?:[\w-]+\s+)?(?:гении|гуру|умники"
    r"|эксперты|профессионалы|знатоки|светила)\b"
    r"|\bраз\s+(?:вы\s+|сами\s+){1,2}(?:[\w-]+\s+)?так(?:ие|ой|ая)\s+(?:умн|велик|гениальн|крут"
    r"|профессиональн|опытн)\w*"
    r"|\bну\s+вы\s+же\s+(?:у\s+нас\s+)?(?:умные|гении|профессионалы|эксперты|великие|специалисты)\b"
    r"|\bпод\s+стать\s+(?:тем|тому|вам|разработчик\w*|создател\w*|автор\w*)\b"
    r"|\b(?:чувствуется|видна|видно)\s+(?:ваша\s+)?(?:любовь|забот\w*)\s+(?:к|о)\s+"
    r"(?:пользовател|клиент|люд)\w*"
    r"|\b(?:вы\s+)?там\s+(?:все\s+)?(?:спите|уснули|заснули|вымерли|померли|сдохли)\b"
    r"|\b(?:are|r)\s+(?:you|u|your\s+\w+|they)\s+(?:guys\s+|all\s+)?(?:still\s+)?asleep\b"
    r"|[«\"“„](?:специалист\w*|профессионал\w*|эксперт\w*|разработчик\w*|программист\w*|помогли"
    r"|помог|helped|specialists?|experts?|professionals?|developers?)[»\"”]"
    r"|\b(?:for\s+the|за)\s+[«\"“„](?:help|помощь|support|поддержку|совет|advice|service)[»\"”]"
    # «Поддержка» alone may be a menu name; «ваша «поддержка»» is not.
    r"|\b(?:ваш|эт|так)\w*\s+[«\"“„]"
    r"(?:поддержк|техподдержк|служб|сервис|помощ|support|help)\w*[»\"”]"
    r"|\bso-?called\s+(?:support|specialists?|experts?|help)\b"
    r"|\b(?:can|do)\s+(?:you|u)\s+(?:guys\s+)?(?:even\s+)?(?:read|know\s+how\s+to\s+read)\b"
    r"|\blearn\s+to\s+read\b|\bdo\s+(?:you|u)\s+(?:guys\s+|people\s+)?(?:even|ever)\s+test"
    r"|\bwho\s+hired\s+(?:you|these|this)\b|\bdid\s+(?:anyone|anybody)\s+(?:even\s+)?test\b"
    r"|\b(?:кто-нибудь|кто-то|хоть\s+кто-то)\s+(?:[\w-]+\s+){0,3}?вообще\s+(?:[\w-]+\s+)?"
    r"(?:тестир|провер|запуска|пробова|смотре)\w*"
    r"|\bкапитан\s+очевидност\w*|\bcaptain\s+obvious\b"
    r"|\b(?:спасибо|ну|да),?\s+кэп\b|\bбез\s+(?:тебя|вас)\s+бы\s+не\s+догадал\w*"
    # Praise answered by its own «ага» is ironic: «мастера своего дела, ага».
    r"|\b(?:мастера\s+своего\s+дела|профессионалы|молодцы|умницы|волшебники)[\s,.!]+(?:ага|угу"
    r"|ну-ну)\b"
)

# Ordinary words whose letters overlap obscene stems (употреБЛЯть, хлЕБАть, деБАТы, сукно,
# страХУЙте, коМАНДа, Scunthorpe, assessment). The model reads characters, not meaning, so
# these words are kept out of its input; the patterns above never match them anyway.
CLEAN_WORD = re.compile(
    r"\w*(?:треб|оскорб|корабл|рубл|сабл|стебл|ослабл|углубл|озлобл|колеб|хлеб|ребят|ребен"
    r"|ребр|небес|учеб|лечеб|служеб|судеб|волшеб|хвалеб|погреб|гребе|гребн|дебат|дебет|дебит"
    r"|вебин|веб-|команд|мандар|мандат|скипидар|херес|херув|страх|сукн|худож|худш|хутор"
    r"|мудр|психолог"
    r"|scunthorp|assess|assign|assist|class|passw|bass|mass|cocktail|cockpit|peacock|hancock"
    r"|dicken|therapist|analy|shiitake|shitake|essex|sussex|button|title|document|hello|shell"
    r"|scrap|grape)\w*"
)
