"""The webhook outbox and the inbound events seen, on SQLite and on a real PostgreSQL server.

Another `SqlStore` on the same URL stands for another replica: claims race in threads.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest

from assist.storage.sql import SqlStore
from assist.storage.webhooks import Delivery, NewDelivery

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LEASE = 60.0


def new(n: int, url: str = "http://h/hook") -> NewDelivery:
    return NewDelivery(f"ev-{n}", url, "suggestion.ready", f'{{"n":{n}}}', f"req-{n}")


def claim(store: SqlStore, now: datetime = T0, **options: int) -> list[Delivery]:
    return store.webhooks.deliveries.claim(
        now,
        urls=options.get("urls", 4),
        per_url=options.get("per_url", 20),
        lease_seconds=LEASE,
    )


def test_a_claimed_row_is_leased_until_it_is_done_or_the_lease_runs_out(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(1), new(2)], T0)
    first = claim(store)
    assert [d.event_id for d in first] == ["ev-1", "ev-2"]
    assert all(d.lease for d in first) and first[0].request_id == "req-1"
    assert claim(store) == []  # another worker finds nothing to take
    assert deliveries.delivered(first[0], status_code=204, now=T0)
    # The second worker died mid-send: its lease runs out and the row is claimed again.
    again = claim(store, T0 + timedelta(seconds=LEASE + 1))
    assert [d.event_id for d in again] == ["ev-2"]
    assert not deliveries.delivered(first[1], status_code=200, now=T0)  # lease lost
    assert deliveries.delivered(again[0], status_code=200, now=T0)
    done = deliveries.get(first[0].id)
    assert done is not None
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 1, 204)
    assert done.delivered_at == T0


def test_failures_wait_for_their_retry_then_die(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(1)], T0)
    (row,) = claim(store)
    retry_at = T0 + timedelta(seconds=30)
    assert deliveries.failed(row, error="HTTP 500", status_code=500, retry_at=retry_at, now=T0)
    assert claim(store, T0 + timedelta(seconds=29)) == []
    (row,) = claim(store, retry_at)
    assert (row.attempts, row.last_error, row.last_status_code) == (1, "HTTP 500", 500)
    assert deliveries.failed(row, error="ConnectError", status_code=None, retry_at=None, now=T0)
    dead = deliveries.get(row.id)
    assert dead is not None and (dead.status, dead.attempts) == ("dead", 2)
    assert claim(store, T0 + timedelta(days=1)) == []
    assert [d.id for d in deliveries.entries("dead")] == [row.id]
    assert deliveries.entries("pending") == []


def test_replay_puts_rows_back_with_attempts_reset(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(1), new(2), new(3)], T0)
    for row in claim(store):
        deliveries.failed(row, error="HTTP 503", status_code=503, retry_at=None, now=T0)
    later = T0 + timedelta(hours=1)
    (replayed,) = deliveries.replay([1_000_000, deliveries.entries("dead")[-1].id], later)
    assert (replayed.event_id, replayed.status, replayed.attempts) == ("ev-1", "pending", 0)
    assert replayed.next_attempt_at == later
    assert deliveries.replay_dead(later) == 2
    assert deliveries.entries("dead") == []
    assert {d.event_id for d in claim(store, later)} == {"ev-1", "ev-2", "ev-3"}


def test_a_replay_wins_over_an_attempt_still_in_flight(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(1)], T0)
    (in_flight,) = claim(store)
    (replayed,) = deliveries.replay([in_flight.id], T0)
    # The old attempt's result no longer lands: the row stays as the replay left it.
    assert not deliveries.failed(
        in_flight, error="HTTP 503", status_code=503, retry_at=None, now=T0
    )
    assert deliveries.get(replayed.id).status == "pending"  # type: ignore[union-attr]
    assert [d.id for d in claim(store)] == [replayed.id]


def test_one_busy_url_does_not_fill_a_claim(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(n, "http://busy/hook") for n in range(50)], T0)
    deliveries.enqueue([new(n, "http://quiet/hook") for n in range(50, 53)], T0)
    got = Counter(d.url for d in claim(store, urls=2, per_url=10))
    assert got == {"http://busy/hook": 10, "http://quiet/hook": 3}
    # A worker with the busy URL's lane occupied asks for the others only.
    rest = deliveries.claim(
        T0, urls=4, per_url=10, lease_seconds=LEASE, skip_urls={"http://busy/hook"}
    )
    assert rest == []


def test_the_same_event_is_not_enqueued_twice_for_one_url(store: SqlStore) -> None:
    deliveries = store.webhooks.deliveries
    deliveries.enqueue([new(1)], T0)
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        deliveries.enqueue([new(2), new(1)], T0)
    assert [d.event_id for d in deliveries.entries()] == ["ev-1"]  # all or nothing


def test_replicas_claiming_at_once_never_share_a_row(store: SqlStore) -> None:
    other = SqlStore(store.url, migrate=False)
    store.webhooks.deliveries.enqueue([new(n, f"http://h{n % 5}/hook") for n in range(300)], T0)
    start = Barrier(6)

    def worker(index: int) -> list[int]:
        replica = store if index % 2 else other
        start.wait()
        taken: list[int] = []
        while rows := replica.webhooks.deliveries.claim(T0, urls=2, per_url=5, lease_seconds=LEASE):
            taken.extend(d.id for d in rows)
        return taken

    try:
        with ThreadPoolExecutor(6) as pool:
            claimed = [pk for taken in pool.map(worker, range(6)) for pk in taken]
    finally:
        other.close()
    assert len(claimed) == 300
    assert len(set(claimed)) == 300


def test_an_inbound_event_is_claimed_once_then_answered(store: SqlStore) -> None:
    seen = store.webhooks.helpdesk_messages
    stale = timedelta(minutes=2)
    first = seen.claim("hd-1", T0, stale_after=stale)
    assert first.state == "new" and first.token
    assert seen.claim("hd-1", T0, stale_after=stale).state == "in_flight"
    assert seen.suggestion_id("hd-1") is None
    assert seen.complete("hd-1", first.token, "s-1")
    answered = seen.claim("hd-1", T0 + timedelta(days=1), stale_after=stale)
    assert (answered.state, answered.suggestion_id) == ("answered", "s-1")
    assert seen.suggestion_id("hd-1") == "s-1"


def test_a_failed_claim_is_released_and_an_abandoned_one_taken_over(store: SqlStore) -> None:
    seen = store.webhooks.helpdesk_messages
    stale = timedelta(minutes=2)
    failed = seen.claim("hd-2", T0, stale_after=stale)
    assert failed.token
    seen.release("hd-2", failed.token)
    crashed = seen.claim("hd-2", T0, stale_after=stale)
    assert crashed.state == "new" and crashed.token != failed.token
    assert seen.claim("hd-2", T0 + stale - timedelta(seconds=1), stale_after=stale).state == (
        "in_flight"
    )
    taken = seen.claim("hd-2", T0 + stale + timedelta(seconds=1), stale_after=stale)
    assert taken.state == "new" and taken.token
    assert crashed.token and not seen.complete("hd-2", crashed.token, "s-late")
    assert seen.complete("hd-2", taken.token, "s-2")
    assert seen.suggestion_id("hd-2") == "s-2"


def test_concurrent_deliveries_of_one_event_have_one_winner(store: SqlStore) -> None:
    other = SqlStore(store.url, migrate=False)
    start = Barrier(8)

    def deliver(index: int) -> str:
        start.wait()
        replica = store if index % 2 else other
        return replica.webhooks.helpdesk_messages.claim(
            "hd-3", T0, stale_after=timedelta(minutes=2)
        ).state

    try:
        with ThreadPoolExecutor(8) as pool:
            states = Counter(pool.map(deliver, range(8)))
    finally:
        other.close()
    assert states == {"new": 1, "in_flight": 7}
