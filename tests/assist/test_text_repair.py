"""text_repair: wrong-layout and transliterated Russian is repaired, English and mixed
texts are left alone. The examples double as the precision measurement in the report."""

from __future__ import annotations

import pytest

from assist.text_repair import _LAYOUT, Repair, readings, repair

# Russian support messages; each is also typed on the QWERTY layout by `_qwerty` below.
RUSSIAN = [
    "не работает",
    "привет",
    "спасибо",
    "здравствуйте",
    "добрый день, не могу зайти в программу",
    "у меня не работает удаленный доступ",
    "как настроить приложение на телефоне",
    "почему не приходят уведомления",
    "подскажите, как подключить сотрудника к линии",
    "не открывается чат с клиентом",
    "выдает ошибку при запуске",
    "программа зависает после обновления",
    "где найти настройки линии",
    "как удалить пользователя",
    "не приходит код подтверждения",
    "сколько стоит лицензия",
    "как оплатить счет",
    "не могу войти в личный кабинет",
    "забыл пароль",
    "специалист не отвечает",
    "обращение висит уже два дня",
    "нужна помощь с настройкой",
    "не работает демонстрация экрана",
    "нет звука при звонке",
    "как добавить нового сотрудника",
    "спасибо большое, все работает",
    "а можно сделать быстрее",
    "когда будет ответ",
    "проблема с подключением к серверу",
    "пишет ошибка доступа",
    "как обновить программу",
    "не могу отправить файл в чат",
    "ничего не понимаю",
    "помогите пожалуйста",
    "очень долго загружается",
    "что делать",
    "я не знаю, что случилось",
    "у нас перестала работать база",
    "как сменить тариф",
    "хотим подключить еще одну линию",
]

LAYOUT = [
    ("Ghbdtn!", "Привет!"),
    ("YT HF,JNFTN", "НЕ РАБОТАЕТ"),
    ("yt hf,jnftn xfn", "не работает чат"),
    ("rfr yfcnhjbnm ghbkj;tybt&", "как настроить приложение?"),
    ("rfr yfcnhjbnm ghjuhfvve?", "как настроить программу?"),
    ("'nj jib,rf", "это ошибка"),
    ("cgfcb,j? dct hf,jnftn", "спасибо, все работает"),
    ("Ghbdtn, e vtyz yt hf,jnftn elfktyysq ljcneg", "Привет, у меня не работает удаленный доступ"),
    ("yt hf,jnftn 1C Connect", "не работает 1C Connect"),
    ("  ghbdtn  ", "  привет  "),
    ("z pyf.", "я знаю"),
    ("Gj;fkeqcnf", "Пожалуйста"),
    ("Ghbdtn, rfr ltkf?", "Привет, как дела?"),
]

TRANSLIT = [
    ("ne rabotaet udalenka", "не работает удаленка"),
    ("privet", "привет"),
    ("spasibo", "спасибо"),
    ("zdravstvuyte", "здравствуйте"),
    ("zdravstvujte, ne mogu zajti v programmu", "здравствуйте, не могу зайти в программу"),
    ("dobryj den'", "добрый день"),
    ("dobriy den", "добрый день"),
    ("kak nastroit' prilozhenie?", "как настроить приложение?"),
    ("kak nastroit prilozhenie", "как настроить приложение"),
    ("pochemu ne prihodyat uvedomleniya", "почему не приходят уведомления"),
    ("u menya ne rabotaet udalennyj dostup", "у меня не работает удаленный доступ"),
    ("u menia ne rabotaet chat", "у меня не работает чат"),
    ("vydaet oshibku pri zapuske", "выдает ошибку при запуске"),
    ("programma zavisaet", "программа зависает"),
    ("ne mogu voiti", "не могу войти"),
    ("zabyl parol", "забыл пароль"),
    ("spasibo bolshoe, vse rabotaet", "спасибо большое, все работает"),
    ("pomogite pozhalujsta", "помогите пожалуйста"),
    ("pomogite pozhaluysta", "помогите пожалуйста"),
    ("eto oshibka", "это ошибка"),
    ("chto delat", "что делать"),
    ("chto delat'?", "что делать?"),
    ("ya ne znayu", "я не знаю"),
    ("ja ne znaju", "я не знаю"),
    ("kogda budet otvet", "когда будет ответ"),
    ("skolko stoit litsenziya", "сколько стоит лицензия"),
    ("kak oplatit schet", "как оплатить счет"),
    ("ne prihodit kod podtverzhdeniya", "не приходит код подтверждения"),
    ("specialist ne otvechaet", "специалист не отвечает"),
    ("net zvuka", "нет звука"),
    ("kak dobavit sotrudnika", "как добавить сотрудника"),
    ("ochen dolgo zagruzhaetsya", "очень долго загружается"),
    ("nuzhna pomoshch", "нужна помощь"),
    ("nuzhna pomosch", "нужна помощь"),
    ("Privet, kak dela?", "Привет, как дела?"),
    ("ne mogu podklyuchitsya k serveru", "не могу подключиться к серверу"),
    ("obnovlenie ne ustanavlivaetsya", "обновление не устанавливается"),
    ("gde nastroiki linii", "где настройки линии"),
    ("khorosho, spasibo", "хорошо, спасибо"),
    ("horosho", "хорошо"),
    ("1C Connect ne rabotaet", "1C Connect не работает"),
]

UNTOUCHED = [
    "remote access does not work",
    "hello",
    "hi",
    "ok",
    "thanks",
    "Thank you!",
    "I can not log on to my account",
    "the app crashes on start",
    "where is my invoice",
    "How do I configure the application?",
    "Please help me with the license",
    "My password does not work",
    "I need to add a new user",
    "The chat is not loading",
    "Can you call me back?",
    "Why are notifications missing?",
    "screen sharing is broken",
    "error when opening the file",
    "no sound during the call",
    "we need support asap",
    "good morning",
    "any update on my ticket?",
    "the server is down",
    "I forgot my password",
    "how much does the subscription cost",
    "please reset my account",
    "it works now, thanks",
    "update failed",
    "connection lost",
    "where can I download the mobile app",
    "The remote desktop session freezes",
    "Sorry, wrong chat",
    "Can I pay by card?",
    "See attached screenshot",
    "Not working",
    "done",
    "yes",
    "no",
    "test",
    "lol",
    "asdf",
    "qwerty",
    "admin",
    "partners",
    "visits",
    "stroke",
    "niche",
    "Hallo, ich brauche Hilfe",
    "Bonjour, je ne peux pas me connecter",
    "Hola, necesito ayuda",
    "1C Connect",
    "1C:Enterprise 8.3",
    "https://1c-connect.com/ru/",
    "support@example.com",
    "0x80070005",
    "+7 495 123-45-67",
    "VPN",
    "RDP",
    "Windows 11",
    "iPhone 15",
    "Android",
    "ERR_CONNECTION_REFUSED",
    # Russian with Latin inside: already Russian, never rewritten.
    "Не работает 1C Connect",
    "не могу зайти в Windows",
    "ошибка 0x80070005 при запуске",
    "VPN не подключается",
    "в приложении Connect пропал чат",
    "привет",
    "",
    "   ",
]

_PUNCT_KEYS = {",": "?", ".": "/", "?": "&"}
_KEYS = {cyr: lat for lat, cyr in _LAYOUT.items()}


def _qwerty(text: str) -> str:
    """The keys a user presses for Russian ``text`` with the English layout switched on."""
    return "".join(_KEYS.get(c, _PUNCT_KEYS.get(c, c)) for c in text)


def _fold(text: str) -> str:
    return text.replace("ё", "е")


@pytest.mark.parametrize("russian", RUSSIAN)
def test_layout_round_trip(russian: str) -> None:
    typed = _qwerty(russian)
    result = repair(typed)
    assert (result.kind, _fold(result.text)) == ("layout", russian), typed
    assert result.score > 0


@pytest.mark.parametrize(("typed", "expected"), LAYOUT)
def test_layout_examples(typed: str, expected: str) -> None:
    assert repair(typed) == Repair(expected, "layout", repair(typed).score)


@pytest.mark.parametrize(("typed", "expected"), TRANSLIT)
def test_translit_examples(typed: str, expected: str) -> None:
    result = repair(typed)
    assert (result.kind, _fold(result.text)) == ("translit", expected)


@pytest.mark.parametrize("text", UNTOUCHED)
def test_untouched(text: str) -> None:
    result = repair(text)
    assert (result.kind, result.text) == ("none", text)


def test_precision_over_all_examples() -> None:
    """No false repairs; exact repairs for all listed examples (as reported)."""
    positives = [(_qwerty(r), r) for r in RUSSIAN] + LAYOUT + TRANSLIT
    exact = sum(_fold(repair(typed).text) == want for typed, want in positives)
    false_repairs = [t for t in UNTOUCHED if repair(t).kind != "none"]
    assert false_repairs == []
    assert exact == len(positives)


def test_unknown_single_word_is_not_guessed() -> None:
    # "pljhjdj" is "здорово" on the wrong layout, but that word is not in the list: one
    # unlisted word is too little evidence.
    assert repair("pljhjdj").kind == "none"


def test_readings_explain_the_decision() -> None:
    english, layout, translit = readings("yt hf,jnftn")
    assert (english.kind, layout.kind, translit.kind) == ("english", "layout", "translit")
    assert layout.text == "не работает"
    assert layout.known == 1.0 and english.known == 0.0
    assert -1.0 <= english.plausibility <= 1.0 and layout.plausibility > english.plausibility
    assert layout.score > english.score
    assert readings("Не работает 1C") == ()
    assert readings("12345") == ()
