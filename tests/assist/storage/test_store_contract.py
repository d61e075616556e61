"""The contract every `Store` must keep, run on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from limits import parse
from sqlalchemy import inspect, text
from sqlalchemy.orm import sessionmaker

from assist.errors import NotFound
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.storage.rate_windows import SqlRateWindow
from assist.storage.sql import SqlStore
from assist.storage.store import Feedback, SuggestionLog
from assist.storage.tables import Base


def faq(n: int, answer: str = "Ответ") -> FaqEntry:
    return FaqEntry(id=f"faq-{n}", question=f"Вопрос {n}", answer=answer, tags=("t",))


def test_upsert_reports_created_updated_unchanged(store: SqlStore) -> None:
    first = store.faq.upsert([faq(1), faq(2)])
    assert first.created == ["faq-1", "faq-2"]
    second = store.faq.upsert([faq(1), faq(2, answer="Новый ответ"), faq(3)])
    assert (second.created, second.updated, second.unchanged) == (["faq-3"], ["faq-2"], ["faq-1"])
    assert store.faq.get("faq-2") == faq(2, answer="Новый ответ")
    assert store.faq.count() == 3


def test_keys_are_stable_across_updates(store: SqlStore) -> None:
    store.faq.upsert([faq(1), faq(2)])
    before = {s.record.id: s.pk for s in store.faq.all()}
    store.faq.upsert([faq(2, answer="Другое")])
    after = {s.record.id: (s.pk, s.content_hash) for s in store.faq.all()}
    assert {k: v[0] for k, v in after.items()} == before
    assert after["faq-2"][1] == faq(2, answer="Другое").content_hash()


def test_delete_reports_missing_ids(store: SqlStore) -> None:
    store.backlog.upsert([BacklogTask(id="CONNECT-1", title="Ошибка")])
    report = store.backlog.delete(["CONNECT-1", "CONNECT-404"])
    assert (report.deleted, report.missing) == (["CONNECT-1"], ["CONNECT-404"])
    assert store.backlog.get("CONNECT-1") is None


def test_failed_upsert_writes_nothing(store: SqlStore) -> None:
    store.faq.upsert([faq(1)])
    too_long_id = FaqEntry.model_construct(id="x" * 300, question="q", answer="a")
    with pytest.raises(Exception):  # noqa: B017 - each database words it differently
        store.faq.upsert([faq(2), too_long_id]) if store.url.startswith("postgres") else (
            store.faq.upsert([faq(2), faq(2)])
        )
    assert [s.record.id for s in store.faq.all()] == ["faq-1"]


def test_version_changes_with_every_write(store: SqlStore) -> None:
    versions = [store.faq.version()]
    store.faq.upsert([faq(1), faq(2)])
    versions.append(store.faq.version())
    store.faq.upsert([faq(1, answer="Изменен")])
    versions.append(store.faq.version())
    store.faq.delete(["faq-1"])
    versions.append(store.faq.version())
    store.faq.upsert([faq(1)])
    versions.append(store.faq.version())
    assert len(set(versions)) == 5
    store.faq.upsert([faq(1)])  # unchanged content is not a change
    assert store.faq.version() == versions[-1]


def test_page_is_ordered_and_bounded(store: SqlStore) -> None:
    store.faq.upsert([faq(n) for n in range(1, 8)])
    assert [r.id for r in store.faq.page(2, 3)] == ["faq-3", "faq-4", "faq-5"]


def test_suggestions_and_feedback_roundtrip(store: SqlStore) -> None:
    log = SuggestionLog(
        id="s-1",
        created_at=datetime.now(UTC),
        text="не работает чат",
        language="ru",
        decision="register",
        response={"decision": "register", "drafts": []},
        conversation_id="c-1",
    )
    store.save_suggestion(log)
    loaded = store.get_suggestion("s-1")
    assert loaded is not None
    assert (loaded.text, loaded.response, loaded.conversation_id) == (
        "не работает чат",
        {"decision": "register", "drafts": []},
        "c-1",
    )
    store.add_feedback("s-1", Feedback(outcome="edited", sent_text="Исправленный ответ"))
    assert store.list_feedback("s-1") == [
        Feedback(outcome="edited", sent_text="Исправленный ответ")
    ]
    with pytest.raises(NotFound):
        store.add_feedback("s-404", Feedback(outcome="accepted"))


def test_migrations_create_exactly_the_declared_schema(store: SqlStore) -> None:
    inspector = inspect(store.engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys())


def test_rate_window_admits_up_to_the_limit_per_key(store: SqlStore) -> None:
    item = parse("3/minute")
    assert [store.rate_window.hit(item, "account", "a") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert store.rate_window.hit(item, "account", "b")


def test_rate_window_forgets_hits_older_than_the_window(store: SqlStore) -> None:
    now = [1000.0]
    window = SqlRateWindow(sessionmaker(store.engine), clock=lambda: now[0])
    item = parse("2/minute")
    assert window.hit(item, "ip", "1") and window.hit(item, "ip", "1")
    assert not window.hit(item, "ip", "1")
    now[0] += 61
    assert window.hit(item, "ip", "1")


def test_two_processes_on_one_database_count_together(store: SqlStore) -> None:
    """Another engine on the same URL stands for another replica; hits race in threads."""
    other = SqlStore(store.url, migrate=False)
    item = parse("10/minute")
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            admitted = list(
                pool.map(
                    lambda n: (store if n % 2 else other).rate_window.hit(item, "account", "x"),
                    range(30),
                )
            )
    finally:
        other.close()
    assert sum(admitted) == 10


def test_replicas_starting_together_migrate_once(store: SqlStore, tmp_path: Path) -> None:
    """Three processes open a brand-new database at the same moment: none may fail."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("DROP DATABASE IF EXISTS assist_race"))
            conn.execute(text("CREATE DATABASE assist_race"))
        url = store.engine.url.set(database="assist_race").render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'race.db'}"
    opener = "import sys; from assist.storage.sql import SqlStore; SqlStore(sys.argv[1]).close()"
    processes = [
        subprocess.Popen([sys.executable, "-c", opener, url], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    failures = [p.stderr.read().decode() for p in processes if p.wait(timeout=120) != 0]  # type: ignore[union-attr]
    assert not failures, failures[0]
    fresh = SqlStore(url, migrate=False)
    assert fresh.faq.count() == 0
    fresh.close()
