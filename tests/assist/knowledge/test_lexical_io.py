"""LexicalIndex.save / load: the analysed documents survive a restart unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from assist.knowledge.lexical import Analyzer, LexicalIndex

DOCS = {
    1: "Не приходят уведомления на Android",
    2: "Ошибка при отправке файла в чат",
    3: [("Расписание линии", 3.0), ("Настройка расписания работы", 1.0)],
    9_000_000_123: "Удаленный доступ не подключается",
}


def test_a_loaded_index_ranks_as_the_saved_one(tmp_path: Path) -> None:
    index = LexicalIndex()
    index.upsert(list(DOCS), list(DOCS.values()))
    with (tmp_path / "lexical.npz").open("wb") as handle:
        index.save(handle)
    loaded = LexicalIndex()
    loaded.load(tmp_path / "lexical.npz")
    assert len(loaded) == len(index)
    for query in ("уведомления android", "расписание", "файл в чат", "доступ", "нет такого"):
        assert loaded.search(query, 3, normalized=True) == index.search(query, 3, normalized=True)
    loaded.upsert([4], ["Новые уведомления"])  # a loaded index takes new words as before
    assert loaded.search("новые", 1)[0][0] == 4


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    with (tmp_path / "lexical.npz").open("wb") as handle:
        LexicalIndex().save(handle)
    loaded = LexicalIndex()
    loaded.load(tmp_path / "lexical.npz")
    assert len(loaded) == 0 and loaded.search("чат", 3) == []


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lexical.npz").write_bytes(b"not an archive")
    with pytest.raises((ValueError, OSError)):
        LexicalIndex().load(tmp_path / "lexical.npz")


def test_the_fingerprint_names_the_analysis() -> None:
    assert LexicalIndex().fingerprint == LexicalIndex().fingerprint
    assert LexicalIndex(Analyzer(stop_words=["и"])).fingerprint != LexicalIndex().fingerprint
