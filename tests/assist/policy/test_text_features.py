from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from assist.policy.text_features import (
    LEXICON_SIZE,
    WordFeatures,
    lexicon_features,
    ngrams,
    other_subject,
)

TEXTS = [
    "в аутлуке пропала папка входящие",
    "как подключить Telegram к линии поддержки",
    "не приходят уведомления о новых обращениях, уведомления выключены?",
    "Outlook stopped syncing my inbox",
    "в аутлуке не приходят уведомления",
    "как подключить WhatsApp к линии",
]


def test_ngrams_are_lowercased_words_and_their_pairs() -> None:
    assert ngrams("Не работает 1С-Коннект") == [
        "не", "работает", "1с", "коннект", "не работает", "работает 1с", "1с коннект",
    ]  # fmt: skip


@pytest.mark.parametrize("min_df", [1, 2])
def test_word_features_match_scikit_learns_tfidf(min_df: int) -> None:
    ours = WordFeatures.fit(TEXTS, min_df)
    theirs = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df).fit(TEXTS)
    assert list(ours.vocabulary) == list(theirs.get_feature_names_out())
    expected = theirs.transform([*TEXTS, "уведомления в Outlook, новое слово"]).toarray()
    for text, row in zip([*TEXTS, "уведомления в Outlook, новое слово"], expected, strict=True):
        columns, values = ours.sparse(text)
        dense = np.zeros(ours.size, np.float32)
        dense[columns] = values
        np.testing.assert_allclose(dense, row, atol=1e-6)


def test_unknown_words_give_an_empty_row() -> None:
    columns, values = WordFeatures.fit(TEXTS).sparse("совсем другие слова")
    assert columns.size == 0 and values.size == 0


@pytest.mark.parametrize(
    ("text", "named", "features"),
    [
        ("в аутлуке пропала папка входящие", "аутлуке", [1, 0, 0, 1, 0, 0]),
        ("подключить Telegram к линии", "Telegram", [1, 1, 0, 0, 0, 0]),
        ("обмен УТ и бухгалтерии не идет", "УТ", [1, 0, 1, 1, 1, 0]),
        ("посоветуйте сериал на выходные", None, [0, 0, 0, 0, 0, 1]),
        ("специалист не видит очередь", None, [0, 1, 0, 0, 0, 0]),
        ("колебания скорости интернета влияют на удаленку?", None, [0, 1, 0, 0, 0, 0]),
    ],
)
def test_lexicon_names_other_subjects_and_product_words(
    text: str, named: str | None, features: list[int]
) -> None:
    assert other_subject(text) == named
    assert lexicon_features(text).tolist() == features
    assert len(features) == LEXICON_SIZE
