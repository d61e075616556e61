"""GET /v1/hours: is support working at a moment, and when it opens next."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from assist.api.deps import ServicesDep
from assist.api.schemas import HoursOut

router = APIRouter(tags=["hours"])


@router.get("/hours", response_model=HoursOut)
def hours(
    services: ServicesDep,
    at: Annotated[
        AwareDatetime | None, Query(description="ISO-8601 with offset; default: now")
    ] = None,
) -> HoursOut:
    moment = at or datetime.now(UTC)
    support = services.assistant.hours
    return HoursOut(
        at=moment,
        open=support.is_open(moment),
        next_opening=support.next_opening(moment),
        next_opening_text={
            language: support.describe_next_opening(moment, language)
            for language in services.settings.languages
        },
    )
