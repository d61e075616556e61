"""Reply check: each rule in Russian and English, spans, guards, and our own texts pass."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assist.drafting import Drafter
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.policy.hours import ProductionCalendar, SupportHours
from assist.policy.reply_check import (
    DEFAULT_MAX_CHARS,
    ReplyChecker,
    ReplyWarning,
    check_reply,
)
from policy_prompts import TEMPLATES_DIR
from tests.paths import SAMPLES


def hits(text: str, language: str = "ru", **kwargs: int) -> list[tuple[str, str]]:
    """(code, flagged substring) for every warning: what a specialist would see highlighted."""
    return [(w.code, text[w.start : w.end]) for w in check_reply(text, language, **kwargs)]


def lang_of(text: str) -> str:
    return "en" if text.isascii() else "ru"


# --- promise ---------------------------------------------------------------------------------

PROMISES = [
    ("Сделаем к марту.", "к марту"),
    ("Доработку планируют к 1 марта.", "к 1 марта"),
    ("Эту возможность добавят в следующем релизе.", "в следующем релизе"),
    ("Исправление войдет в ближайшей версии.", "в ближайшей версии"),
    ("Надеемся, что в одном из следующих релизов это появится.", "в одном из следующих релизов"),
    ("Со следующей версии кнопка будет на месте.", "Со следующей версии"),
    ("Ошибку устранят на следующей неделе.", "на следующей неделе"),
    ("Постараемся до конца месяца.", "до конца месяца"),
    ("Ждите исправления к концу следующей недели.", "к концу следующей недели"),
    ("Скоро будет.", "Скоро"),
    ("Ответ появится в ближайшее время.", "в ближайшее время"),
    ("Решение примут в кратчайшие сроки.", "в кратчайшие сроки"),
    ("Исправление выйдет в течение 2 недель.", "в течение 2 недель"),
    ("Через пару дней всё заработает.", "Через пару дней"),
    ("Обновление выйдет в марте.", "в марте"),
    ("Функция появится в версии 3.3.", "появится в версии 3.3"),
    ("Это займёт пару дней.", "займёт пару дней"),
    ("На это уйдет около недели.", "уйдет около недели"),
    ("Это простая доработка.", "простая доработка"),
    ("Обязательно сделаем!", "Обязательно сделаем"),
    ("Эта функция точно появится.", "точно появится"),
    ("Ваше пожелание мы обязательно учтём.", "обязательно учтём"),
    ("Не переживайте, ошибка будет исправлена.", "будет исправлена"),
    ("Гарантирую, что это заработает.", "Гарантирую"),
    ("It will be fixed next week.", "next week"),
    ("This will be in the next release.", "in the next release"),
    ("The feature is coming in an upcoming release.", "in an upcoming release"),
    ("We plan to ship it by March.", "by March"),
    ("It should be fixed by the end of the month.", "by the end of the month"),
    ("It will be available soon.", "soon"),
    ("The fix will be out within two weeks.", "within two weeks"),
    ("We expect it this month.", "this month"),
    ("It will take two days.", "will take two days"),
    ("It's an easy fix for our developers.", "easy fix"),
    ("We will definitely add it.", "will definitely add"),
    ("We guarantee the fix.", "We guarantee"),
    ("In version 3.3 this option will appear.", "In version 3.3"),
]


@pytest.mark.parametrize(("text", "span"), PROMISES)
def test_promises_of_dates_versions_effort_and_outcomes_are_flagged(text: str, span: str) -> None:
    assert ("promise", span) in hits(text, lang_of(text))


NOT_PROMISES = [
    # the regulation's own sentence, and plain facts about a done fix
    "Очерёдность и сроки определяет команда продукта с учётом востребованности, поэтому дату "
    "назвать не могу.",
    "The product team sets priorities by demand, so I cannot give you a date.",
    "Исправлено в версии 3.2, обновите приложение.",
    "Ошибка исправлена в сборке 3.2.1, которая вышла вчера.",
    "Это было исправлено в марте.",
    "It was fixed in version 3.2.",
    "The fix was released last month in version 3.2.",
    # negated: nothing promised
    "В следующем релизе изменений по этой задаче нет.",
    "Не могу обещать, что это войдет в ближайший релиз.",
    "I cannot promise it will be in the next release.",
    "I don't know for sure when it will be released.",
    # how the product behaves, not a deadline
    "Изменения доходят до приложений в течение 15 минут.",
    "Удаленные линии хранятся в течение 30 дней.",
    "Да, в течение часа после удаления линию можно восстановить.",
    "Если через неделю ошибка повторится, пришлите лог.",
    "Договор действует до 31 марта, продлить его можно в личном кабинете.",
    "Отчет формируется в конце месяца автоматически.",
    "Changes reach the apps within 15 minutes.",
    "Deleted lines can be restored within 30 days.",
    "This month's report is available in the personal account.",
    # words that only look like promises
    "Перейдите к следующему шагу.",
    "Скачайте новую версию с сайта и установите ее поверх текущей.",
    "Обязательно перезапустите приложение после обновления.",
    "Точно так же настраивается и мобильное приложение.",
    "Это легко исправить в настройках: откройте раздел «Сеть».",
    "Мы проверим еще раз и ответим вам.",
    "Reply as soon as you can.",
    "We'll add you to the task's watchers.",
    "You will be added to the interested parties.",
    "Webhook delivery is guaranteed.",
]


@pytest.mark.parametrize("text", NOT_PROMISES)
def test_facts_negations_and_product_behaviour_are_not_promises(text: str) -> None:
    assert hits(text, lang_of(text)) == []


# --- filler ----------------------------------------------------------------------------------

FILLERS = [
    ("В настоящее время функция недоступна.", "В настоящее время"),
    ("В данный момент времени сервис работает.", "В данный момент времени"),
    ("На данный момент очередь пуста.", "На данный момент"),
    ("Вам нужно осуществить вход.", "осуществить"),
    ("Для этого следует произвести настройку линии.", "произвести настройку"),
    ("В рамках данного обращения это не решить.", "В рамках данного обращения"),
    ("Доводим до вашего сведения, что линия удалена.", "Доводим до вашего сведения"),
    ("Просим принять к сведению новые правила.", "Просим принять к сведению"),
    ("Благодарим за ваше обращение. Откройте настройки.", "Благодарим за ваше обращение"),
    ("Здравствуйте, Иван! Благодарим вас за обращение.", "Благодарим вас за обращение"),
    ("Надеемся на понимание.", "Надеемся на понимание"),
    ("С уважением к вашему времени, служба поддержки.", "С уважением к вашему времени"),
    ("Please be advised that the line was removed.", "Please be advised that"),
    ("Kindly note the new limits.", "Kindly note"),
    ("We apologize for any inconvenience caused.", "We apologize for any inconvenience"),
    ("At this point in time the API is read-only.", "At this point in time"),
    ("Do not hesitate to contact us.", "Do not hesitate to contact us"),
    ("Please don't hesitate to reach out to us.", "Please don't hesitate to reach out to us"),
]


@pytest.mark.parametrize(("text", "span"), FILLERS)
def test_filler_phrases_are_flagged(text: str, span: str) -> None:
    assert hits(text, lang_of(text)) == [("filler", span)]


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо за обращение, оно зарегистрировано.",
        "Сейчас очередь пуста: обращения распределятся, когда специалисты будут в сети.",
        "Настройте линию в личном кабинете.",
        "Данные для входа придут на почту.",
        # formal thanks are flagged only as the opening line
        "Откройте настройки. Благодарим за ваше обращение.",
        "Thank you, your request is registered.",
        "Please note that the token expires after 24 hours.",
        "If the problem persists, write to us.",
    ],
)
def test_plain_wording_is_not_filler(text: str) -> None:
    assert hits(text, lang_of(text)) == []


# --- tone ------------------------------------------------------------------------------------

RUDE = [
    ("Как я уже говорил, нужно обновиться.", "Как я уже говорил"),
    ("Вы невнимательно читали инструкцию.", "Вы невнимательно читали"),
    ("Это же очевидно.", "Это же очевидно"),
    ("Очевидно же, что нужно перезапустить.", "Очевидно же"),
    ("Ещё раз повторяю: откройте настройки.", "Ещё раз повторяю"),
    ("Это элементарно.", "элементарно"),
    ("Успокойтесь, пожалуйста.", "Успокойтесь"),
    ("Неужели так сложно прочитать?", "Неужели так сложно"),
    ("As I already said, update the app.", "As I already said"),
    ("Obviously, the proxy is wrong.", "Obviously"),
    ("Read the manual.", "Read the manual"),
    ("Please calm down.", "calm down"),
    ("Did you even read my message?", "Did you even read"),
]


@pytest.mark.parametrize(("text", "span"), RUDE)
def test_rude_and_condescending_wording_is_flagged(text: str, span: str) -> None:
    assert hits(text, lang_of(text)) == [("tone", span)]


@pytest.mark.parametrize(
    "text",
    [
        "Это не очевидно, поэтому объясню по шагам.",
        "Внимательно проверьте адрес прокси.",
        "Опишите, пожалуйста, ваши проблемы с подключением подробнее.",
        "Please read the setup guide at the link below.",
        "It is not obvious, so here are the steps.",
        "Pay attention to the time zone setting.",
        "How many times the bot retries is set in the webhook settings.",
        "Our problem tracker lists the task as CONNECT-1003.",
    ],
)
def test_neutral_wording_is_not_rude(text: str) -> None:
    assert hits(text, lang_of(text)) == []


# --- length ----------------------------------------------------------------------------------


def test_length_flags_exactly_the_part_beyond_the_limit() -> None:
    assert check_reply("а" * DEFAULT_MAX_CHARS, "ru") == []
    text = "Откройте настройки. " * 80
    [warning] = check_reply(text, "ru")
    assert (warning.code, warning.start, warning.end) == ("length", 1200, len(text))
    assert "1200" in warning.message and str(len(text)) in warning.message
    [short] = check_reply("Откройте настройки приложения.", "ru", max_chars=10)
    assert (short.start, short.end) == (10, 30)
    assert "10" in check_reply("x" * 11, "en", max_chars=10)[0].message


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        check_reply("text", "en", max_chars=0)


# --- several warnings, order, spans in the original text -------------------------------------


def test_empty_and_blank_text_give_no_warnings() -> None:
    assert check_reply("", "ru") == []
    assert check_reply(" \n\t", "en") == []


def test_several_warnings_come_in_text_order() -> None:
    text = (
        "Здравствуйте! Благодарим за ваше обращение. Как я уже говорил, в настоящее время "
        "такой функции нет, но мы её обязательно сделаем к марту."
    )
    assert hits(text) == [
        ("filler", "Благодарим за ваше обращение"),
        ("tone", "Как я уже говорил"),
        ("filler", "в настоящее время"),
        ("promise", "обязательно сделаем"),
        ("promise", "к марту"),
    ]


def test_a_hit_inside_another_of_the_same_kind_is_reported_once() -> None:
    # «исправим» alone is a promise too; inside «обязательно исправим» it adds nothing.
    assert hits("Мы обязательно исправим.") == [("promise", "обязательно исправим")]


def test_warnings_of_different_kinds_may_overlap() -> None:
    text = "Откройте настройки. " * 61 + "Скоро будет новая версия."  # 1220 chars first
    warnings = check_reply(text, "ru")
    assert [w.code for w in warnings] == ["length", "promise"]
    length, promise = warnings
    assert length.start < promise.start < promise.end <= length.end
    assert text[promise.start : promise.end] == "Скоро"


def test_spans_point_into_the_original_text_whatever_its_spelling() -> None:
    # Capitals, ё, a stress mark, a decomposed «й», a no-break space and a soft hyphen.
    text = (
        "ОЧЕВИДНО ЖЕ! Это займёт па\u0301ру\u00a0дней. Скоро бу\u00adдет, в ближаи\u0306шее время."
    )
    assert hits(text) == [
        ("tone", "ОЧЕВИДНО ЖЕ"),
        ("promise", "займёт па\u0301ру\u00a0дней"),
        ("promise", "Скоро"),
        ("promise", "в ближаи\u0306шее время"),
    ]
    assert hits("We’ll definitely add it.", "en") == [("promise", "’ll definitely add")]


def test_messages_follow_the_reply_language() -> None:
    [ru] = check_reply("Скоро будет.", "ru")
    [en] = check_reply("Скоро будет.", "en")
    [other] = check_reply("Скоро будет.", "kk")
    assert "команда продукта" in ru.message
    assert "product team" in en.message and other.message == en.message


def test_checker_reports_only_the_chosen_codes() -> None:
    text = "Как я уже говорил, скоро будет."
    checker = ReplyChecker(max_chars=10, codes=["tone"])
    assert [w.code for w in checker.check(text, "ru")] == ["tone"]
    assert [w.code for w in ReplyChecker().check(text, "ru")] == ["tone", "promise"]
    with pytest.raises(ValueError, match="codes"):
        ReplyChecker(codes=["spelling"])  # type: ignore[list-item]


def test_warnings_are_frozen() -> None:
    warning = ReplyWarning("tone", "m", 0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.start = 2  # type: ignore[misc]


# --- our own texts pass ----------------------------------------------------------------------

FAQ = {
    "ru": FaqEntry(
        id="faq-024",
        question="Изменения в личном кабинете не видны в приложении",
        answer="Приложения получают изменения из личного кабинета до 15 минут. Если через 15 "
        "минут изменений все еще нет, напишите, что именно и во сколько вы меняли.",
    ),
    "en": FaqEntry(
        id="faq-039",
        question="How do I authenticate to the API?",
        answer="The API uses HTTP Basic authentication with your partner login and password.",
        language="en",
    ),
}
TITLES = {"ru": "Перерыв (обед) в расписании работы линии", "en": "Lunch break in line hours"}
NEXT_OPENINGS = {
    "ru": ["в понедельник, 12 января, с 7:00 МСК", "завтра с 7:00 МСК", "сегодня с 7:00 МСК"],
    "en": ["on Monday, 12 January, from 7:00 Moscow time", "tomorrow from 7:00 Moscow time"],
}
ZONES = {"ru": "МСК", "en": "Moscow time"}


def every_draft(language: str) -> list[tuple[str, str]]:
    """(template name, text) for every packaged template with realistic values.

    Templates not named here are rendered without values: a fixed text passes, and one that
    needs values fails loudly (StrictUndefined) until it gets realistic ones here.
    """
    drafter = Drafter(["ru", "en"])
    drafts = [("answer", drafter.render("answer", language, faq=FAQ[language]).text)]
    for status in ("open", "in_progress", "done", "rejected"):
        for kind in ("bug", "feature"):
            task = BacklogTask(id="CONNECT-1004", title=TITLES[language], kind=kind, status=status)
            drafts.append(("attach", drafter.render("attach", language, task=task).text))
    for task_id in ("CONNECT-1071", None):
        drafts.append(("register", drafter.render("register", language, task_id=task_id).text))
    for zone in ("МСК", ZONES[language]):
        for opening in NEXT_OPENINGS[language]:
            context = {"start": "7:00", "end": "17:00", "zone": zone, "next_opening": opening}
            drafts.append(("off_hours", drafter.render("off_hours", language, **context).text))
    named = {name for name, _ in drafts}
    for path in sorted((TEMPLATES_DIR / language).glob("*.j2")):
        if path.stem not in named:
            drafts.append((path.stem, drafter.render(path.stem, language).text))
    return drafts


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_packaged_template_renders_without_warnings(language: str) -> None:
    drafts = every_draft(language)
    packaged = {path.stem for path in (TEMPLATES_DIR / language).glob("*.j2")}
    assert {name for name, _ in drafts} == packaged
    for name, text in drafts:
        assert check_reply(text, language) == [], f"{language}/{name}: {text}"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_off_hours_draft_passes_for_every_next_opening_of_a_year(language: str) -> None:
    """Every month and weekday the hours module can name, as the pipeline would fill them in."""
    hours = SupportHours(ProductionCalendar())
    drafter = Drafter(["ru", "en"])
    start = datetime(2026, 1, 1, 0, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    moments = [start + timedelta(hours=5 * n) for n in range(365 * 24 // 5)]
    openings = {hours.describe_next_opening(moment, language) for moment in moments}
    assert len(openings) > 50
    for opening in openings:
        context = {"start": "7:00", "end": "17:00", "zone": ZONES[language]}
        text = drafter.render("off_hours", language, next_opening=opening, **context).text
        assert check_reply(text, language) == [], text


def test_sample_faq_answers_pass() -> None:
    """FAQ answers become drafts as they are, so they must pass the same check."""
    lines = (SAMPLES / "faq.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [FaqEntry.model_validate(json.loads(line)) for line in lines if line.strip()]
    assert entries
    found = {
        entry.id: hits(entry.answer, entry.language)
        for entry in entries
        if check_reply(entry.answer, entry.language)
    }
    assert found == {}
