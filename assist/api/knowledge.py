"""CRUD and bulk endpoints for the FAQ and the backlog, one router factory for both."""

# No `from __future__ import annotations` here: FastAPI must see the record model
# itself, not its name, in the route signatures built inside `collection_router`.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assist.api.deps import ServicesDep, require_role
from assist.api.schemas import BulkDeleteRequest, DeleteResult, JobOut, UpsertResult
from assist.errors import InvalidInput, NotFound
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, FaqEntry, Record
from assist.knowledge.service import CollectionName

BULK_BODY = {
    "requestBody": {
        "required": True,
        "description": "A JSON list of records, or JSON Lines (application/x-ndjson).",
        "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


def collection_router(name: CollectionName, model: type[FaqEntry] | type[BacklogTask]) -> APIRouter:
    router = APIRouter(prefix=f"/{name}", tags=[name])
    # Agents read the knowledge base; changing it is for team leads.
    lead = [Depends(require_role("lead"))]

    @router.get("", response_model=list[model])  # type: ignore[valid-type]
    def list_records(
        services: ServicesDep,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Any:
        return services.knowledge.repository(name).page(offset, limit)

    @router.get("/{record_id}", response_model=model)
    def get_record(record_id: str, services: ServicesDep) -> Any:
        record = services.knowledge.repository(name).get(record_id)
        if record is None:
            raise NotFound(f"{name} record {record_id} does not exist")
        return record

    @router.put("/{record_id}", response_model=UpsertResult, dependencies=lead)
    def put_record(record_id: str, record: model, services: ServicesDep) -> Any:  # type: ignore[valid-type]
        if record.id != record_id:  # type: ignore[attr-defined]
            raise InvalidInput(
                "The id in the body differs from the id in the path",
                errors=[{"field": "id", "message": f"expected {record_id!r}"}],
            )
        return services.knowledge.upsert(name, [record])

    @router.delete("/{record_id}", status_code=204, dependencies=lead)
    def delete_record(record_id: str, services: ServicesDep) -> Response:
        report = services.knowledge.delete(name, [record_id])
        if report.missing:
            raise NotFound(f"{name} record {record_id} does not exist")
        return Response(status_code=204)

    @router.post(
        "/bulk",
        response_model=UpsertResult,
        openapi_extra=BULK_BODY,
        dependencies=lead,
        responses={202: {"model": JobOut, "description": "With `async=true`: the job started"}},
    )
    async def bulk_upsert(
        request: Request,
        services: ServicesDep,
        run_async: Annotated[
            bool,
            Query(
                alias="async",
                description="Validate now, embed in the background: 202 with a job to poll "
                "at `GET /v1/jobs/{id}` (its `Location`).",
            ),
        ] = False,
    ) -> Any:
        records: list[Record] = list(parse_records(await request.body(), model))
        if not records:
            raise InvalidInput("The body holds no records")
        if run_async:
            job = services.jobs.submit(name, records)
            body = JobOut.model_validate(job, from_attributes=True).model_dump(mode="json")
            return JSONResponse(body, status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})
        # A sync route body would block the event loop for the whole embedding.
        return await run_in_threadpool(services.knowledge.upsert, name, records)

    @router.post("/bulk-delete", response_model=DeleteResult, dependencies=lead)
    def bulk_delete(body: BulkDeleteRequest, services: ServicesDep) -> Any:
        return services.knowledge.delete(name, body.ids)

    return router
