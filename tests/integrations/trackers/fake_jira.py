"""A small Jira: the REST v2 endpoints `JiraTracker` uses, shaped as Atlassian documents them.

From the REST v2 reference (developer.atlassian.com) and Atlassian's changelog: create
answers 201 `{"id", "key", "self"}` and 400 `{"errorMessages", "errors"}`; an unknown issue
404 with "Issue does not exist or you do not have permission to see it."; watchers take a
bare JSON string. As Jira Cloud (`cloud=True`) it has `/search/jql` (token paging, no total,
`nextPageToken` left out on the last page) and answers 410 Gone on the removed `/search`;
as Data Center (`cloud=False`) it has only `/search` (`startAt`, `total`). JQL times are
read in the API user's profile time zone, to the minute; only the JQL `JiraTracker` writes
is understood, anything else is a 400 like Jira's for a query it cannot parse.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

USER, TOKEN = "bot@example.com", "jira-test-token"
ACCOUNT = "5b10a2844c20165700ede21g"  # the API user
SUPPORT = "5b10ac8d82e05b22cc7d4ef5"
WATCHERS_FIELD = "customfield_10050"
NOT_FOUND = "Issue does not exist or you do not have permission to see it."
JQL = re.compile(
    r'^project = "?(?P<project>[A-Z][A-Z0-9_]*)"?'
    r'(?: AND updated >= "(?P<since>\d{4}[/-]\d{2}[/-]\d{2} \d{2}:\d{2})")?'
    r" ORDER BY updated ASC(?:, key ASC)?$"
)
CATEGORIES = {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate"}


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeJira:
    project: str = "SUP"
    cloud: bool = True
    time_zone: str = "Europe/Moscow"
    issue_types: tuple[str, ...] = ("Bug", "Story", "Task", "Epic")
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    watchers: dict[str, list[str]] = field(default_factory=dict)
    accounts: tuple[str, ...] = (ACCOUNT, SUPPORT)
    received: list[Received] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    clock: datetime | None = None

    def now(self) -> datetime:
        return self.clock or datetime.now(UTC)

    def add_issue(
        self,
        summary: str,
        *,
        issue_type: str = "Bug",
        status: str = "To Do",
        description: str | None = None,
        chat_watchers: str | None = None,
        updated: datetime | None = None,
    ) -> str:
        key = f"{self.project}-{len(self.issues) + 1}"
        self.issues[key] = {
            "id": str(10000 + len(self.issues)),
            "summary": summary,
            "description": description,
            "issuetype": issue_type,
            "status": status,
            WATCHERS_FIELD: chat_watchers,
            "updated": updated or self.now(),
        }
        self.watchers[key] = [ACCOUNT]  # the reporter watches what they create
        return key

    def edit(self, key: str, *, at: datetime | None = None, **changes: Any) -> None:
        self.issues[key].update(changes)
        self.issues[key]["updated"] = at or self.now()

    def app(self) -> Starlette:
        api = "/rest/api/2"
        return Starlette(
            routes=[
                Route(f"{api}/myself", self._myself, methods=["GET"]),
                Route(f"{api}/search/jql", self._search_jql, methods=["GET"]),
                Route(f"{api}/search", self._search_classic, methods=["GET"]),
                Route(f"{api}/issue", self._create, methods=["POST"]),
                Route(f"{api}/issue/{{key}}", self._show, methods=["GET"]),
                Route(f"{api}/issue/{{key}}", self._update, methods=["PUT"]),
                Route(f"{api}/issue/{{key}}/watchers", self._watchers, methods=["GET", "POST"]),
            ]
        )

    def _gate(self, request: Request) -> Response | None:
        params = dict(request.query_params)
        self.received.append(Received(request.method, request.url.path, params))
        if self.fail_next:
            return Response("upstream error", self.fail_next.pop(0), media_type="text/plain")
        expected = base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") not in (f"Basic {expected}", f"Bearer {TOKEN}"):
            return Response(
                "Client must be authenticated to access this resource.",
                401,
                media_type="text/plain",
                headers={"WWW-Authenticate": 'Basic realm="protected-area"'},
            )
        return None

    async def _myself(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        return JSONResponse(
            {"accountId": ACCOUNT, "emailAddress": USER, "timeZone": self.time_zone}
        )

    async def _search_jql(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        if not self.cloud:
            return _errors(404, ["null for uri: /rest/api/2/search/jql"])
        found = self._query(request.query_params.get("jql", ""))
        if isinstance(found, Response):
            return found
        start = 0
        if token := request.query_params.get("nextPageToken"):
            try:
                start = int(base64.urlsafe_b64decode(token).decode())
            except ValueError:
                return _errors(400, ["Invalid nextPageToken."])
        size = min(int(request.query_params.get("maxResults", 50)), 100)
        page = found[start : start + size]
        body: dict[str, Any] = {
            "issues": [self._json(k, request.query_params.get("fields")) for k in page],
            "isLast": start + size >= len(found),
        }
        if not body["isLast"]:
            body["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        return JSONResponse(body)

    async def _search_classic(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        if self.cloud:
            return _errors(
                410,
                [
                    "The requested API has been removed. Please migrate to the "
                    "/rest/api/3/search/jql API."
                ],
            )
        found = self._query(request.query_params.get("jql", ""))
        if isinstance(found, Response):
            return found
        start = int(request.query_params.get("startAt", 0))
        size = min(int(request.query_params.get("maxResults", 50)), 100)
        fields = request.query_params.get("fields", "*navigable")
        return JSONResponse(
            {
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "issues": [self._json(k, fields) for k in found[start : start + size]],
            }
        )

    async def _create(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        fields = json.loads(await request.body()).get("fields", {})
        errors = {}
        if (fields.get("project") or {}).get("key") != self.project:
            errors["project"] = "valid project is required"
        if not str(fields.get("summary") or "").strip():
            errors["summary"] = "You must specify a summary of the issue."
        if (fields.get("issuetype") or {}).get("name") not in self.issue_types:
            errors["issuetype"] = "The issue type selected is invalid."
        errors.update(_unknown_fields(fields))
        if errors:
            return _errors(400, [], errors)
        key = self.add_issue(
            fields["summary"],
            issue_type=fields["issuetype"]["name"],
            description=fields.get("description"),
            chat_watchers=fields.get(WATCHERS_FIELD),
        )
        issue_id = self.issues[key]["id"]
        return JSONResponse(
            {"id": issue_id, "key": key, "self": f"{request.base_url}rest/api/2/issue/{issue_id}"},
            201,
        )

    async def _show(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        key = request.path_params["key"]
        if key not in self.issues:
            return _errors(404, [NOT_FOUND])
        return JSONResponse(self._json(key, request.query_params.get("fields", "*all")))

    async def _update(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        key = request.path_params["key"]
        if key not in self.issues:
            return _errors(404, [NOT_FOUND])
        fields = json.loads(await request.body()).get("fields", {})
        if errors := _unknown_fields(fields):
            return _errors(400, [], errors)
        self.edit(
            key,
            **{k: v for k, v in fields.items() if k in ("summary", "description", WATCHERS_FIELD)},
        )
        return Response(status_code=204)

    async def _watchers(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        key = request.path_params["key"]
        if key not in self.issues:
            return _errors(404, [NOT_FOUND])
        if request.method == "GET":
            return JSONResponse(
                {
                    "isWatching": ACCOUNT in self.watchers[key],
                    "watchCount": len(self.watchers[key]),
                    "watchers": [{"accountId": a, "active": True} for a in self.watchers[key]],
                }
            )
        account = json.loads(await request.body())
        if account not in self.accounts:
            return _errors(404, [f"The user with account ID '{account}' does not exist."])
        if account not in self.watchers[key]:
            self.watchers[key].append(account)
        return Response(status_code=204)

    def _query(self, jql: str) -> list[str] | Response:
        match = JQL.match(jql)
        if match is None:
            return _errors(400, [f"Error in the JQL Query: cannot parse {jql!r}."])
        if match["project"] != self.project:
            return _errors(
                400, [f"The value '{match['project']}' does not exist for the field 'project'."]
            )
        keys = list(self.issues)
        if match["since"]:
            local = datetime.strptime(match["since"].replace("-", "/"), "%Y/%m/%d %H:%M")
            since = local.replace(tzinfo=ZoneInfo(self.time_zone))
            keys = [k for k in keys if self.issues[k]["updated"] >= since]
        return sorted(keys, key=lambda k: (self.issues[k]["updated"], int(k.split("-")[1])))

    def _json(self, key: str, fields: str | None) -> dict[str, Any]:
        issue = self.issues[key]
        status = issue["status"]
        category = CATEGORIES.get(status, "done")
        every = {
            "summary": issue["summary"],
            "description": issue["description"],
            "issuetype": {"name": issue["issuetype"], "subtask": False},
            "status": {"name": status, "statusCategory": {"key": category}},
            "updated": _stamp(issue["updated"], self.time_zone),
            WATCHERS_FIELD: issue[WATCHERS_FIELD],
        }
        body: dict[str, Any] = {"id": issue["id"], "key": key}
        if fields in ("*all", "*navigable"):
            body["fields"] = every
        elif fields:  # without `fields`, the new search gives ids only
            body["fields"] = {k: v for k, v in every.items() if k in fields.split(",")}
        return body


def _unknown_fields(fields: dict[str, Any]) -> dict[str, str]:
    known = {"project", "summary", "description", "issuetype", WATCHERS_FIELD}
    return {
        name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
        for name in fields
        if name not in known
    }


def _stamp(moment: datetime, zone: str) -> str:
    """Jira's `2026-11-26T17:56:49.123+0300`, in the user's zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + local.strftime("%z")
    )


def _errors(status: int, messages: list[str], errors: dict[str, str] | None = None) -> Response:
    return JSONResponse({"errorMessages": messages, "errors": errors or {}}, status)
