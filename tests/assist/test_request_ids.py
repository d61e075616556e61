"""Every response carries a request id; a caller's well-formed one is kept and logged."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from assist.logs import JsonFormatter
from assist.request_ids import HEADER, RequestIdFilter, accepted, current


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
