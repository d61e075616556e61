"""Synthetic corpora: sized, distinct, deterministic, and not copies of the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from assist.bench.corpus import (
    Perturber,
    synthetic_backlog,
    synthetic_faq,
    synthetic_messages,
    with_changes,
)
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, EvalCase, FaqEntry
from tests.paths import REPO

SAMPLES = REPO / "samples"


def _load(path: Path, model: type[FaqEntry] | type[BacklogTask] | type[EvalCase]) -> list:
    return list(parse_records(path.read_bytes(), model))


@pytest.fixture(scope="module")
def tasks() -> list[BacklogTask]:
    return _load(SAMPLES / "backlog.jsonl", BacklogTask)


def test_backlog_has_the_size_distinct_titles_and_is_reproducible(
    tasks: list[BacklogTask],
) -> None:
    grown = synthetic_backlog(tasks, 500, seed=7)
    assert len(grown) == 500 and len({t.id for t in grown}) == 500
    assert len({" ".join(t.title.casefold().split()) for t in grown}) == 500
    assert grown == synthetic_backlog(tasks, 500, seed=7)
    assert grown != synthetic_backlog(tasks, 500, seed=8)
    originals = {t.title for t in tasks}
    # Recombined and perturbed: most titles are not sample titles.
    assert sum(t.title in originals for t in grown) < 50
    assert all(t.description for t in grown)


def test_faq_entries_are_distinct_and_keep_their_language() -> None:
    entries = _load(SAMPLES / "faq.jsonl", FaqEntry)
    grown = synthetic_faq(entries, 200, seed=1)
    assert len({e.question.casefold() for e in grown}) == 200
    assert {e.language for e in grown} <= {e.language for e in entries}


def test_messages_are_distinct() -> None:
    texts = [c.text for c in _load(SAMPLES / "cases" / "dev.jsonl", EvalCase)]
    messages = synthetic_messages(texts, 300, seed=0)
    assert len(set(messages)) == 300


def test_with_changes_touches_the_share_asked(tasks: list[BacklogTask]) -> None:
    grown = synthetic_backlog(tasks, 300)
    changed, count = with_changes(grown, 0.01)
    assert count == 3
    assert sum(a != b for a, b in zip(grown, changed, strict=True)) == 3


def test_perturber_swaps_entities_once() -> None:
    import random

    perturb = Perturber(random.Random(0), typo_rate=0.0, swap_rate=0.0)
    out = perturb("Windows 10, приложение 3.12.4, файл 20 МБ")
    assert "3.12.4" not in out and "Windows 10," not in out
    assert out.count(",") == 2 and out.endswith("МБ")
