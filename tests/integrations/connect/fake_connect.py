"""A fake 1C-Connect line API for tests, spoken to over real HTTP.

It answers as the real server does (recorded answers in public client libraries and the API
wiki): Basic auth, 200 with an empty body on success, `{"error": "..."}` with 400/401/403
otherwise. Tests can queue failures (429 with Retry-After, 503, 500) and read every request.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

LOGIN, PASSWORD = "partner", "secret"


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    authorization: str


@dataclass
class FakeConnect:
    lines: set[str] = field(default_factory=set)
    subscribers: set[tuple[str, str]] = field(default_factory=set)  # (line_id, user_id)
    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    url: str = ""  # where it is served, once it is
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, times: int = 1, **headers: str) -> None:
        self.failures.extend([(status, headers)] * times)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.body for c in self.calls if c.method == method]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/hook/", self._endpoint("hook", self._hook), methods=["POST"]),
                Route(
                    "/v1/line/send/message/",
                    self._endpoint("line/send/message", self._send),
                    methods=["POST"],
                ),
                Route(
                    "/v1/line/reroute/",
                    self._endpoint("line/reroute", self._reroute),
                    methods=["POST"],
                ),
            ]
        )

    def _endpoint(self, method: str, handle: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            raw = await request.body()
            authorization = request.headers.get("authorization", "")
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return _error(400, "Request body is not valid JSON")
            with self._lock:
                self.calls.append(Call(method, body, authorization))
                failure = self.failures.pop(0) if self.failures else None
            if not _authorized(authorization):
                return _error(401, "Unauthorized")
            if failure is not None:
                status, headers = failure
                return _error(status, "injected failure", headers)
            answer: Response = handle(body)
            return answer

        return endpoint

    def _hook(self, body: dict[str, Any]) -> Response:
        if body.get("type") not in {"bot", "line"} or not body.get("url"):
            return _error(400, "type and url are required")
        if body.get("type") == "bot" and not body.get("id"):
            return _error(400, "id is required for a bot hook")
        if body.get("id") and body["id"] not in self.lines:
            return _error(403, "Access denied to the line")
        return Response(status_code=200)

    def _send(self, body: dict[str, Any]) -> Response:
        if not _uuid(body.get("line_id")) or not _uuid(body.get("user_id")):
            return _error(400, "line_id and user_id must be UUIDs")
        if (body["line_id"], body["user_id"]) not in self.subscribers:
            return _error(403, "User is not a subscriber or never been online")
        return Response(status_code=200)

    def _reroute(self, body: dict[str, Any]) -> Response:
        if not all(_uuid(body.get(k)) for k in ("line_id", "user_id", "to_line_id")):
            return _error(400, "line_id, user_id and to_line_id must be UUIDs")
        if body["to_line_id"] not in self.lines:
            return _error(403, "Access denied to the line")
        return Response(status_code=200)


def _authorized(header: str) -> bool:
    expected = base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
    return header == f"Basic {expected}"


def _uuid(value: Any) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)
