"""One way to call a tracker's REST API: timeouts, bounded retries, errors in our terms.

Only requests that are safe to repeat are retried (`retry=True`): reads, a PUT that sets a
field to a full value, and adding a watcher (Redmine and Jira both answer 204 and change
nothing when the user already watches). Creating an issue is never retried: when a POST
times out we cannot tell whether the tracker made the issue, and sending it again could
register the same problem twice, so the caller gets `TrackerUnavailable` and decides.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

import httpx

from assist.errors import InvalidInput, NotFound, TrackerUnavailable

log = logging.getLogger(__name__)
# Statuses worth another try: the tracker or a proxy in front of it is busy or restarting.
RETRYABLE = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 10.0  # seconds; a longer Retry-After is not worth holding a request for
ErrorParser = Callable[[httpx.Response], list[dict[str, Any]]]


class TrackerHttp:
    def __init__(
        self,
        client: httpx.Client,
        tracker: str,
        validation_errors: ErrorParser,
        *,
        retries: int = 2,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.tracker = tracker
        self._validation_errors = validation_errors
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep

    def send(
        self,
        method: str,
        path: str,
        *,
        ok: Collection[int] = (200,),
        retry: bool = False,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """The response when its status is in `ok`; otherwise one of our errors:
        `NotFound` (404), `InvalidInput` (400, 422, with the tracker's messages),
        `TrackerUnavailable` (anything else, after the retries `retry` allows)."""
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(1, attempts + 1):
            try:
                response = self.client.request(method, path, params=params, json=json)
            except httpx.TransportError as exc:
                if attempt < attempts:
                    self._wait(attempt, None, method, path, repr(exc))
                    continue
                raise TrackerUnavailable(
                    f"{self.tracker} cannot be reached ({type(exc).__name__}: {exc})"
                ) from exc
            if response.status_code in ok:
                return response
            if response.status_code in RETRYABLE and attempt < attempts:
                self._wait(attempt, response, method, path, str(response.status_code))
                continue
            self._raise(method, path, response)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(
        self, attempt: int, response: httpx.Response | None, method: str, path: str, why: str
    ) -> None:
        delay = self._backoff * 2 ** (attempt - 1)
        if response is not None:
            delay = max(delay, _retry_after(response))
        log.warning(
            "tracker request failed; retrying",
            extra={
                "tracker": self.tracker,
                "method": method,
                "path": path,
                "why": why,
                "attempt": attempt,
                "delay": delay,
            },
        )
        self._sleep(delay)

    def _raise(self, method: str, path: str, response: httpx.Response) -> None:
        status = response.status_code
        where = f"{self.tracker} {method} {path}"
        if status == 404:
            raise NotFound(f"{where}: not found")
        if status in (400, 422):
            raise InvalidInput(
                f"{self.tracker} refused the request ({status})",
                errors=self._validation_errors(response),
            )
        if status in (401, 403):
            # Our credentials or their permissions: the operator's to fix, not the caller's.
            raise TrackerUnavailable(f"{where}: refused our credentials or permissions ({status})")
        raise TrackerUnavailable(f"{where}: answered {status}")


def _retry_after(response: httpx.Response) -> float:
    """Seconds from a numeric Retry-After header (429, 503), capped; 0 without one."""
    try:
        return min(float(response.headers.get("Retry-After", 0)), MAX_RETRY_AFTER)
    except ValueError:
        return 0.0


def json_body(response: httpx.Response, tracker: str) -> Any:
    """The parsed body, or `TrackerUnavailable` when a success answer is not JSON (a proxy's
    login page, a truncated body)."""
    try:
        return response.json()
    except ValueError as exc:
        raise TrackerUnavailable(f"{tracker} answered {response.status_code} without JSON") from exc
