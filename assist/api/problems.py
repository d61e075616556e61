"""The one place where errors become RFC 9457 `application/problem+json` responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assist import request_ids
from assist.errors import AssistError, field_errors

log = logging.getLogger(__name__)
PROBLEM_TYPE = "application/problem+json"


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def problem_for(exc: AssistError, instance: str) -> JSONResponse:
    return problem(exc.status, exc.slug, exc.title, exc.detail, instance, exc.errors)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(AssistError)
    async def assist_error(request: Request, exc: AssistError) -> JSONResponse:
        if exc.status == 500:
            log.error("request failed", extra={"path": request.url.path, "detail": exc.detail})
        return problem_for(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            "The request body is invalid",
            request.url.path,
            field_errors(exc.errors()),
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return problem(
            exc.status_code,
            slug,
            title,
            str(exc.detail),
            request.url.path,
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", extra={"path": request.url.path})
        response = problem(
            500,
            "internal-error",
            "Internal error",
            "An unexpected error occurred; it is logged under the request id.",
            request.url.path,
        )
        # Starlette answers this one outside our middleware: add the id here.
        request_id = request_ids.current.get()
        if request_id is not None:
            response.headers[request_ids.HEADER] = request_id
        return response
