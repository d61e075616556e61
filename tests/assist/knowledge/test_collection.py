"""CollectionIndex: re-embed only what changed, trust a saved index only with a matching stamp."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assist.knowledge.collection import CollectionIndex
from assist.knowledge.lexical import LexicalIndex
from assist.knowledge.passages import (
    DESCRIPTION_CHARS,
    DESCRIPTION_WORDS,
    backlog_lexical_text,
    backlog_passages,
    description_start,
    faq_lexical_text,
    faq_passages,
)
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.storage.store import Stored
from embeddings.encoder import Vectors
from embeddings.faiss_index import FaissIndex
from embeddings.fake import FakeEncoder
from embeddings.index import Keys
from embeddings.numpy_index import NumpyIndex


class CountingEncoder(FakeEncoder):
    """The fake encoder, counting every passage it embeds."""

    def __init__(self, model: str = "a") -> None:
        super().__init__(dimension=32)
        self.model = model
        self.passages: list[str] = []

    @property
    def model_id(self) -> str:
        return f"counting-{self.model}"

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages.extend(texts)
        return super().encode_passages(texts)


def make(encoder: CountingEncoder) -> CollectionIndex[FaqEntry]:
    return CollectionIndex(
        "faq",
        encoder,
        FaissIndex(encoder.dimension),
        LexicalIndex(),
        faq_passages,
        faq_lexical_text,
    )


def stored(*entries: FaqEntry) -> list[Stored[FaqEntry]]:
    return [Stored(pk, e, e.content_hash()) for pk, e in enumerate(entries, start=1)]


A = FaqEntry(id="a", question="Как настроить расписание линии", answer="Вкладка Расписание.")
B = FaqEntry(id="b", question="Не работает удаленный доступ", answer="Проверьте приложение.")
B2 = B.model_copy(update={"answer": "Перезапустите приложение у клиента."})


def test_sync_embeds_only_new_and_changed_records() -> None:
    encoder = CountingEncoder()
    index = make(encoder)
    report = index.sync(stored(A, B))
    assert (report.embedded_records, report.embedded_passages) == (2, 4)
    encoder.passages.clear()
    report = index.sync(stored(A, B2))
    assert report.embedded_records == 1
    assert encoder.passages == [B2.question, B2.answer]
    assert index.sync(stored(A)).removed_records == 1
    assert len(index) == 1


def test_saved_index_is_reused_when_the_stamp_matches(tmp_path: Path) -> None:
    first = CountingEncoder()
    make(first).load(tmp_path, stored(A, B))  # nothing saved yet: embeds everything
    index = make(first)
    index.sync(stored(A, B))
    index.save(tmp_path)

    again = CountingEncoder()
    report = make(again).load(tmp_path, stored(A, B2))
    assert report.from_saved
    assert again.passages == [B2.question, B2.answer]


def test_another_model_never_mixes_with_a_saved_index(tmp_path: Path) -> None:
    index = make(CountingEncoder("a"))
    index.sync(stored(A, B))
    index.save(tmp_path)
    other = CountingEncoder("b")
    report = make(other).load(tmp_path, stored(A, B))
    assert not report.from_saved
    assert report.embedded_records == 2 and len(other.passages) == 4


def test_a_tampered_entry_list_forces_a_rebuild(tmp_path: Path) -> None:
    index = make(CountingEncoder())
    index.sync(stored(A, B))
    index.save(tmp_path)
    (tmp_path / "entries.json").write_text('{"1": "x"}', encoding="utf-8")
    assert not make(CountingEncoder()).load(tmp_path, stored(A, B)).from_saved


class BlindIndex(NumpyIndex):
    """Finds nothing by vector search, so every candidate comes from the lexical ranker."""

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        shape = (len(queries), k)
        return np.full(shape, -np.inf, dtype=np.float32), np.full(shape, -1, dtype=np.int64)


def test_search_scores_lexical_only_candidates_from_stored_vectors() -> None:
    encoder = CountingEncoder()
    index = CollectionIndex(
        "faq",
        encoder,
        BlindIndex(encoder.dimension),
        LexicalIndex(),
        faq_passages,
        faq_lexical_text,
    )
    index.sync(stored(A, B))
    query = encoder.encode_queries(["удаленный доступ"])[0]
    found = index.search(query, "удаленный доступ", 1)
    assert [c.record.id for c in found] == ["b"]
    passages = encoder.encode_passages([B.question, B.answer])
    assert found[0].lexical > 0
    assert np.isclose(found[0].dense, float(np.max(passages @ query)), atol=1e-5)


def test_empty_collection_finds_nothing() -> None:
    encoder = CountingEncoder()
    assert make(encoder).search(encoder.encode_queries(["чат"])[0], "чат", 3) == []


def test_watchers_and_status_do_not_trigger_re_embedding() -> None:
    encoder = CountingEncoder()
    index = CollectionIndex(
        "backlog",
        encoder,
        NumpyIndex(encoder.dimension),
        LexicalIndex(),
        backlog_passages,
        backlog_lexical_text,
    )
    task = BacklogTask(id="CONNECT-1", title="Падает чат", description="При открытии.")
    index.sync([Stored(1, task, task.content_hash())])
    watched = task.model_copy(update={"watchers": ("user:u1",), "status": "in_progress"})
    report = index.sync([Stored(1, watched, watched.content_hash())])
    assert report.embedded_records == 0
    query = encoder.encode_queries(["падает чат"])[0]
    assert index.search(query, "падает чат", 1)[0].record.status == "in_progress"


def test_a_record_scores_by_its_best_query_view() -> None:
    encoder = CountingEncoder()
    index = make(encoder)
    index.sync(stored(A, B))
    story = "Вчера обновили все компьютеры в бухгалтерии и перенесли сервер в другой офис"
    views = encoder.encode_queries([story, B.question])
    whole = {c.record.id: c.dense for c in index.search(views[:1], story, 2)}
    best = {c.record.id: c.dense for c in index.search(views, story, 2)}
    assert best["b"] > whole.get("b", 0.0)
    assert best["b"] > 0.99  # the second view is B's own question


def test_identical_passages_are_embedded_once_sorted_by_length_with_progress() -> None:
    encoder = CountingEncoder()
    index = make(encoder)
    same = FaqEntry(id="c", question=A.question, answer="Другой, гораздо более длинный ответ.")
    heard: list[tuple[int, int]] = []
    report = index.sync(stored(A, same), progress=lambda done, total: heard.append((done, total)))
    assert report.embedded_passages == 4  # both records keep both their vectors
    assert sorted(encoder.passages) == sorted({A.question, A.answer, same.answer})
    assert [len(t) for t in encoder.passages] == sorted(len(t) for t in encoder.passages)
    assert heard == [(4, 4)]  # in passages: the repeated one counts as done
    scores, _keys = index.vectors.search(FakeEncoder(32).encode_queries([A.question]), 2)
    assert scores[0, 0] == scores[0, 1]  # the same vector under both records


def test_a_new_passage_scheme_rebuilds_a_saved_index(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    index = make(encoder)
    index.sync(stored(A))
    index.save(tmp_path)
    again = make(encoder)
    assert again.load(tmp_path, stored(A)).from_saved
    renamed = CollectionIndex(
        "faq",
        encoder,
        FaissIndex(encoder.dimension),
        LexicalIndex(),
        faq_passages,
        faq_lexical_text,
        scheme="faq-next",
    )
    assert not renamed.load(tmp_path, stored(A)).from_saved


def test_a_backlog_task_is_its_title_and_its_title_with_description() -> None:
    task = BacklogTask(id="CONNECT-1", title="Падает чат", description="При вложениях.")
    assert [p.text for p in backlog_passages(task)] == ["Падает чат", "Падает чат. При вложениях."]
    assert [p.text for p in backlog_passages(task.model_copy(update={"description": ""}))] == [
        "Падает чат"
    ]


def test_the_description_passage_keeps_the_start_of_a_long_description() -> None:
    words = [f"слово{i}" for i in range(DESCRIPTION_WORDS + 10)]
    task = BacklogTask(id="CONNECT-1", title="Падает чат", description=" ".join(words))
    start = " ".join(words[:DESCRIPTION_WORDS])
    assert backlog_passages(task)[1].text == f"Падает чат. {start}"
    path = "C:\\Users\\" + "очень_длинный_путь" * 30
    cut = description_start(f"Ошибка {path} при запуске")
    assert cut == "Ошибка" and len(cut) <= DESCRIPTION_CHARS
    assert len(description_start("x" * 1000)) == DESCRIPTION_CHARS


def test_lexical_hits_found_beforehand_give_the_same_candidates() -> None:
    encoder = CountingEncoder()
    index = make(encoder)
    index.sync(stored(A, B))
    query = encoder.encode_queries(["удаленный доступ"])[0]
    hits = index.lexical_hits("удаленный доступ", 2)
    assert hits and max(hits.values()) > 0
    assert index.search(query, "удаленный доступ", 2, hits) == index.search(
        query, "удаленный доступ", 2
    )
