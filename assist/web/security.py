"""Security headers: a strict Content-Security-Policy on the pages the sidecar serves.

No inline script or style is allowed anywhere, so injected markup cannot run even if it
got into a page; `frame-ancestors` (a setting) names who may embed the panel.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_PREFIXES = ("/panel", "/studio", "/ui/", "/static/")


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.policy = content_security_policy(frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # /docs loads Swagger UI from its CDN with inline script: leave it out of the policy.
        is_page = scope["path"].startswith(PAGE_PREFIXES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if is_page:
                    headers["Content-Security-Policy"] = self.policy
                    headers["Referrer-Policy"] = "same-origin"
                    if not scope["path"].startswith("/static/"):
                        headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
