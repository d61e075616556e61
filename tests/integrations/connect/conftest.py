"""A sidecar wired to a fake 1C-Connect: the fake over real HTTP, the app in-process."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from tests.conftest import API_KEY, BACKLOG, FAQ, wait_ready
from tests.integrations.connect.fake_connect import LOGIN, PASSWORD, FakeConnect
from tests.servers import serve_in_thread

LINE, MANAGERS, USER = (str(uuid.uuid4()) for _ in range(3))
TOKEN = "hook-token-1"
# A Sunday night in Moscow, and a Wednesday noon: off hours and working hours.
SUNDAY_NIGHT, WEDNESDAY_NOON = "2026-11-29T03:00:00+03:00", "2026-11-25T12:00:00+03:00"


@pytest.fixture
def fake_connect() -> FakeConnect:
    return FakeConnect(lines={LINE, MANAGERS}, subscribers={(LINE, USER)})


@pytest.fixture
def connect_url(fake_connect: FakeConnect) -> Iterator[str]:
    with serve_in_thread(fake_connect.app()) as url:
        yield url


def connect_settings(tmp_path: Path, connect_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "api_keys": [API_KEY],
        "log_json": False,
        "refresh_seconds": 0,
        "connect_api_url": connect_url,
        "connect_login": LOGIN,
        "connect_password": PASSWORD,
        "connect_line_ids": [LINE],
        "connect_hook_token": TOKEN,
        "connect_managers_line_id": MANAGERS,
        "connect_max_attempts": 2,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def make_client(tmp_path: Path, connect_url: str) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        app = create_app(
            connect_settings(tmp_path, connect_url, **overrides), encoder=FakeEncoder()
        )
        client = TestClient(app, headers={"X-API-Key": API_KEY})
        client.__enter__()
        opened.append(client)
        wait_ready(client)
        app.state.services.knowledge.upsert("faq", FAQ)
        app.state.services.knowledge.upsert("backlog", BACKLOG)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def line_event(text: str = "", message_type: int = 1, **fields: Any) -> dict[str, Any]:
    return {
        "line_id": LINE,
        "user_id": USER,
        "message_id": str(uuid.uuid4()),
        "message_type": message_type,
        "message_time": WEDNESDAY_NOON,
        "text": text,
        "data": {},
        **fields,
    }


def post_event(client: TestClient, event: dict[str, Any], token: str = TOKEN) -> Any:
    return client.post(
        "/hooks/connect", json=event, headers={"Authorization": f"Bearer {token}", "X-API-Key": ""}
    )
