"""Fake Redmine and Jira servers on 127.0.0.1, and trackers speaking to them over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from assist.knowledge.lexical import LexicalIndex
from assist.knowledge.service import KnowledgeBase
from assist.storage.sql import SqlStore
from embeddings.fake import FakeEncoder
from embeddings.numpy_index import NumpyIndex
from integrations.trackers.jira import JiraConfig, JiraTracker
from integrations.trackers.redmine import RedmineConfig, RedmineTracker
from tests.integrations.trackers import fake_jira, fake_redmine
from tests.integrations.trackers.fake_jira import FakeJira
from tests.integrations.trackers.fake_redmine import FakeRedmine
from tests.integrations.trackers.real_redmine import RealRedmine, missing_reason, redmine_server
from tests.servers import serve_in_thread


@dataclass
class Peer:
    """A fake tracker's address, and the clients its trackers were given (closed after)."""

    url: str
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, **options: Any) -> httpx.Client:
        made = httpx.Client(base_url=self.url, timeout=5, **options)
        self.clients.append(made)
        return made

    def close(self) -> None:
        for client in self.clients:
            client.close()


@dataclass
class RedminePeer(Peer):
    fake: FakeRedmine = field(default_factory=FakeRedmine)

    def tracker(self, *, key: str = fake_redmine.KEY, **config: Any) -> RedmineTracker:
        client = self.client(headers={"X-Redmine-API-Key": key})
        settings = {
            "project": "connect",
            "watchers_field_id": fake_redmine.WATCHERS_FIELD,
            "support_user_id": fake_redmine.SUPPORT_USER,
            **config,
        }
        retries = settings.pop("retries", 2)
        return RedmineTracker(client, RedmineConfig(**settings), retries=retries, backoff=0.01)


@dataclass
class JiraPeer(Peer):
    fake: FakeJira = field(default_factory=FakeJira)

    def tracker(self, *, bearer: bool = False, **config: Any) -> JiraTracker:
        if bearer:
            client = self.client(headers={"Authorization": f"Bearer {fake_jira.TOKEN}"})
        else:
            auth = httpx.BasicAuth(fake_jira.USER, config.pop("token", fake_jira.TOKEN))
            client = self.client(auth=auth)
        settings = {
            "project_key": "SUP",
            "watchers_field": fake_jira.WATCHERS_FIELD,
            "support_account": fake_jira.SUPPORT,
            **config,
        }
        retries = settings.pop("retries", 2)
        return JiraTracker(client, JiraConfig(**settings), retries=retries, backoff=0.01)


@pytest.fixture
def redmine() -> Iterator[RedminePeer]:
    fake = FakeRedmine()
    with serve_in_thread(fake.app()) as url:
        peer = RedminePeer(url, fake=fake)
        yield peer
        peer.close()


@pytest.fixture
def jira() -> Iterator[JiraPeer]:
    fake = FakeJira()
    with serve_in_thread(fake.app()) as url:
        peer = JiraPeer(url, fake=fake)
        yield peer
        peer.close()


@pytest.fixture
def jira_data_center() -> Iterator[JiraPeer]:
    fake = FakeJira(cloud=False, time_zone="UTC")
    with serve_in_thread(fake.app()) as url:
        peer = JiraPeer(url, fake=fake)
        yield peer
        peer.close()


@pytest.fixture(scope="session")
def real_redmine() -> Iterator[RealRedmine]:
    """One throwaway Redmine 5 (Debian's package) for the session; skips without it."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with redmine_server() as server:
        yield server


def real_redmine_tracker(server: RealRedmine, **config: Any) -> RedmineTracker:
    client = httpx.Client(base_url=server.url, headers={"X-Redmine-API-Key": server.key})
    settings = {
        "project": server.project,
        "watchers_field_id": server.watchers_field_id,
        "support_user_id": server.support_user_id,
        **config,
    }
    return RedmineTracker(client, RedmineConfig(**settings), retries=0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    made = SqlStore(f"sqlite:///{tmp_path / 'assist.db'}")
    yield made
    made.close()


@pytest.fixture
def knowledge(store: SqlStore, tmp_path: Path) -> KnowledgeBase:
    base = KnowledgeBase(
        store,
        FakeEncoder(),
        tmp_path / "index",
        vector_index=NumpyIndex,
        lexical_index=LexicalIndex,
    )
    base.load()
    return base
