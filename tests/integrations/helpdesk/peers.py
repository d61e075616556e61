"""Real HTTP peers for the webhook tests: any ASGI app under uvicorn in a thread on
127.0.0.1, and a helpdesk that receives our events and checks their signatures with the
very code the README gives helpdesks to copy."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.paths import REPO


def readme_example() -> dict[str, Any]:
    """The functions of the README's Python example, run as written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    (example,) = [b for b in blocks if "def verify_assist_request" in b]
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    return namespace


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int

    @property
    def event(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.body)
        return found


class Receiver:
    """A helpdesk endpoint. `/hook` answers 500 to its first `fail_first` calls (always,
    while `always_fail` is set), then 200; `/hang` does the same once `release` is set,
    not before. A request whose signature does not verify gets 401."""

    def __init__(self, secret: str, *, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.always_fail = False
        self.release = threading.Event()
        self.waiting = 0  # requests held by `/hang`
        self.calls: list[Received] = []
        self._lock = threading.Lock()
        self._verify: Callable[..., bool] = readme_example()["verify_assist_request"]
        self.app = Starlette(
            routes=[
                Route("/hook", self._hook, methods=["POST"]),
                Route("/hang", self._hang, methods=["POST"]),
            ]
        )

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        verified = self._verify(self.secret, request.headers, body)
        with self._lock:
            failing = self.always_fail or len(self.calls) < self.fail_first
            status = 401 if not verified else 500 if failing else 200
            self.calls.append(
                Received(request.url.path, dict(request.headers), body, verified, status)
            )
        return Response(b"ok" if status == 200 else b"try again", status_code=status)

    async def _hang(self, request: Request) -> Response:
        with self._lock:
            self.waiting += 1
        while not self.release.is_set():
            await anyio.sleep(0.01)
        return await self._hook(request)

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.calls)

    def delivered(self, path: str = "/hook") -> list[Received]:
        return [c for c in self.snapshot() if c.status == 200 and c.path == path]
