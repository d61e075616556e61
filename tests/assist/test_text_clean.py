from __future__ import annotations

import pytest

from assist.text_clean import LONG_MESSAGE_WORDS, clean_message, query_views


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Добрый день! Как настроить расписание линии? Спасибо!",
            "Как настроить расписание линии?",
        ),
        ("Коллеги, привет. Не работает чат", "Не работает чат"),
        ("hi team, how do I reset my password? thanks", "how do I reset my password?"),
        (
            "Не запускается коннект.\n--\nС уважением, Иван\nООО «Ромашка»\n+7 (912) 640-18-33",
            "Не запускается коннект.",
        ),
        (
            "Меня зовут Ольга, ИНН 5260123456. Чат не грузится. Тел. +7 (831) 410-22-19, доб. 105.",
            "Чат не грузится.",
        ),
        ("Пишите на ivan@example.com, не приходят письма", "Пишите на, не приходят письма"),
        ("Не работает. С уважением, Пётр", "Не работает."),
    ],
)
def test_etiquette_and_contacts_are_dropped(text: str, expected: str) -> None:
    assert clean_message(text) == expected


@pytest.mark.parametrize("text", ["Спасибо!", "Здравствуйте", "+7 (912) 640-18-33"])
def test_nothing_left_means_the_original_is_kept(text: str) -> None:
    assert clean_message(text) == text


def test_the_question_itself_is_untouched() -> None:
    text = "При звонке собеседник меня не слышит, гарнитура Jabra, Windows 11."
    assert clean_message(text) == text


def test_short_messages_are_searched_whole() -> None:
    text = "Не работает удаленный доступ. Что делать?"
    assert query_views(text) == [text]


def test_long_messages_are_also_searched_by_their_question_and_longest_sentence() -> None:
    text = (
        "Сегодня с утра пытаемся подключиться к бухгалтерии. "
        "Ок. "
        "Запрос на подключение уходит, но у бухгалтера окно так и не появляется на экране. "
        "Как разрешить подключение без подтверждения? "
        "Перезагрузка не помогла."
    )
    assert len(text.split()) > LONG_MESSAGE_WORDS
    views = query_views(text)
    assert views[0] == text
    assert views[1:] == [  # in message order; «Ок.» is too short to be a view
        "Запрос на подключение уходит, но у бухгалтера окно так и не появляется на экране.",
        "Как разрешить подключение без подтверждения?",
    ]


def test_a_long_single_sentence_is_one_view() -> None:
    text = " ".join(["слово"] * (LONG_MESSAGE_WORDS + 5))
    assert query_views(text) == [text]
