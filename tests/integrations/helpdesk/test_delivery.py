"""The delivery worker against a real helpdesk on 127.0.0.1: retries, dead letters, replay,
signatures checked the README's way, and one slow URL beside others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from assist.metrics import Metrics
from assist.storage.sql import SqlStore
from assist.storage.webhooks import Delivery, NewDelivery, SqlDeliveries
from integrations.helpdesk.delivery import DeliveryWorker, RetryPolicy, shown
from tests.integrations.helpdesk.peers import Receiver
from tests.servers import eventually, metric, serve_in_thread

SECRET = "outbound-secret"
RESULTS = "assist_webhook_deliveries_total"


@dataclass
class Rig:
    receiver: Receiver
    url: str
    deliveries: SqlDeliveries
    worker: DeliveryWorker
    metrics: Metrics

    def enqueue(self, n: int, path: str = "/hook") -> None:
        body = f'{{"event_id":"ev-{n}","type":"suggestion.ready"}}'
        new = NewDelivery(f"ev-{n}", self.url + path, "suggestion.ready", body, f"req-{n}")
        self.deliveries.enqueue([new], datetime.now(UTC))
        self.worker.wake()

    def row(self, n: int, path: str = "/hook") -> Delivery:
        (found,) = [
            d
            for d in self.deliveries.entries(limit=1000)
            if d.event_id == f"ev-{n}" and d.url.endswith(path)
        ]
        return found

    def count(self, result: str) -> float:
        return metric(self.metrics.render().decode(), RESULTS, result=result)


@contextmanager
def rig(tmp_path: Path, *, max_attempts: int = 3, timeout: float = 10) -> Iterator[Rig]:
    receiver = Receiver(SECRET)
    store = SqlStore(f"sqlite:///{tmp_path / 'outbox.db'}")
    metrics = Metrics()
    stop = threading.Event()
    with serve_in_thread(receiver.app) as url, httpx.Client(timeout=timeout) as client:
        worker = DeliveryWorker(
            store.webhooks.deliveries,
            client,
            secrets=[SECRET],
            retry=RetryPolicy(max_attempts=max_attempts, base_seconds=0.01, cap_seconds=0.05),
            timeout_seconds=timeout,
            poll_seconds=0.05,
            metrics=metrics,
        )
        thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
        thread.start()
        try:
            yield Rig(receiver, url, store.webhooks.deliveries, worker, metrics)
        finally:
            receiver.release.set()
            stop.set()
            worker.wake()
            thread.join(timeout=30)
            store.close()


def test_failures_are_retried_until_delivered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="integrations.helpdesk.delivery")
    with rig(tmp_path) as r:
        r.receiver.fail_first = 2
        r.enqueue(1)
        assert eventually(lambda: r.row(1).status == "delivered")
        calls = r.receiver.snapshot()
        assert [c.status for c in calls] == [500, 500, 200]
        assert all(c.verified for c in calls)
        assert {c.headers["x-assist-event-id"] for c in calls} == {"ev-1"}
        assert {c.headers["x-request-id"] for c in calls} == {"req-1"}
        assert {c.headers["x-assist-event-type"] for c in calls} == {"suggestion.ready"}
        assert len({c.body for c in calls}) == 1
        row = r.row(1)
        assert (row.attempts, row.last_status_code, row.last_error) == (3, 200, None)
        assert (r.count("failed"), r.count("delivered"), r.count("dead")) == (2, 1, 0)
    failures = [rec for rec in caplog.records if rec.getMessage() == "webhook delivery failed"]
    assert [rec.attempt for rec in failures] == [1, 2]  # type: ignore[attr-defined]
    assert {rec.request_id for rec in failures} == {"req-1"}  # type: ignore[attr-defined]
    assert {rec.status_code for rec in failures} == {500}  # type: ignore[attr-defined]


def test_a_dead_letter_is_delivered_once_replayed(tmp_path: Path) -> None:
    with rig(tmp_path) as r:
        r.receiver.always_fail = True
        r.enqueue(1)
        assert eventually(lambda: r.row(1).status == "dead")
        dead = r.row(1)
        assert (dead.attempts, dead.last_status_code) == (3, 500)
        assert dead.last_error == "HTTP 500: try again"
        assert (r.count("failed"), r.count("dead")) == (2, 1)
        assert len(r.receiver.snapshot()) == 3  # nothing more is sent to a dead letter

        r.receiver.always_fail = False
        assert r.deliveries.replay_dead(datetime.now(UTC)) == 1
        r.worker.wake()
        assert eventually(lambda: r.row(1).status == "delivered")
        assert r.row(1).attempts == 1
        assert [c.status for c in r.receiver.snapshot()] == [500, 500, 500, 200]


def test_an_unreachable_url_is_retried_then_dead(tmp_path: Path) -> None:
    with rig(tmp_path, max_attempts=2) as r:
        r.url = "http://127.0.0.1:9"  # discard port: nothing listens
        r.enqueue(1)
        assert eventually(lambda: r.row(1).status == "dead")
        row = r.row(1)
        assert row.last_status_code is None
        assert row.last_error is not None and row.last_error.startswith("ConnectError")


def test_a_hanging_url_holds_up_only_its_own_events(tmp_path: Path) -> None:
    # The timeout is far longer than the wait below: one lane for every URL would still be
    # stuck on the first hanging request when the wait ends.
    with rig(tmp_path, timeout=60) as r:
        for n in range(3):
            r.enqueue(n, "/hang")
        for n in range(3, 23):
            r.enqueue(n)
        assert eventually(lambda: len(r.receiver.delivered("/hook")) == 20, seconds=20)
        assert r.receiver.waiting == 1  # one request at a time per URL
        assert r.receiver.delivered("/hang") == []
        r.receiver.release.set()
        assert eventually(lambda: len(r.receiver.delivered("/hang")) == 3)


def test_stopping_finishes_the_request_in_hand_and_gives_the_rest_back(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'outbox.db'}")
    receiver = Receiver(SECRET)
    stop = threading.Event()
    with serve_in_thread(receiver.app) as url, httpx.Client(timeout=30) as client:
        worker = DeliveryWorker(
            store.webhooks.deliveries,
            client,
            secrets=[SECRET],
            retry=RetryPolicy(3, 0.01, 0.05),
            timeout_seconds=30,
            poll_seconds=0.05,
            metrics=Metrics(),
        )
        store.webhooks.deliveries.enqueue(
            [NewDelivery(f"ev-{n}", f"{url}/hang", "t", "{}", None) for n in range(3)],
            datetime.now(UTC),
        )
        thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
        thread.start()
        assert eventually(lambda: receiver.waiting == 1)
        stop.set()
        worker.wake()
        receiver.release.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
    rows = sorted(store.webhooks.deliveries.entries(), key=lambda d: d.id)
    assert [(d.status, d.attempts, d.lease) for d in rows] == [
        ("delivered", 1, None),
        ("pending", 0, None),
        ("pending", 0, None),
    ]
    store.close()


def test_retry_waits_double_up_to_the_cap_less_up_to_half() -> None:
    policy = RetryPolicy(max_attempts=10, base_seconds=2, cap_seconds=600)
    assert [policy.delay(n, 0.0) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert policy.delay(10, 0.0) == policy.delay(500, 0.0) == 600
    assert policy.delay(3, 0.999999) == pytest.approx(4, abs=1e-4)
    assert 4 < policy.delay(3, 0.5) < 8


def test_logged_urls_keep_no_credentials_or_query() -> None:
    assert shown("https://bot:pw@desk.example:8443/in/hook?token=abc") == (
        "https://desk.example:8443/in/hook"
    )
