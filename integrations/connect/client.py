"""Client of the 1C-Connect line API: Basic auth, paced requests, retries with backoff.

Every method is a POST of a JSON body to `<server>/v1/<method>/`; any status but 200 is an
error with a JSON `{"error": "..."}` body (as the recorded answers of the real server show).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

import httpx
from pydantic import BaseModel

from integrations.connect.models import (
    BackAuth,
    HookRequest,
    RerouteRequest,
    SendMessageRequest,
)

log = logging.getLogger(__name__)

# Statuses after which the server did not act on the request, so sending it again cannot
# post a message twice. A 500, 502 or 504 may come after the message went out (a gateway
# timing out on a slow upstream): retried only for requests that may be repeated.
RETRIED_STATUSES = frozenset({429, 503})
RETRIED_IF_REPEATABLE = RETRIED_STATUSES | {502, 504}


class ConnectError(Exception):
    """1C-Connect refused or could not take a request."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(f"1C-Connect answered {status}: {message}" if status else message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 10.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Seconds before attempt `attempt + 1`; a server's Retry-After wins when it is given."""
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.max_backoff_seconds)
            except ValueError:
                pass
        backoff: float = self.backoff_seconds * 2 ** (attempt - 1)
        return min(backoff, self.max_backoff_seconds)


class Pacer:
    """At most `per_second` requests a second from this process, shared by all threads
    (0: no pacing)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, sleep: Callable[[float], None]) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            sleep(start - now)


class ConnectClient:
    """Speaks to 1C-Connect through `http`, whose base URL and Basic auth the caller sets."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        retry: RetryPolicy | None = None,
        requests_per_second: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.retry = retry or RetryPolicy()
        self.pacer = Pacer(requests_per_second)
        self.sleep = sleep

    def register_hook(
        self,
        url: str,
        *,
        line_id: UUID | None,
        kind: Literal["bot", "line"] = "line",
        token: str | None = None,
    ) -> None:
        """Subscribe `url` to the line's events; 1C-Connect sends `token` back as a Bearer."""
        back_auth = BackAuth(type="bearer", token=token) if token else None
        hook = HookRequest(id=line_id, type=kind, url=url, back_auth=back_auth)
        self._post("hook", hook, repeatable=True)  # subscribing twice changes nothing

    def send_message(self, line_id: UUID, user_id: UUID, text: str) -> None:
        self._post(
            "line/send/message", SendMessageRequest(line_id=line_id, user_id=user_id, text=text)
        )

    def reroute(
        self, line_id: UUID, user_id: UUID, to_line_id: UUID, quote: str | None = None
    ) -> None:
        self._post(
            "line/reroute",
            RerouteRequest(line_id=line_id, user_id=user_id, to_line_id=to_line_id, quote=quote),
        )

    def _post(self, method: str, body: BaseModel, *, repeatable: bool = False) -> None:
        payload = body.model_dump(mode="json", exclude_none=True)
        retried = RETRIED_IF_REPEATABLE if repeatable else RETRIED_STATUSES
        for attempt in range(1, self.retry.attempts + 1):
            self.pacer.wait(self.sleep)
            try:
                response = self.http.post(f"/v1/{method}/", json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing reached the server, so trying again is safe.
                failure = ConnectError(None, f"1C-Connect cannot be reached: {exc}")
                retry_after = None
            except httpx.HTTPError as exc:
                raise ConnectError(None, f"1C-Connect did not answer: {exc}") from exc
            else:
                if response.status_code == 200:
                    return
                failure = ConnectError(response.status_code, _error_text(response))
                if response.status_code not in retried:
                    raise failure
                retry_after = response.headers.get("retry-after")
            if attempt == self.retry.attempts:
                break
            delay = self.retry.delay(attempt, retry_after)
            log.warning(
                "1C-Connect request retried",
                extra={"method": method, "attempt": attempt, "delay": delay, "error": str(failure)},
            )
            self.sleep(delay)
        raise failure


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return response.text[:300]


def connect_http_client(url: str, login: str, password: str, timeout: float) -> httpx.Client:
    return httpx.Client(
        base_url=url.rstrip("/"),
        auth=httpx.BasicAuth(login, password),
        timeout=timeout,
        headers={"Accept": "application/json"},
    )
