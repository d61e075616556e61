"""The studio's template routes: read, validate, preview, save, diff and roll back."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field, StringConstraints

from assist.api.deps import PrincipalDep, ServicesDep
from assist.api.schemas import Strict
from assist.errors import NotFound
from assist.studio.catalog import EXAMPLES, TEMPLATE_NAMES, VARIABLES
from assist.studio.preview import preview
from assist.studio.templates import MAX_TEMPLATE_CHARS, diff_lines

router = APIRouter(prefix="/studio", tags=["studio"])
Body = Annotated[str, StringConstraints(max_length=MAX_TEMPLATE_CHARS)]


class TemplateBody(Strict):
    body: Body


class SaveRequest(Strict):
    body: Body
    comment: Annotated[str, StringConstraints(max_length=500)] = ""


class PreviewRequest(Strict):
    body: Body
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    received_at: AwareDatetime | None = None


class RollbackRequest(Strict):
    version: int = Field(ge=0, description="0 is the packaged default")


@router.get("/templates")
def list_templates(services: ServicesDep) -> list[dict[str, Any]]:
    active = services.store.templates.active()
    return [
        {
            "name": name,
            "language": language,
            "version": active[(name, language)].version if (name, language) in active else 0,
        }
        for name in TEMPLATE_NAMES
        for language in services.settings.languages
    ]


@router.get("/examples")
def examples() -> list[dict[str, str]]:
    return [asdict(example) for example in EXAMPLES]


@router.get("/templates/{language}/{name}")
def get_template(language: str, name: str, services: ServicesDep) -> dict[str, Any]:
    studio = services.studio
    versions = studio.history(name, language)
    return {
        "name": name,
        "language": language,
        "variables": sorted(VARIABLES[name]),
        "active_version": versions[0].version if versions else 0,
        "body": versions[0].body if versions else studio.drafter.default_source(name, language),
        "versions": [_version(v) for v in versions]
        + [{"version": 0, "created_by": "", "comment": "default", "created_at": None}],
    }


@router.post("/templates/{language}/{name}/validate")
def validate(language: str, name: str, body: TemplateBody, services: ServicesDep) -> Any:
    return services.studio.validate(name, language, body.body).as_dict()


@router.post("/templates/{language}/{name}/preview")
def preview_template(
    language: str, name: str, body: PreviewRequest, services: ServicesDep
) -> dict[str, Any]:
    return preview(
        services.studio,
        services.assistant,
        name=name,
        language=language,
        body=body.body,
        text=body.text,
        received_at=body.received_at or datetime.now(UTC),
    )


@router.post("/templates/{language}/{name}", status_code=201)
def save(
    language: str, name: str, body: SaveRequest, services: ServicesDep, who: PrincipalDep
) -> dict[str, Any]:
    saved = services.studio.save(name, language, body.body, author=who.name, comment=body.comment)
    return _version(saved)


@router.post("/templates/{language}/{name}/rollback", status_code=201)
def rollback(
    language: str, name: str, body: RollbackRequest, services: ServicesDep, who: PrincipalDep
) -> dict[str, Any]:
    saved = services.studio.rollback(name, language, body.version, author=who.name)
    return _version(saved)


@router.get("/templates/{language}/{name}/diff")
def diff(
    language: str,
    name: str,
    services: ServicesDep,
    to: Annotated[int, Query(ge=0)],
    base: Annotated[int | None, Query(alias="from", ge=0)] = None,
) -> dict[str, Any]:
    """Lines changed from version `from` (default: the one before `to`) to version `to`."""
    studio = services.studio
    new = studio.body_of(name, language, to)
    start = base if base is not None else _previous(services, name, language, to)
    return {
        "from": start,
        "to": to,
        "lines": diff_lines(studio.body_of(name, language, start), new),
    }


def _previous(services: ServicesDep, name: str, language: str, version: int) -> int:
    if version == 0:
        raise NotFound("Version 0 is the default; it has no earlier version")
    older = [v.version for v in services.studio.history(name, language) if v.version < version]
    return max(older, default=0)


def _version(version: Any) -> dict[str, Any]:
    return {
        "name": version.name,
        "language": version.language,
        "version": version.version,
        "created_at": version.created_at.isoformat(),
        "created_by": version.created_by,
        "comment": version.comment,
    }
