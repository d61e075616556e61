"""`RedmineTracker`: our `Tracker` over Redmine's REST API (JSON).

Shapes follow redmine.org's wiki pages Rest_api and Rest_Issues (Redmine 5), checked
against a real Redmine 5.0.4 (Debian bookworm's package):
- `GET /issues.json?project_id=&status_id=*&updated_on=>=<UTC time>Z&sort=updated_on,id
  &offset=&limit=` → `{"issues": [...], "total_count", "offset", "limit"}`; `limit` is capped
  at 100; `status_id=*` includes closed issues (the default is open ones only).
- `GET /issues/<id>.json?include=watchers` → `{"issue": {..., "watchers": [{"id", "name"}]}}`,
  404 with an empty body for an unknown issue.
- `POST /issues.json` `{"issue": {project_id, tracker_id, subject, description,
  custom_fields: [{id, value}], watcher_user_ids}}` → 201 `{"issue": {...}}`; 422
  `{"errors": ["Subject cannot be blank", ...]}`.
- `PUT /issues/<id>.json` `{"issue": {custom_fields: [...]}}` → 204 (422 as above).
- `POST /issues/<id>/watchers.json` `{"user_id": N}` → 204, also when N already watches.
- A wrong API key answers 401 (`WWW-Authenticate: Basic realm="Redmine API"`, no body).

Watchers. Ours are people in the chat (`user:<uuid>`, `account:<id>`), not Redmine users,
so they cannot be Redmine watchers. They live in a text custom field of the issue, one per
line in the order added (`watchers_field_id`), which `get_task` reads back and the backlog
sync copies. Support hears about changes the Redmine way: when `support_user_id` is set,
that Redmine user becomes a native watcher of every issue we create (`watcher_user_ids` in
the same POST) or attach a chat user to (the watchers endpoint, only when not watching).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from assist.errors import NotFound, TrackerUnavailable
from assist.knowledge.records import BacklogTask
from integrations.trackers.base import TaskDraft
from integrations.trackers.http import TrackerHttp, json_body
from integrations.trackers.mapping import (
    TaskMapping,
    description_text,
    title_text,
    watchers_from_text,
    watchers_to_text,
)
from integrations.trackers.paging import ChangedTask, FetchProgress, Page, changed_since

log = logging.getLogger(__name__)
PAGE_LIMIT = 100  # Redmine's largest page
# A field write can lose to another writer (Redmine's API has no conditional update):
# write, read back, and write again while our watcher is missing.
WRITE_ATTEMPTS = 3


@dataclass(frozen=True)
class RedmineConfig:
    project: str  # numeric id or identifier
    bug_tracker_id: int = 1  # Redmine's default data: 1 Bug, 2 Feature, 3 Support
    feature_tracker_id: int = 2
    prefix: str = "RM-"
    watchers_field_id: int | None = None
    support_user_id: int | None = None
    page_size: int = PAGE_LIMIT


class RedmineTracker:
    name = "redmine"

    def __init__(
        self,
        client: httpx.Client,
        config: RedmineConfig,
        mapping: TaskMapping | None = None,
        *,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        self.config = config
        self.mapping = mapping or TaskMapping()
        self.http = TrackerHttp(
            client, self.name, _validation_errors, retries=retries, backoff=backoff
        )
        self._number = re.compile(rf"{re.escape(config.prefix)}(\d+)")

    def owns(self, task_id: str) -> bool:
        return self._number.fullmatch(task_id) is not None

    def create_task(self, draft: TaskDraft) -> BacklogTask:
        issue: dict[str, Any] = {
            "project_id": self.config.project,
            "tracker_id": self._tracker_id(draft),
            "subject": draft.title,
            "description": draft.description,
        }
        if draft.watchers:
            issue["custom_fields"] = [self._watchers_value(draft.watchers)]
        if self.config.support_user_id is not None:
            issue["watcher_user_ids"] = [self.config.support_user_id]
        response = self.http.send("POST", "/issues.json", ok=(201,), json={"issue": issue})
        created = json_body(response, self.name)["issue"]
        task = self.task_of(created)
        if task.watchers != tuple(dict.fromkeys(draft.watchers)):
            # Redmine ignores a custom field the project or tracker does not use, silently.
            log.error(
                "redmine did not keep the chat watchers; check the custom field",
                extra={"task": task.id, "field": self.config.watchers_field_id},
            )
        if created.get("tracker", {}).get("id") != issue["tracker_id"]:
            # An unknown tracker id falls back to the project's first tracker.
            log.warning(
                "redmine used another tracker than asked",
                extra={"task": task.id, "asked": issue["tracker_id"]},
            )
        return task

    def get_task(self, task_id: str) -> BacklogTask | None:
        try:
            return self.task_of(self._issue(task_id))
        except NotFound:
            return None

    def add_watcher(self, task_id: str, watcher: str) -> BacklogTask:
        issue = self._issue(task_id, watchers=True)
        writes = 0
        while watcher not in (current := self._chat_watchers(issue)):
            if writes == WRITE_ATTEMPTS:
                raise TrackerUnavailable(f"redmine kept losing the new watcher of {task_id}")
            writes += 1
            self.http.send(
                "PUT",
                self._path(task_id),
                ok=(204,),
                retry=True,  # sets the whole value: the same write twice is one write
                json={"issue": {"custom_fields": [self._watchers_value((*current, watcher))]}},
            )
            issue = self._issue(task_id, watchers=True)
        self._ensure_support_watches(task_id, issue)
        return self.task_of(issue)

    def changes(
        self, since: datetime | None, progress: FetchProgress | None = None
    ) -> Iterator[ChangedTask]:
        """Issues of the project updated at or after `since` (all when None), oldest first."""
        # Redmine's `>=` on a time compares `updated_on > since - 1 s`: a one-second step.
        return changed_since(self._page, since, step=timedelta(seconds=1), progress=progress)

    def task_of(self, issue: dict[str, Any]) -> BacklogTask:
        status = issue.get("status") or {}
        return BacklogTask(
            id=f"{self.config.prefix}{issue['id']}",
            title=title_text(issue.get("subject"), f"#{issue['id']}"),
            description=description_text(issue.get("description")),
            kind=self.mapping.kind((issue.get("tracker") or {}).get("name")),
            status=self.mapping.status(status.get("name"), closed=bool(status.get("is_closed"))),
            watchers=self._chat_watchers(issue),
        )

    def _page(self, since: datetime | None, offset: int | str | None) -> Page:
        start = int(offset or 0)
        params: dict[str, str | int] = {
            "project_id": self.config.project,
            "status_id": "*",
            "sort": "updated_on,id",
            "offset": start,
            "limit": min(self.config.page_size, PAGE_LIMIT),
        }
        if since is not None:
            # Redmine's filter takes `Z` but no numeric offset: always send UTC.
            params["updated_on"] = f">={since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
        body = json_body(
            self.http.send("GET", "/issues.json", params=params, retry=True), self.name
        )
        issues = body.get("issues", [])
        total = int(body.get("total_count", len(issues)))
        end = start + len(issues)
        return Page(
            tasks=[ChangedTask(self.task_of(i), _time(i["updated_on"])) for i in issues],
            next=end if issues and end < total else None,
            total=total,
        )

    def _issue(self, task_id: str, *, watchers: bool = False) -> dict[str, Any]:
        if not self.owns(task_id):
            raise NotFound(f"backlog task {task_id} is not a Redmine issue")
        params = {"include": "watchers"} if watchers else None
        try:
            response = self.http.send("GET", self._path(task_id), params=params, retry=True)
        except NotFound as exc:
            raise NotFound(f"backlog task {task_id} does not exist") from exc
        issue: dict[str, Any] = json_body(response, self.name)["issue"]
        return issue

    def _ensure_support_watches(self, task_id: str, issue: dict[str, Any]) -> None:
        support = self.config.support_user_id
        if support is None or support in {w.get("id") for w in issue.get("watchers", [])}:
            return
        self.http.send(
            "POST",
            f"{self._path(task_id).removesuffix('.json')}/watchers.json",
            ok=(204,),
            retry=True,  # watching twice is watching once
            json={"user_id": support},
        )

    def _chat_watchers(self, issue: dict[str, Any]) -> tuple[str, ...]:
        for item in issue.get("custom_fields", []):
            if item.get("id") == self.config.watchers_field_id:
                return watchers_from_text(item.get("value"))
        return ()

    def _watchers_value(self, watchers: tuple[str, ...]) -> dict[str, Any]:
        if self.config.watchers_field_id is None:
            raise TrackerUnavailable(
                "redmine has no custom field for chat watchers (ASSIST_REDMINE_WATCHERS_FIELD_ID)"
            )
        return {"id": self.config.watchers_field_id, "value": watchers_to_text(watchers)}

    def _tracker_id(self, draft: TaskDraft) -> int:
        if draft.kind == "feature":
            return self.config.feature_tracker_id
        return self.config.bug_tracker_id

    def _path(self, task_id: str) -> str:
        return f"/issues/{task_id.removeprefix(self.config.prefix)}.json"


def _validation_errors(response: httpx.Response) -> list[dict[str, Any]]:
    """Redmine's 422 body: `{"errors": ["Subject cannot be blank", ...]}`."""
    try:
        messages = response.json().get("errors", [])
    except (ValueError, AttributeError):
        messages = [response.text or f"HTTP {response.status_code}"]
    return [{"field": "redmine", "message": str(m)} for m in messages]


def _time(value: str) -> datetime:
    """Redmine's `2026-11-26T14:56:49Z`."""
    return datetime.fromisoformat(value).astimezone(UTC)
