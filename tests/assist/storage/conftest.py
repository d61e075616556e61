"""The store under test, on SQLite and on a real PostgreSQL server, for every storage test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assist.storage.sql import SqlStore
from assist.storage.tables import Base
from tests.postgres import postgres_server


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str | None]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        if postgres_url is None:
            pytest.skip(
                "no PostgreSQL server here (install postgresql or set ASSIST_TEST_POSTGRES_URL)"
            )
        url = postgres_url
    store = SqlStore(url)
    yield store
    # Leave the shared server empty for the next test.
    with store.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    store.close()
