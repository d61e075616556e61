"""One error hierarchy; `assist.api.problems` renders every one as RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class AssistError(Exception):
    """A failure the caller can understand; `status` and `slug` pick the HTTP problem."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidEncoding(AssistError):
    status, slug, title = 400, "invalid-encoding", "Body is not valid UTF-8"


class Unauthorized(AssistError):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"


class Forbidden(AssistError):
    status, slug, title = 403, "forbidden", "Blocked"


class RoleNotAllowed(AssistError):
    status, slug, title = 403, "role-not-allowed", "Your role may not do this"


class CsrfFailed(AssistError):
    status, slug, title = 403, "csrf-failed", "Missing or invalid CSRF token"


class NotFound(AssistError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AssistError):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(AssistError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(AssistError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported content type"


class InvalidInput(AssistError):
    """Input that parsed but broke a rule; `errors` lists each problem with its place."""

    status, slug, title = 422, "invalid-input", "Invalid input"


class HookUnauthorized(AssistError):
    """A 1C-Connect event without the bearer token its hook was registered with."""

    status, slug, title = 401, "hook-unauthorized", "Missing or invalid hook token"


class NotConfigured(AssistError):
    """An integration asked for that its settings leave off."""

    status, slug, title = 403, "not-configured", "Not configured"


class LineNotServed(AssistError):
    """A 1C-Connect line outside `ASSIST_CONNECT_LINE_IDS`."""

    status, slug, title = 403, "line-not-served", "Line not served here"


class PeerFailed(AssistError):
    """An outside system (1C-Connect, a tracker) refused a request or could not be reached."""

    status, slug, title = 502, "peer-failed", "An outside system failed"


class NotReady(AssistError):
    status, slug, title = 503, "not-ready", "Service not ready"


class SignatureRejected(AssistError):
    """A signed request (helpdesk webhook) without a valid HMAC signature."""

    status, slug, title = 401, "invalid-signature", "Missing or invalid signature"


class StaleTimestamp(AssistError):
    """A signed request whose timestamp is too far from our clock: maybe a replay."""

    status, slug, title = 401, "stale-timestamp", "Stale timestamp"


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors as `{field, message}` items, the field a dotted path in the body."""
    return [
        {
            "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "(body)",
            "message": err.get("msg", "invalid"),
        }
        for err in errors
    ]


class TrackerUnavailable(AssistError):
    """Redmine or Jira could not do what we asked: unreachable, 5xx, or it refused our
    credentials. A gateway problem, not the caller's: retrying later may work."""

    status, slug, title = 502, "tracker-unavailable", "Backlog tracker unavailable"
