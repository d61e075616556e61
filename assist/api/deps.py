"""Request dependencies: the API key check and access to the loaded services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from assist.access import (
    CSRF_HEADER,
    SESSION_COOKIE,
    KeyRing,
    Principal,
    SessionSigner,
    fingerprint,
    role_at_least,
    tokens_match,
)
from assist.errors import CsrfFailed, Forbidden, NotReady, RoleNotAllowed, Unauthorized
from assist.services import Services
from assist.settings import Role, Settings
from assist.storage.restrictions import SubjectType


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_services(request: Request) -> Services:
    services: Services | None = request.app.state.services
    if request.app.state.load_error:
        raise NotReady(f"Loading failed: {request.app.state.load_error}")
    if services is None:
        raise NotReady("The model and indexes are still loading; retry shortly")
    return services


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_principal(request: Request) -> Principal | None:
    """The signed-in browser, if its session cookie is valid and its key still exists."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    signer: SessionSigner = request.app.state.sessions
    found = signer.read(cookie)
    if found is None:
        return None
    key_fp, csrf = found
    keys: KeyRing = request.app.state.keys
    role = keys.role_for_fingerprint(key_fp)
    if role is None:
        return None
    return Principal(role, key_fp, via_session=True, csrf=csrf)


def authenticate(request: Request) -> Principal:
    """The caller from its X-API-Key header, else from its browser session."""
    key = request.headers.get("x-api-key")
    if key:
        keys: KeyRing = request.app.state.keys
        role = keys.role_for_key(key)
        if role is None:
            raise Unauthorized("The API key is not valid")
        return Principal(role, fingerprint(key))
    principal = session_principal(request)
    if principal is None:
        raise Unauthorized("Send your API key in the X-API-Key header")
    # A cookie is sent by the browser on its own, so a forged cross-site form could ride
    # on it: every state-changing request made with it must prove it read our page.
    if request.method not in SAFE_METHODS and not tokens_match(
        request.headers.get(CSRF_HEADER), principal.csrf
    ):
        raise CsrfFailed(f"Send the session's CSRF token in the {CSRF_HEADER} header")
    return principal


def require_role(needed: Role) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        principal = authenticate(request)
        if not role_at_least(principal.role, needed):
            raise RoleNotAllowed(f"This needs the {needed} role; your key has {principal.role}")
        request.state.principal = principal
        return principal

    return dependency


def enforce_blocks(
    request: Request, services: Services, *, account_id: str | None, ip: str | None
) -> None:
    """Refuse requests from a blocked account or IP (the user's, or the caller's own)."""
    peer = request.client.host if request.client else None
    candidates: list[tuple[SubjectType, str | None]] = [
        ("account", account_id),
        ("ip", ip),
        ("ip", peer),
    ]
    subjects = [(kind, value) for kind, value in candidates if value]
    block = services.store.restrictions.find_active("block", subjects, datetime.now(UTC))
    if block is not None:
        until = block.expires_at.isoformat() if block.expires_at else "further notice"
        raise Forbidden(
            f"{block.subject_type} {block.subject} is blocked until {until}: {block.reason}"
        )


def current_principal(request: Request) -> Principal:
    """The principal a router-level `require_role` dependency already established."""
    principal: Principal = request.state.principal
    return principal


ServicesDep = Annotated[Services, Depends(get_services)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
