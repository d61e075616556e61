"""ASGI guard in front of every route: body size, content type and UTF-8, checked once.

The body is read here (bounded by `max_body_bytes`) and replayed to the app, so routes
never see an oversized, mistyped or undecodable body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assist.api.problems import problem_for
from assist.errors import AssistError, InvalidEncoding, PayloadTooLarge, UnsupportedMediaType

BODY_METHODS = {"POST", "PUT", "PATCH"}
JSON_TYPES = {"application/json", "application/x-ndjson", "application/jsonl"}
# The browser's sign-in and sign-out forms post urlencoded fields; nothing else may.
FORM_TYPE, FORM_PREFIX = "application/x-www-form-urlencoded", "/ui/"


class BodyGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["path"]
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send, path)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._too_large(scope, receive, send, path)
                return
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = media_type == FORM_TYPE and path.startswith(FORM_PREFIX)
        if body and media_type not in JSON_TYPES and not is_form:
            shown = media_type or "an untyped body"
            error: AssistError = UnsupportedMediaType(f"Send JSON (application/json), not {shown}")
            await problem_for(error, path)(scope, receive, send)
            return
        try:
            bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            error = InvalidEncoding(f"Invalid UTF-8 byte at offset {exc.start}")
            await problem_for(error, path)(scope, receive, send)
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        error = PayloadTooLarge(f"The limit is {self.max_body_bytes} bytes")
        await problem_for(error, path)(scope, receive, send)


def _replay(body: bytes, upstream: Receive) -> Receive:
    """Hand the buffered body over once, then pass on what the client sends next."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive
