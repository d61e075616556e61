"""Request dependencies: the API key check and access to the loaded services."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Request

from assist.errors import Forbidden, NotReady, Unauthorized
from assist.services import Services
from assist.settings import Settings
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


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    x_api_key: Annotated[str | None, Header()] = None,
) -> None:
    if not x_api_key:
        raise Unauthorized("Send your API key in the X-API-Key header")
    # Compare against every key in constant time so timing does not reveal a prefix.
    if not any(hmac.compare_digest(x_api_key, key) for key in settings.api_keys):
        raise Unauthorized("The API key is not valid")


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


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
