"""POST /v1/backlog/register and /v1/backlog/{id}/watchers: the regulation's backlog actions."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Request

from assist.api.deps import ServicesDep, enforce_blocks
from assist.api.schemas import DraftOut, Ref, Strict
from assist.backlog_actions import draft_task, watchers_for
from assist.knowledge.records import BacklogTask
from assist.pipeline import draft_payload

router = APIRouter(prefix="/backlog", tags=["backlog actions"])


class RegisterRequest(Strict):
    """A new task from a user's message; title and description are drafted unless given.

    The requester (user and/or account) becomes the task's first interested party."""

    text: str
    title: str | None = None
    description: str | None = None
    kind: Literal["bug", "feature"] | None = None
    user_id: Ref | None = None
    account_id: Ref | None = None
    language: Literal["ru", "en"] = "ru"


class WatcherRequest(Strict):
    user_id: Ref | None = None
    account_id: Ref | None = None
    language: Literal["ru", "en"] = "ru"


class TaskAction(Strict):
    task: BacklogTask
    draft: DraftOut


@router.post("/register", response_model=TaskAction, status_code=201)
def register(body: RegisterRequest, request: Request, services: ServicesDep) -> TaskAction:
    enforce_blocks(request, services, account_id=body.account_id, ip=None)
    draft = draft_task(body.text, title=body.title, description=body.description)
    interested = watchers_for(body.user_id, body.account_id)
    task = services.tracker.create_task(
        replace(draft, kind=body.kind or draft.kind, watchers=interested)
    )
    reply = services.assistant.drafter.render("register", body.language, task_id=task.id)
    return TaskAction(task=task, draft=DraftOut.model_validate(draft_payload(reply)))


@router.post("/{task_id}/watchers", response_model=TaskAction)
def add_watcher(task_id: str, body: WatcherRequest, services: ServicesDep) -> TaskAction:
    tasks = [
        services.tracker.add_watcher(task_id, watcher)
        for watcher in watchers_for(body.user_id, body.account_id)
    ]
    reply = services.assistant.drafter.render("attach", body.language, task=tasks[-1])
    return TaskAction(task=tasks[-1], draft=DraftOut.model_validate(draft_payload(reply)))
