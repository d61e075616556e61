"""The delivery worker: claims due outbox rows and POSTs them, signed, to their URLs.

Each URL gets a lane of its own (one at a time per URL, a few URLs at once), so a slow or
dead helpdesk holds up only its own events; every POST has a bounded timeout. A 2xx answer
delivers the event; anything else (another status, a timeout, a refused connection) is
retried after a doubling, capped, jittered wait, and after the last attempt the row is dead
until someone replays it.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx

from assist import __version__, request_ids
from assist.metrics import Metrics
from assist.storage.tables import utcnow
from assist.storage.webhooks import Delivery, DeliveryStore
from integrations.helpdesk.signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, signed_headers

log = logging.getLogger(__name__)
LANES = 4  # URLs served at once
PER_URL = 20  # rows of one URL claimed at a time
ERROR_CHARS = 500  # of a failed answer's body, kept in `last_error`


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    cap_seconds: float

    def delay(self, failures: int, jitter: float) -> float:
        """Seconds to wait after the `failures`-th failed attempt; `jitter` in [0, 1)
        takes off up to half, so that events failed together do not retry together."""
        doublings = min(failures - 1, 60)  # 2**60 times any base is past any cap
        full = min(self.cap_seconds, self.base_seconds * float(2**doublings))
        return full * (1 - jitter / 2)


class DeliveryWorker:
    def __init__(
        self,
        deliveries: DeliveryStore,
        client: httpx.Client,
        *,
        secrets: Sequence[str],
        retry: RetryPolicy,
        timeout_seconds: float,
        poll_seconds: float,
        metrics: Metrics,
        wake: threading.Event | None = None,
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._deliveries = deliveries
        self._client = client
        self._secrets = list(secrets)
        self._retry = retry
        self._poll_seconds = poll_seconds
        self._metrics = metrics
        self._wake = wake or threading.Event()
        self._clock = clock
        self._jitter = jitter
        # Long enough for a lane's whole batch even when every POST runs into its timeout
        # (connect, write and read may each take that long), so no other worker takes a
        # row while this one still may send it.
        self._lease_seconds = PER_URL * timeout_seconds * 3 + 30
        self._busy: set[str] = set()
        self._lock = threading.Lock()

    def wake(self) -> None:
        """Look for due rows now (something was enqueued or replayed)."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set (then call `wake` so the loop notices at once);
        lanes finish the POST in hand and give their other rows back."""
        with ThreadPoolExecutor(LANES, thread_name_prefix="assist-webhook") as lanes:
            while not stop.is_set():
                self._wake.clear()
                # `stop` is set before the wake-up: checked again so that a wake-up cleared
                # just above does not leave shutdown waiting a whole poll interval.
                if not self._start_lanes(lanes, stop) and not stop.is_set():
                    self._wake.wait(self._poll_seconds)

    def _start_lanes(self, lanes: ThreadPoolExecutor, stop: threading.Event) -> bool:
        with self._lock:
            free = LANES - len(self._busy)
            busy = set(self._busy)
        if free <= 0:
            return False  # a lane that finishes wakes us
        try:
            claimed = self._deliveries.claim(
                self._clock(),
                urls=free,
                per_url=PER_URL,
                lease_seconds=self._lease_seconds,
                skip_urls=busy,
            )
        except Exception:
            log.exception("claiming webhook deliveries failed; retrying")
            return False
        by_url: dict[str, list[Delivery]] = {}
        for delivery in claimed:
            by_url.setdefault(delivery.url, []).append(delivery)
        with self._lock:
            self._busy.update(by_url)
        for url, rows in by_url.items():
            lanes.submit(self._lane, url, rows, stop)
        return bool(claimed)

    def _lane(self, url: str, rows: list[Delivery], stop: threading.Event) -> None:
        try:
            for done, delivery in enumerate(rows):
                if stop.is_set():
                    self._deliveries.release(rows[done:])
                    return
                self.attempt(delivery)
        except Exception:
            # The rows left keep their lease, and are claimed again when it runs out.
            log.exception("webhook lane failed", extra={"url": shown(url)})
        finally:
            with self._lock:
                self._busy.discard(url)
            self._wake.set()

    def attempt(self, delivery: Delivery) -> bool:
        """POST one claimed row and record the result; True when delivered."""
        token = request_ids.current.set(delivery.request_id)
        try:
            return self._attempt(delivery)
        finally:
            request_ids.current.reset(token)

    def _attempt(self, delivery: Delivery) -> bool:
        body = delivery.body.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"connect-assist/{__version__}",
            EVENT_ID_HEADER: delivery.event_id,
            EVENT_TYPE_HEADER: delivery.event_type,
            **signed_headers(self._secrets, body, timestamp=int(self._clock().timestamp())),
        }
        if delivery.request_id:
            headers[request_ids.HEADER] = delivery.request_id
        status: int | None = None
        try:
            response = self._client.post(delivery.url, content=body, headers=headers)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            if response.is_success:
                self._deliveries.delivered(delivery, status_code=status, now=self._clock())
                self._metrics.webhook_deliveries.labels(result="delivered").inc()
                return True
            error = f"HTTP {status}: {response.text[:ERROR_CHARS]}"
        self._failed(delivery, error, status)
        return False

    def _failed(self, delivery: Delivery, error: str, status: int | None) -> None:
        now = self._clock()
        failures = delivery.attempts + 1
        dead = failures >= self._retry.max_attempts
        retry_at = None
        if not dead:
            retry_at = now + timedelta(seconds=self._retry.delay(failures, self._jitter()))
        self._deliveries.failed(
            delivery, error=error, status_code=status, retry_at=retry_at, now=now
        )
        result = "dead" if dead else "failed"
        self._metrics.webhook_deliveries.labels(result=result).inc()
        log.warning(
            "webhook delivery dead" if dead else "webhook delivery failed",
            extra={
                "request_id": delivery.request_id,
                "delivery_id": delivery.id,
                "event_id": delivery.event_id,
                "event_type": delivery.event_type,
                "url": shown(delivery.url),
                "attempt": failures,
                "status_code": status,
                "error": error,
                "retry_at": retry_at.isoformat() if retry_at else None,
            },
        )


def shown(url: str) -> str:
    """`url` without credentials or query, which may carry a token, for the logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
