"""Analyzer and LexicalIndex (BM25 over scipy.sparse)."""

from __future__ import annotations

import numpy as np
import pytest

from assist.knowledge.lexical import Analyzer, LexicalIndex

CORPUS = {
    10: "Как настроить удаленный доступ к компьютеру сотрудника",
    11: "Оплата лицензии и продление подписки",
    12: "Настройки уведомлений в мобильном приложении",
    13: "Удаленный доступ не работает после обновления",
    14: "Как подключить сотрудника к линии поддержки в 1С-Коннект",
    15: "Remote access setup for the desktop application",
}


@pytest.fixture
def index() -> LexicalIndex:
    idx = LexicalIndex()
    idx.upsert(list(CORPUS), list(CORPUS.values()))
    return idx


def test_analyzer_normalises() -> None:
    analyzer = Analyzer()
    assert analyzer.tokens("Ёлка и 1С, 1c, 1C: Настройка!") == [
        "елка",
        "1c",
        "1c",
        "1c",
        "настройка",
    ]
    assert analyzer.stem("настройки") == analyzer.stem("настройка")
    assert analyzer.stem("connections") == analyzer.stem("connection")
    assert analyzer.terms("не и the") == []  # stop words only


def test_stemming_matches_related_forms(index: LexicalIndex) -> None:
    for query in ("настроить", "настройка", "настройки", "настроек"):
        found = [key for key, _ in index.search(query, 10)]
        assert set(found) == {10, 12}, query


def test_ranking_on_tiny_corpus(index: LexicalIndex) -> None:
    assert [k for k, _ in index.search("удаленный доступ не работает", 3)][:2] == [13, 10]
    assert index.search("оплатить лицензию", 1)[0][0] == 11
    assert index.search("уведомления в приложении", 1)[0][0] == 12
    assert index.search("подключение сотрудника к линии", 1)[0][0] == 14
    assert index.search("remote desktop", 1)[0][0] == 15
    scores = [s for _, s in index.search("доступ сотрудника", 10)]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


def test_upsert_replaces_and_remove_works(index: LexicalIndex) -> None:
    assert len(index) == 6
    index.upsert([11], ["Смена тарифа"])
    assert len(index) == 6
    assert index.search("лицензии", 5) == []
    assert index.search("тариф", 5)[0][0] == 11
    index.remove([11, 999])
    assert len(index) == 5
    assert index.search("тариф", 5) == []
    assert sorted(index.keys().tolist()) == [10, 12, 13, 14, 15]
    index.remove(index.keys())
    assert len(index) == 0 and index.search("доступ", 5) == [] and index.max_score("доступ") == 0.0


def test_empty_and_unmatched_queries(index: LexicalIndex) -> None:
    assert index.search("", 5) == []
    assert index.search("и в на", 5) == []
    assert index.search("квантовая хромодинамика", 5) == []
    assert index.search("доступ", 0) == []
    assert LexicalIndex().search("доступ", 5) == []


def test_normalised_scores(index: LexicalIndex) -> None:
    for query in ("удаленный доступ", "настройка уведомлений приложения", "лицензия xyz"):
        raw = index.search(query, 10)
        normalised = index.search(query, 10, normalized=True)
        assert [k for k, _ in raw] == [k for k, _ in normalised]
        bound = index.max_score(query)
        for (_, r), (_, n) in zip(raw, normalised, strict=True):
            assert 0.0 <= n <= 1.0
            assert n == pytest.approx(min(1.0, r / bound))
    # The document itself as the query is the self-match: 1.0.
    assert index.search(CORPUS[13], 1, normalized=True)[0] == (13, pytest.approx(1.0))
    # Half the query unmatched keeps the score well below a full match.
    partial = index.search("удаленный доступ квантовая хромодинамика", 1, normalized=True)
    assert partial[0][1] < 0.6


def test_field_weights() -> None:
    idx = LexicalIndex()
    idx.upsert(
        [1, 2],
        [
            [("Ошибка печати", 3.0), ("Принтер не отвечает, проверьте драйвер", 1.0)],
            [("Драйвер принтера", 1.0), ("Ошибка печати документа из программы", 1.0)],
        ],
    )
    assert idx.search("ошибка печати", 2)[0][0] == 1
    with pytest.raises(ValueError, match="negative"):
        idx.upsert([3], [[("x", -1.0)]])
    with pytest.raises(ValueError, match="keys"):
        idx.upsert([1, 2], ["only one"])


def test_int64_keys_and_ties() -> None:
    idx = LexicalIndex()
    big = np.array([2**40, -5, 7], dtype=np.int64)
    idx.upsert(big, ["одинаковый текст"] * 3)
    assert [k for k, _ in idx.search("текст", 3)] == [-5, 7, 2**40]
    assert [k for k, _ in idx.search("текст", 2)] == [-5, 7]  # ties at the cut break by key


def test_synthetic_20k_documents() -> None:
    rng = np.random.default_rng(7)
    alphabet = list("абвгдежзиклмнопрстуфхцчшэюя")
    vocab = ["".join(rng.choice(alphabet, size=int(rng.integers(5, 10)))) for _ in range(5000)]
    probs = 1.0 / np.arange(1, len(vocab) + 1)
    probs /= probs.sum()
    rows = rng.choice(len(vocab), size=(20_000, 60), p=probs)
    texts = [" ".join(vocab[i] for i in row) for row in rows]
    idx = LexicalIndex()
    idx.upsert(np.arange(20_000, dtype=np.int64), texts)
    marker = "уникальныйтермин"
    idx.upsert([12_345], [texts[12_345] + " " + marker])
    assert idx.search(marker, 5)[0][0] == 12_345
    # A document as its own query ranks first (its rare words are its own).
    for key in (0, 777, 19_999):
        top = idx.search(texts[key], 3, normalized=True)
        assert top[0][0] == key and top[0][1] == pytest.approx(1.0, abs=1e-3)
        assert all(0.0 <= s <= 1.0 for _, s in top)
    idx.remove([777])
    assert all(k != 777 for k, _ in idx.search(texts[777], 10))
    assert len(idx) == 19_999
