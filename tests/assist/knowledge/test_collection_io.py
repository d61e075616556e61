"""CollectionIndex on the import and load path: chunked syncs, saved lexical terms."""

from __future__ import annotations

from pathlib import Path

import pytest

import assist.knowledge.collection as collection
from assist.knowledge.collection import LEXICAL_STAMP_FILE, SOURCES_FILE, CollectionIndex
from assist.knowledge.lexical import LexicalIndex
from assist.knowledge.passages import faq_lexical_text, faq_passages
from assist.knowledge.records import FaqEntry
from assist.storage.store import Stored
from embeddings.faiss_index import FaissIndex
from embeddings.fake import FakeEncoder

ENTRIES = [
    FaqEntry(id=f"e{i}", question=f"Вопрос номер {i} про {topic}", answer=f"Ответ {i}.")
    for i, topic in enumerate(["чат", "расписание", "доступ", "файлы", "отчеты", "бот", "линию"])
]


class CountingLexical(LexicalIndex):
    """Counts the documents it analyses."""

    analysed = 0

    def upsert(self, keys, texts) -> None:  # type: ignore[no-untyped-def]
        type(self).analysed += len(texts)
        super().upsert(keys, texts)


def make(lexical: LexicalIndex | None = None) -> CollectionIndex[FaqEntry]:
    encoder = FakeEncoder(32)
    return CollectionIndex(
        "faq",
        encoder,
        FaissIndex(encoder.dimension),
        lexical if lexical is not None else LexicalIndex(),
        faq_passages,
        faq_lexical_text,
    )


def stored(entries: list[FaqEntry]) -> list[Stored[FaqEntry]]:
    return [Stored(pk, e, e.content_hash()) for pk, e in enumerate(entries, start=1)]


def ranking(index: CollectionIndex[FaqEntry], text: str) -> list[tuple[str, float, float]]:
    query = FakeEncoder(32).encode_queries([text])[0]
    found = index.search(query, text, 5)
    return [(c.record.id, round(c.dense, 5), round(c.lexical, 5)) for c in found]


def test_a_chunked_sync_builds_what_one_pass_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = make()
    whole.sync(stored(ENTRIES))
    monkeypatch.setattr(collection, "SYNC_CHUNK", 2)
    chunked = make()
    heard: list[tuple[int, int]] = []
    report = chunked.sync(stored(ENTRIES), lambda done, total: heard.append((done, total)))
    assert report.embedded_records == len(ENTRIES) and len(chunked) == len(ENTRIES)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert heard[-1] == (2 * len(ENTRIES), 2 * len(ENTRIES))
    changed = [e.model_copy(update={"answer": "Новый ответ."}) for e in ENTRIES[:3]]
    chunked.sync(stored(changed + ENTRIES[3:5]))
    whole.sync(stored(changed + ENTRIES[3:5]))
    for text in ("вопрос про чат", "новый ответ", "отчеты"):
        assert ranking(chunked, text) == ranking(whole, text)
    assert sorted(chunked.vectors.keys().tolist()) == sorted(whole.vectors.keys().tolist())


def test_a_start_loads_saved_lexical_terms_instead_of_analysing(tmp_path: Path) -> None:
    first = saved(tmp_path)
    CountingLexical.analysed = 0
    again = make(CountingLexical())
    report = again.load(tmp_path, stored(ENTRIES))
    assert report.from_saved and report.lexical_from_saved
    assert CountingLexical.analysed == 0
    assert ranking(again, "расписание линии") == ranking(first, "расписание линии")


def test_saved_terms_made_by_another_analysis_are_not_trusted(tmp_path: Path) -> None:
    saved(tmp_path)
    stamp = tmp_path / LEXICAL_STAMP_FILE
    stamp.write_text(stamp.read_text().replace('"analysis": "', '"analysis": "x'))
    CountingLexical.analysed = 0
    report = make(CountingLexical()).load(tmp_path, stored(ENTRIES))
    assert report.from_saved and not report.lexical_from_saved
    assert CountingLexical.analysed == len(ENTRIES)


def test_a_start_after_changes_brings_saved_terms_in_step(tmp_path: Path) -> None:
    saved(tmp_path)
    now = [ENTRIES[0].model_copy(update={"answer": "Перезапустите приложение."}), *ENTRIES[2:]]
    again = make()
    assert again.load(tmp_path, stored(now)).lexical_from_saved
    fresh = make()
    fresh.sync(stored(now))
    for text in ("перезапустите приложение", "расписание", "доступ"):
        assert ranking(again, text) == ranking(fresh, text)


def saved(directory: Path) -> CollectionIndex[FaqEntry]:
    """An index of ENTRIES, saved to `directory`."""
    index = make()
    index.sync(stored(ENTRIES))
    index.save(directory)
    return index


def hashed_on_load(
    monkeypatch: pytest.MonkeyPatch, directory: Path, entries: list[FaqEntry]
) -> tuple[list[str], int]:
    """Ids whose index hash a start computed, and how many records it embedded."""
    hashed: list[str] = []
    index_hash = FaqEntry.index_hash

    def counting(self: FaqEntry) -> str:
        hashed.append(self.id)
        return index_hash(self)

    monkeypatch.setattr(FaqEntry, "index_hash", counting)
    report = make().load(directory, stored(entries))
    monkeypatch.setattr(FaqEntry, "index_hash", index_hash)
    return hashed, report.embedded_records


def test_a_start_hashes_only_records_whose_content_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(tmp_path)
    assert hashed_on_load(monkeypatch, tmp_path, ENTRIES) == ([], 0)
    tagged = ENTRIES[1].model_copy(update={"tags": ("новый тег",)})
    edited = ENTRIES[2].model_copy(update={"answer": "Другой ответ."})
    now = [ENTRIES[0], tagged, edited, *ENTRIES[3:]]
    assert hashed_on_load(monkeypatch, tmp_path, now) == ([tagged.id, edited.id], 2)


def test_saved_sources_beside_other_entries_are_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(tmp_path)
    sources = tmp_path / SOURCES_FILE
    sources.write_text(sources.read_text().replace('"checksum": "', '"checksum": "x'))
    hashed, embedded = hashed_on_load(monkeypatch, tmp_path, ENTRIES)
    assert sorted(hashed) == sorted(e.id for e in ENTRIES) and embedded == 0
    sources.write_text("not json")
    assert len(hashed_on_load(monkeypatch, tmp_path, ENTRIES)[0]) == len(ENTRIES)
