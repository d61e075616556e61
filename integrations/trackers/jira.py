"""`JiraTracker`: our `Tracker` over Jira's REST API v2 (Cloud and Data Center).

Shapes from Atlassian's REST v2 reference (developer.atlassian.com, "Issues", "Issue
watchers", "Issue search", "Myself"):
- `POST /rest/api/2/issue` `{"fields": {project: {key}, summary, description, issuetype:
  {name}, customfield_N}}` → 201 `{"id", "key", "self"}`; 400 `{"errorMessages": [...],
  "errors": {"summary": "You must specify a summary of the issue."}}`.
- `GET /rest/api/2/issue/{key}?fields=...` → `{"key", "fields": {...}}`; 404 with
  `{"errorMessages": ["Issue does not exist or you do not have permission to see it."]}`.
- `PUT /rest/api/2/issue/{key}` `{"fields": {...}}` → 204.
- `GET /rest/api/2/issue/{key}/watchers` → `{"watchers": [{"accountId" | "name", ...}]}`;
  `POST` the same path with a bare JSON string (an account id on Cloud, a username on Data
  Center) → 204.
- `GET /rest/api/2/myself` → `{"timeZone": "Europe/Moscow", ...}`.
- Search. Jira Cloud removed `/rest/api/{2,3}/search` (changelog CHANGE-2046: deprecated
  from May 2025, answering 410 Gone since); its replacement is `GET /rest/api/{2,3}/search/jql`
  with `jql`, `fields` (only ids come back without it), `maxResults` and `nextPageToken`,
  answering `{"issues", "nextPageToken"?, "isLast"}` without a total, and it is eventually
  consistent (a just-updated issue may show up a little later; the sync's overlap covers
  that). Data Center still has only `/rest/api/2/search` with `startAt`, `maxResults` and
  `total`. `search="jql"` uses the first (v2, so descriptions stay plain text rather than
  v3's document format), `search="classic"` the second.
- JQL takes times as "yyyy/MM/dd HH:mm" — minutes, in the time zone of the searching user's
  profile — so the sync asks `myself` for that zone and works in one-minute steps.

Watchers: as for Redmine (see `redmine.py`), chat watchers live in a text custom field
(`watchers_field`, one per line) and a configured support account is added as a native
Jira watcher, once, so support is notified of changes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from assist.errors import AssistError, NotFound, TrackerUnavailable
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
API = "/rest/api/2"
WRITE_ATTEMPTS = 3  # as in redmine.py: a field write may lose to a concurrent one
SearchApi = Literal["jql", "classic"]


@dataclass(frozen=True)
class JiraConfig:
    project_key: str
    bug_issue_type: str = "Bug"
    feature_issue_type: str = "Story"
    watchers_field: str | None = None  # e.g. "customfield_10050", a multi-line text field
    support_account: str | None = None  # account id (Cloud) or username (Data Center)
    search: SearchApi = "jql"
    page_size: int = 100


class JiraTracker:
    name = "jira"

    def __init__(
        self,
        client: httpx.Client,
        config: JiraConfig,
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
        self._key = re.compile(rf"{re.escape(config.project_key)}-\d+")
        self._zone: ZoneInfo | None = None

    def owns(self, task_id: str) -> bool:
        return self._key.fullmatch(task_id) is not None

    def create_task(self, draft: TaskDraft) -> BacklogTask:
        config = self.config
        issue_type = config.feature_issue_type if draft.kind == "feature" else config.bug_issue_type
        fields: dict[str, Any] = {
            "project": {"key": config.project_key},
            "summary": draft.title,
            "description": draft.description,
            "issuetype": {"name": issue_type},
        }
        if draft.watchers:
            fields.update(self._watchers_value(draft.watchers))
        response = self.http.send("POST", f"{API}/issue", ok=(201,), json={"fields": fields})
        key = str(json_body(response, self.name)["key"])
        # The issue exists from here on: a failure below must not make the caller register
        # it again, so it is logged and the task is still returned.
        try:
            self._ensure_support_watches(key)
            found = self.get_task(key)
        except AssistError as exc:
            log.error(
                "jira issue created; reading it back failed",
                extra={"task": key, "error": exc.detail},
            )
            found = None
        return found or BacklogTask(
            id=key,
            title=draft.title,
            description=draft.description,
            kind=draft.kind,
            watchers=tuple(dict.fromkeys(draft.watchers)),
        )

    def get_task(self, task_id: str) -> BacklogTask | None:
        try:
            return self.task_of(self._issue(task_id))
        except NotFound:
            return None

    def add_watcher(self, task_id: str, watcher: str) -> BacklogTask:
        issue = self._issue(task_id)
        writes = 0
        while watcher not in (current := self._chat_watchers(issue)):
            if writes == WRITE_ATTEMPTS:
                raise TrackerUnavailable(f"jira kept losing the new watcher of {task_id}")
            writes += 1
            self.http.send(
                "PUT",
                f"{API}/issue/{task_id}",
                ok=(204,),
                retry=True,  # sets the whole value: the same write twice is one write
                json={"fields": self._watchers_value((*current, watcher))},
            )
            issue = self._issue(task_id)
        self._ensure_support_watches(task_id)
        return self.task_of(issue)

    def changes(
        self, since: datetime | None, progress: FetchProgress | None = None
    ) -> Iterator[ChangedTask]:
        """Issues of the project updated at or after `since` (all when None), oldest first."""
        return changed_since(self._page, since, step=timedelta(minutes=1), progress=progress)

    def task_of(self, issue: dict[str, Any]) -> BacklogTask:
        fields = issue.get("fields") or {}
        status = fields.get("status") or {}
        category = (status.get("statusCategory") or {}).get("key")
        return BacklogTask(
            id=str(issue["key"]),
            title=title_text(fields.get("summary"), str(issue["key"])),
            description=description_text(fields.get("description")),
            kind=self.mapping.kind((fields.get("issuetype") or {}).get("name")),
            status=self.mapping.status(status.get("name"), closed=category == "done"),
            watchers=self._chat_watchers(issue),
        )

    def _page(self, since: datetime | None, cursor: int | str | None) -> Page:
        jql = f'project = "{self.config.project_key}"'
        if since is not None:
            local = since.astimezone(self._user_zone())
            jql += f' AND updated >= "{local:%Y/%m/%d %H:%M}"'
        params: dict[str, str | int] = {
            "jql": f"{jql} ORDER BY updated ASC, key ASC",
            "fields": ",".join(self._fields()),
            "maxResults": self.config.page_size,
        }
        if self.config.search == "jql":
            if cursor is not None:
                params["nextPageToken"] = str(cursor)
            body = self._get(f"{API}/search/jql", params)
            token = body.get("nextPageToken")
            more = bool(token) and not body.get("isLast", False)
            return Page(self._changed(body), token if more else None)
        start = int(cursor or 0)
        params["startAt"] = start
        body = self._get(f"{API}/search", params)
        issues = body.get("issues", [])
        total = int(body.get("total", len(issues)))
        end = start + len(issues)
        return Page(self._changed(body), end if issues and end < total else None, total)

    def _changed(self, body: dict[str, Any]) -> list[ChangedTask]:
        return [
            ChangedTask(self.task_of(i), _time(i["fields"]["updated"]))
            for i in body.get("issues", [])
        ]

    def _user_zone(self) -> ZoneInfo:
        """The zone JQL reads our times in: the API user's profile zone, asked once."""
        if self._zone is None:
            name = self._get(f"{API}/myself", None).get("timeZone") or "UTC"
            try:
                self._zone = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("unknown jira time zone; using UTC", extra={"zone": name})
                self._zone = ZoneInfo("UTC")
        return self._zone

    def _issue(self, task_id: str) -> dict[str, Any]:
        if not self.owns(task_id):
            raise NotFound(f"backlog task {task_id} is not a Jira issue of this project")
        try:
            return self._get(f"{API}/issue/{task_id}", {"fields": ",".join(self._fields())})
        except NotFound as exc:
            raise NotFound(f"backlog task {task_id} does not exist") from exc

    def _ensure_support_watches(self, key: str) -> None:
        support = self.config.support_account
        if not support:
            return
        watchers = self._get(f"{API}/issue/{key}/watchers", None).get("watchers", [])
        if support in {w.get("accountId") or w.get("name") for w in watchers}:
            return
        path = f"{API}/issue/{key}/watchers"
        # The body is a bare JSON string; watching twice is watching once.
        self.http.send("POST", path, ok=(204,), retry=True, json=support)

    def _get(self, path: str, params: dict[str, str | int] | None) -> dict[str, Any]:
        body: dict[str, Any] = json_body(
            self.http.send("GET", path, params=params, retry=True), self.name
        )
        return body

    def _fields(self) -> list[str]:
        names = ["summary", "description", "issuetype", "status", "updated"]
        return [*names, self.config.watchers_field] if self.config.watchers_field else names

    def _chat_watchers(self, issue: dict[str, Any]) -> tuple[str, ...]:
        if not self.config.watchers_field:
            return ()
        return watchers_from_text((issue.get("fields") or {}).get(self.config.watchers_field))

    def _watchers_value(self, watchers: tuple[str, ...]) -> dict[str, str]:
        if not self.config.watchers_field:
            raise TrackerUnavailable(
                "jira has no custom field for chat watchers (ASSIST_JIRA_WATCHERS_FIELD)"
            )
        return {self.config.watchers_field: watchers_to_text(watchers)}


def _validation_errors(response: httpx.Response) -> list[dict[str, Any]]:
    """Jira's 400 body: general `errorMessages` and per-field `errors`."""
    try:
        body = response.json()
        general = [{"field": "jira", "message": str(m)} for m in body.get("errorMessages", [])]
        fields = [{"field": k, "message": str(v)} for k, v in body.get("errors", {}).items()]
    except (ValueError, AttributeError):
        return [{"field": "jira", "message": response.text or f"HTTP {response.status_code}"}]
    return general + fields


def _time(value: str) -> datetime:
    """Jira's `2026-11-26T14:56:49.123+0300`."""
    return datetime.fromisoformat(value).astimezone(UTC)
