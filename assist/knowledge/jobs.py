"""Background imports: a bulk upsert that returns at once and reports how far it got.

A 100,000-task import embeds for many minutes on 2 cores, longer than any HTTP client
should hold a request open. A job runs the same `KnowledgeBase.upsert` in one worker
thread (writes are serialised by the knowledge base anyway) and counts the passages
embedded so far. Jobs live in the process that runs them: behind a load balancer, poll
the replica that answered the 202 (its `Location`), and a restart forgets them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from assist.errors import AssistError
from assist.knowledge.records import Record
from assist.knowledge.service import CollectionName, KnowledgeBase

log = logging.getLogger(__name__)
JobState = Literal["queued", "running", "done", "failed"]
KEEP_FINISHED = 100


@dataclass(frozen=True)
class Job:
    id: str
    collection: str
    records: int
    state: JobState = "queued"
    done: int = 0  # passages embedded so far
    total: int = 0  # passages to embed (known once embedding starts)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    result: dict[str, list[str]] | None = None  # created / updated / unchanged ids
    error: dict[str, Any] | None = None  # problem details, as the API renders errors


class ImportJobs:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._knowledge = knowledge
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assist-import")

    def submit(self, name: CollectionName, records: Sequence[Record]) -> Job:
        job = Job(id=str(uuid.uuid4()), collection=name, records=len(records))
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._worker.submit(self._run, job.id, name, list(records))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _run(self, job_id: str, name: CollectionName, records: list[Record]) -> None:
        self._update(job_id, state="running")
        try:
            report = self._knowledge.upsert(
                name,
                records,
                progress=lambda done, total: self._update(job_id, done=done, total=total),
            )
        except AssistError as exc:
            self._finish(
                job_id, error=_problem(exc.status, exc.slug, exc.title, exc.detail, exc.errors)
            )
        except Exception as exc:
            log.exception("import job failed", extra={"job": job_id})
            self._finish(job_id, error=_problem(500, "internal-error", "Internal error", str(exc)))
        else:
            self._finish(job_id, result=asdict(report))

    def _finish(self, job_id: str, **outcome: Any) -> None:
        state: JobState = "failed" if outcome.get("error") else "done"
        self._update(job_id, state=state, finished_at=datetime.now(UTC), **outcome)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.finished_at is not None]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job_id]


def _problem(
    status: int, slug: str, title: str, detail: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": f"/problems/{slug}", "title": title, "status": status}
    body["detail"] = detail
    if errors:
        body["errors"] = errors
    return body
