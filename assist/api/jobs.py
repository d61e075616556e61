"""`GET /v1/jobs/{id}`: the state of a background import started with `?async=true`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assist.api.deps import ServicesDep
from assist.api.schemas import JobOut
from assist.errors import NotFound

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, services: ServicesDep) -> Any:
    job = services.jobs.get(job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist (jobs are kept by the replica that runs them)")
    return job
