"""A small Redmine: the REST endpoints `RedmineTracker` uses, shaped as Redmine 5 answers.

Built from redmine.org's Rest_api / Rest_Issues pages and checked against a real Redmine
5.0.4 (Debian's package): bodies, status codes, the 401 without a body and with
`WWW-Authenticate`, 404 with an empty body, 422 `{"errors": [...]}`, 403 from the watchers
endpoint for an unknown issue, a time filter that reads `>=T` as `> T - 1 s` and refuses a
numeric zone offset, `limit` capped at 100, open issues only unless `status_id=*`, an
unknown tracker id falling back to the project's first tracker, custom fields the project
does not use ignored silently, and the author watching what they create. The project here
is private: every request needs the key (Redmine lets anonymous users read public ones).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

KEY = "redmine-test-key"
WATCHERS_FIELD = 7
SUPPORT_USER = 5
# Redmine's own check of a date filter value (app/models/query.rb).
TIME_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}((:)?\d{2}){0,2}(Z|\d{2}:?\d{2})?)?$")


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeRedmine:
    project_id: int = 1
    identifier: str = "connect"
    trackers: dict[int, str] = field(default_factory=lambda: {1: "Bug", 2: "Feature", 3: "Support"})
    statuses: dict[int, tuple[str, bool]] = field(
        default_factory=lambda: {
            1: ("New", False),
            2: ("In Progress", False),
            3: ("Resolved", True),
            5: ("Closed", True),
            6: ("Rejected", True),
            7: ("Ждет релиза", False),
            8: ("Archived", True),
        }
    )
    users: dict[int, str] = field(default_factory=lambda: {1: "API user", SUPPORT_USER: "Support"})
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    watchers: dict[int, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # statuses to answer next, in turn
    clock: datetime | None = None  # None: the real time
    after_list: list[Any] = field(default_factory=list)  # called after each list answer

    def now(self) -> datetime:
        return (self.clock or datetime.now(UTC)).replace(microsecond=0)

    def add_issue(
        self,
        subject: str,
        *,
        tracker_id: int = 1,
        status_id: int = 1,
        description: str | None = None,
        chat_watchers: str | None = None,
        updated_on: datetime | None = None,
    ) -> int:
        number = max(self.issues, default=0) + 1
        moment = (updated_on or self.now()).replace(microsecond=0)
        self.issues[number] = {
            "subject": subject,
            "description": description,
            "tracker_id": tracker_id,
            "status_id": status_id,
            "custom": {WATCHERS_FIELD: chat_watchers},
            "created_on": moment,
            "updated_on": moment,
        }
        self.watchers[number] = [1]
        return number

    def edit(self, number: int, *, at: datetime | None = None, **changes: Any) -> None:
        self.issues[number].update(changes)
        self.issues[number]["updated_on"] = (at or self.now()).replace(microsecond=0)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/issues.json", self._list, methods=["GET"]),
                Route("/issues.json", self._create, methods=["POST"]),
                Route("/issues/{number:int}.json", self._show, methods=["GET"]),
                Route("/issues/{number:int}.json", self._update, methods=["PUT"]),
                Route("/issues/{number:int}/watchers.json", self._watch, methods=["POST"]),
            ]
        )

    # Every handler starts here: record, fail on demand, check the key.
    def _gate(self, request: Request) -> Response | None:
        params = dict(request.query_params)
        self.received.append(Received(request.method, request.url.path, params))
        if self.fail_next:
            return Response(
                "<html>Bad gateway</html>", self.fail_next.pop(0), media_type="text/html"
            )
        key = request.headers.get("X-Redmine-API-Key") or params.get("key")
        if key != KEY:
            return Response(
                b"",
                401,
                media_type="application/json",
                headers={"WWW-Authenticate": 'Basic realm="Redmine API"'},
            )
        return None

    async def _list(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        params = request.query_params
        if params.get("project_id", str(self.project_id)) not in (
            str(self.project_id),
            self.identifier,
        ):
            return _empty(404)
        found = [n for n in self.issues if self._status_matches(n, params.get("status_id", "open"))]
        if "updated_on" in params:
            keep = _time_filter(params["updated_on"])
            if keep is None:
                return JSONResponse({"errors": ["Updated is invalid"]}, 422)
            found = [n for n in found if keep(self.issues[n]["updated_on"])]
        for column, descending in reversed(_sort(params.get("sort", "id:desc"))):
            found.sort(key=lambda n, c=column: self._column(n, c), reverse=descending)
        offset = max(int(params.get("offset", 0)), 0)
        limit = min(max(int(params.get("limit", 25)), 1), 100)
        page = [self._json(n) for n in found[offset : offset + limit]]
        for hook in self.after_list:
            hook()
        return JSONResponse(
            {"issues": page, "total_count": len(found), "offset": offset, "limit": limit}
        )

    async def _show(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        number = request.path_params["number"]
        if number not in self.issues:
            return _empty(404)
        issue = self._json(number)
        if "watchers" in request.query_params.get("include", "").split(","):
            issue["watchers"] = [{"id": u, "name": self.users[u]} for u in self.watchers[number]]
        return JSONResponse({"issue": issue})

    async def _create(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        try:
            fields = json.loads(await request.body())["issue"]
        except (ValueError, KeyError, TypeError):
            return _empty(400)
        if str(fields.get("project_id")) not in (str(self.project_id), self.identifier):
            return JSONResponse(
                {"errors": ["Project cannot be blank", "Tracker cannot be blank"]}, 422
            )
        if not str(fields.get("subject") or "").strip():
            return JSONResponse({"errors": ["Subject cannot be blank"]}, 422)
        tracker = fields.get("tracker_id")
        number = self.add_issue(
            fields["subject"],
            tracker_id=tracker if tracker in self.trackers else min(self.trackers),
            description=fields.get("description"),
        )
        self._set_custom(number, fields.get("custom_fields", []))
        for user in fields.get("watcher_user_ids", []):
            if user in self.users and user not in self.watchers[number]:
                self.watchers[number].append(user)
        return JSONResponse(
            {"issue": self._json(number)},
            201,
            headers={"Location": f"{request.base_url}issues/{number}"},
        )

    async def _update(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        number = request.path_params["number"]
        if number not in self.issues:
            return _empty(404)
        fields = json.loads(await request.body()).get("issue", {})
        if "subject" in fields and not str(fields["subject"]).strip():
            return JSONResponse({"errors": ["Subject cannot be blank"]}, 422)
        changes = {k: fields[k] for k in ("subject", "description", "status_id") if k in fields}
        self.edit(number, **changes)
        self._set_custom(number, fields.get("custom_fields", []))
        return _empty(204)

    async def _watch(self, request: Request) -> Response:
        if (refused := self._gate(request)) is not None:
            return refused
        number = request.path_params["number"]
        if number not in self.issues:
            return _empty(403)  # what Redmine 5.0 answers: no issue, so no project to allow
        user = json.loads(await request.body()).get("user_id")
        if user in self.users and user not in self.watchers[number]:
            self.watchers[number].append(user)
        return _empty(204)

    def _set_custom(self, number: int, values: list[dict[str, Any]]) -> None:
        for item in values:
            if item.get("id") in self.issues[number]["custom"]:  # others: ignored, as Redmine
                self.issues[number]["custom"][item["id"]] = item.get("value")

    def _status_matches(self, number: int, wanted: str) -> bool:
        closed = self.statuses[self.issues[number]["status_id"]][1]
        if wanted == "*":
            return True
        if wanted in ("open", "closed"):
            return closed == (wanted == "closed")
        return str(self.issues[number]["status_id"]) in wanted.split(",")

    def _column(self, number: int, column: str) -> Any:
        return number if column == "id" else self.issues[number][column]

    def _json(self, number: int) -> dict[str, Any]:
        issue = self.issues[number]
        status_name, closed = self.statuses[issue["status_id"]]
        return {
            "id": number,
            "project": {"id": self.project_id, "name": "Connect"},
            "tracker": {"id": issue["tracker_id"], "name": self.trackers[issue["tracker_id"]]},
            "status": {"id": issue["status_id"], "name": status_name, "is_closed": closed},
            "priority": {"id": 2, "name": "Normal"},
            "author": {"id": 1, "name": self.users[1]},
            "subject": issue["subject"],
            "description": issue["description"],
            "start_date": issue["created_on"].date().isoformat(),
            "done_ratio": 0,
            "is_private": False,
            "custom_fields": [
                {
                    "id": WATCHERS_FIELD,
                    "name": "Chat watchers",
                    "value": issue["custom"][WATCHERS_FIELD],
                }
            ],
            "created_on": _stamp(issue["created_on"]),
            "updated_on": _stamp(issue["updated_on"]),
            "closed_on": None,
        }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty(status: int) -> Response:
    return Response(b"", status, media_type="application/json")


def _sort(value: str) -> list[tuple[str, bool]]:
    columns = []
    for part in value.split(","):
        name, _, direction = part.partition(":")
        if name in ("id", "updated_on", "created_on"):
            columns.append((name, direction == "desc"))
    return columns or [("id", True)]


def _time_filter(value: str) -> Any:
    """`>=`, `<=` and `><` with dates or UTC times, as Redmine reads them; None if invalid."""
    for operator in ("><", ">=", "<="):
        if value.startswith(operator):
            bounds = value[len(operator) :].split("|")
            break
    else:
        return None
    if not all(TIME_VALUE.match(b) for b in bounds):
        return None
    moments = [_moment(b) for b in bounds]
    low = moments[0] if operator in (">=", "><") else None
    high = moments[-1] if operator in ("<=", "><") else None
    return lambda t: (low is None or t > low[0]) and (high is None or t <= high[1])


def _moment(value: str) -> tuple[datetime, datetime]:
    """(exclusive low, inclusive high) of one filter value: a time counts from a second
    before it, a date covers its whole day."""
    if "T" in value:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return at - timedelta(seconds=1), at
    day = date.fromisoformat(value)
    start = datetime.combine(day, time(), UTC)
    return start - timedelta(microseconds=1), start + timedelta(days=1) - timedelta(seconds=1)
