"""A request id for every request, carried into logs and outbound webhooks.

A caller's `X-Request-ID` is kept when it looks like an id (so a helpdesk can follow its
own id through our logs and back in the webhook we send); otherwise we make one.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
current: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str:
    """`value` if it is a usable id, else a new one (never log or echo arbitrary text)."""
    return value if value and _VALID.fullmatch(value) else new_request_id()


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = accepted(headers.get(HEADER.lower().encode(), b"").decode("latin-1"))
        # Not reset after the request: Starlette's handler of unexpected errors runs outside
        # this middleware and must still log and answer under the id. The next request on
        # this connection sets its own.
        current.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append((HEADER.lower().encode(), request_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True
