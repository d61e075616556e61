"""Every response carries a request id; a caller's well-formed one is kept and logged."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.logs import JsonFormatter
from assist.request_ids import HEADER, RequestIdFilter, accepted, current
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from tests.conftest import API_KEY, wait_ready


def test_a_new_id_when_none_is_sent(client: TestClient) -> None:
    first = client.get("/healthz").headers[HEADER]
    second = client.get("/healthz").headers[HEADER]
    assert len(first) == 32 and first != second


def test_the_callers_id_is_kept(client: TestClient) -> None:
    response = client.get("/healthz", headers={HEADER: "helpdesk-42.7"})
    assert response.headers[HEADER] == "helpdesk-42.7"


@pytest.mark.parametrize("bad", ["", "has space", "x" * 101, "new\nline", "<script>"])
def test_an_unusable_id_is_replaced(bad: str) -> None:
    assert accepted(bad) != bad
    assert len(accepted(bad)) == 32


def test_log_records_carry_the_current_id() -> None:
    record = logging.makeLogRecord({"msg": "hello"})
    token = current.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        current.reset(token)
    assert '"request_id": "req-1"' in JsonFormatter().format(record)


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())  # as `configure_logging` sets up the real handler
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_unexpected_error_is_logged_and_answered_under_the_id(settings: Settings) -> None:
    captured = Captured()
    logging.getLogger().addHandler(captured)
    app = create_app(settings, encoder=FakeEncoder())
    with TestClient(app, headers={"X-API-Key": API_KEY}, raise_server_exceptions=False) as client:
        wait_ready(client)

        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("disk on fire")

        app.state.services.suggest = broken
        answer = client.post("/v1/suggest", json={"text": "привет"}, headers={HEADER: "req-500"})
    logging.getLogger().removeHandler(captured)
    assert answer.status_code == 500
    assert answer.headers[HEADER] == "req-500"
    logged = [r for r in captured.records if r.getMessage() == "unexpected error"]
    assert [getattr(r, "request_id", None) for r in logged] == ["req-500"]
