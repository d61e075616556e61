"""Request dependencies: the API key check and access to the loaded services."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from assist.errors import NotReady, Unauthorized
from assist.services import Services
from assist.settings import Settings


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


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
