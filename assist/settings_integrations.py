"""Settings of the integrations (1C-Connect lines, helpdesk webhooks, backlog trackers),
one mixin each; `assist.settings.Settings` combines them with the core settings.
"""

from __future__ import annotations

from typing import Literal, Self
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, Field, field_validator, model_validator

# Ids of the built-in tracker's tasks; no remote tracker may claim them.
BUILTIN_TASK_PREFIX = "CONNECT-"
# The outbox keeps each URL in a unique index, whose entries PostgreSQL limits in size.
MAX_WEBHOOK_URL = 1000


class ConnectSettings(BaseModel):
    connect_api_url: str = Field(
        "https://push.1c-connect.com",
        description="Base URL of the 1C-Connect line API (the part before `/v1/`).",
    )
    connect_login: str = Field("", description="1C-Connect partner login for the line API.")
    connect_password: str = Field("", description="1C-Connect partner password for the line API.")
    connect_line_ids: list[UUID] = Field(
        default_factory=list,
        description="1C-Connect lines served (JSON list of ids): events of other lines are "
        "refused, and `register-hook` subscribes these. Empty: events of any line are taken.",
    )
    connect_hook_url: str = Field(
        "",
        description="Public URL where 1C-Connect reaches this sidecar's hook, e.g. "
        "`https://assist.example.com/hooks/connect` (used by `register-hook`).",
    )
    connect_hook_token: str = Field(
        "",
        description="Secret 1C-Connect sends back as `Authorization: Bearer …` with every "
        "event (`back_auth` of its hook). Empty: the hook endpoint refuses every event.",
    )
    connect_managers_line_id: UUID | None = Field(
        None, description="The managers' line that business-scenario questions are handed to."
    )
    connect_auto_off_hours_notice: bool = Field(
        False,
        description="Default of the leads' switch: send the off-hours draft to a user who "
        "writes off hours (at most once per `ASSIST_CONNECT_NOTICE_QUIET_HOURS`).",
    )
    connect_auto_ban_notice: bool = Field(
        False,
        description="Default of the leads' switch: send the ban draft (`conduct_end`) once "
        "to a banned user who writes.",
    )
    connect_auto_transfer_business: bool = Field(
        False,
        description="Default of the leads' switch: hand business-scenario questions to "
        "`ASSIST_CONNECT_MANAGERS_LINE_ID`.",
    )
    connect_notice_quiet_hours: float = Field(
        12.0, gt=0, description="Hours after an off-hours notice before a user gets another."
    )
    connect_event_kinds: dict[int, Literal["rating", "off_hours"]] = Field(
        default_factory=dict,
        description="Event type codes your 1C-Connect sends beyond the documented ones (the "
        "public API shows none for these), as a JSON object code → `rating` (its 1–5 score "
        'in `data`, recorded as CSAT) or `off_hours`, e.g. `{"95": "rating"}`. Events '
        "of other unknown types are recorded as `other`.",
    )
    connect_rating_field: str = Field(
        "rating", description="Field of a rating event's `data` that holds the 1–5 score."
    )
    connect_timeout_seconds: float = Field(
        10.0, gt=0, description="Timeout of one request to the 1C-Connect API."
    )
    connect_max_attempts: int = Field(
        4, ge=1, description="Tries of one 1C-Connect request (429 and 503 are retried)."
    )
    connect_requests_per_second: float = Field(
        5.0, gt=0, description="Most requests a second this process sends to 1C-Connect."
    )


class HelpdeskSettings(BaseModel):
    helpdesk_webhook_urls: list[str] = Field(
        default_factory=list,
        description="Helpdesk URLs (JSON list, http or https) that each get a signed "
        "`suggestion.ready` event for every suggestion; empty means nothing is sent and the "
        "delivery worker stays idle.",
    )
    helpdesk_webhook_secrets: list[str] = Field(
        default_factory=list,
        description="Secrets (JSON list) for the HMAC-SHA256 signature of outbound events: "
        "the first signs; keep the old one in the list while helpdesks switch. Needed when "
        "`ASSIST_HELPDESK_WEBHOOK_URLS` is set.",
    )
    helpdesk_inbound_secrets: list[str] = Field(
        default_factory=list,
        description="Secrets (JSON list) accepted on signed messages posted to "
        "`/hooks/helpdesk/messages` (a signature by any one of them passes); empty means "
        "that endpoint refuses everything with 401.",
    )
    helpdesk_webhook_max_attempts: int = Field(
        10,
        ge=1,
        description="Attempts per outbound event and URL before it becomes a dead letter "
        "(`assist webhooks replay` sends it again).",
    )
    helpdesk_webhook_backoff_seconds: float = Field(
        2.0,
        gt=0,
        description="Wait after the first failed attempt; each further failure doubles it, "
        "up to the cap, and a random part of up to half is taken off so that retries spread.",
    )
    helpdesk_webhook_backoff_cap_seconds: float = Field(
        600.0, gt=0, description="Longest wait between two attempts of one outbound event."
    )
    helpdesk_webhook_timeout_seconds: float = Field(
        5.0,
        gt=0,
        description="Timeout of one outbound POST (to connect, and between bytes); a slow "
        "helpdesk URL holds up only its own events.",
    )
    helpdesk_webhook_poll_seconds: float = Field(
        2.0,
        gt=0,
        description="How often the delivery worker looks for due events (retries, events "
        "other replicas made); an event made in this process wakes it at once.",
    )
    helpdesk_timestamp_tolerance_seconds: int = Field(
        300,
        ge=1,
        description="A signed inbound message whose `X-Assist-Timestamp` is further than this "
        "from our clock, either way, is refused as stale (replay protection).",
    )

    @field_validator("helpdesk_webhook_urls")
    @classmethod
    def _webhook_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            try:
                parts = urlsplit(url)
                parts.port  # noqa: B018 -- raises on a port that is not one
            except ValueError as exc:
                raise ValueError(f"{url!r} is not a URL: {exc}") from exc
            usable = parts.scheme in {"http", "https"} and parts.hostname
            if not usable or len(url) > MAX_WEBHOOK_URL:
                raise ValueError(f"not an http(s) URL of at most {MAX_WEBHOOK_URL} characters")
        return urls

    @field_validator("helpdesk_webhook_secrets", "helpdesk_inbound_secrets")
    @classmethod
    def _secrets(cls, secrets: list[str]) -> list[str]:
        if any(not secret.strip() for secret in secrets):
            raise ValueError("a secret must not be empty")
        return secrets

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> Self:
        if self.helpdesk_webhook_urls and not self.helpdesk_webhook_secrets:
            raise ValueError("ASSIST_HELPDESK_WEBHOOK_URLS needs ASSIST_HELPDESK_WEBHOOK_SECRETS")
        return self


class TrackerSettings(BaseModel):
    tracker: Literal["builtin", "redmine", "jira"] = Field(
        "builtin",
        description="Where tasks registered from the panel and the API are created: `builtin` "
        "(our own backlog, numbered `CONNECT-<n>`), `redmine` or `jira` (created there and "
        "copied into our backlog at once). Tasks whose ids the tracker does not own stay "
        "with the built-in one.",
    )
    tracker_timeout_seconds: float = Field(
        10.0, gt=0, description="How long one request to Redmine or Jira may take, in seconds."
    )
    tracker_retries: int = Field(
        2,
        ge=0,
        le=5,
        description="Further attempts, with backoff, of a Redmine or Jira request that is safe "
        "to repeat (reads, setting a field, adding a watcher) after a 5xx, a 429 or a lost "
        "connection. Creating an issue is never repeated: it could register it twice.",
    )
    tracker_sync_overlap_seconds: float = Field(
        300.0,
        ge=0,
        description="`assist import backlog --from` asks for issues updated since the last "
        "sync minus this much, so an issue saved late or in the same second (minute, for "
        "Jira) is not missed; unchanged tasks read again are not rewritten.",
    )
    tracker_kinds: dict[str, Literal["bug", "feature"]] = Field(
        default_factory=dict,
        description="More tracker / issue type names (JSON object, any case) → `bug` or "
        "`feature`, over the defaults: Bug, Ошибка → bug; Feature, New Feature, Story, "
        "Improvement, Task, Предложение → feature. Other types are taken as bugs.",
    )
    tracker_statuses: dict[str, Literal["open", "in_progress", "done", "rejected"]] = Field(
        default_factory=dict,
        description="More status names (JSON object, any case) → `open`, `in_progress`, "
        "`done` or `rejected`, over the defaults: New, Новая, To Do, Open → open; In "
        "Progress, В работе → in_progress; Resolved, Closed, Done, Решена, Закрыта → done; "
        "Rejected, Won't Do, Отклонена → rejected. Another status is `done` when the tracker "
        "counts it as closed (Redmine), in the Done category (Jira), else `open`.",
    )
    redmine_url: str | None = Field(
        None, description="Redmine's base URL, e.g. `https://redmine.example.com`."
    )
    redmine_api_key: str | None = Field(
        None,
        description="API key of the Redmine user the sidecar acts as (My account → API access "
        "key; the REST API must be enabled in Administration → Settings → API).",
    )
    redmine_project: str = Field(
        "", description="Redmine project (identifier or numeric id) whose issues are the backlog."
    )
    redmine_bug_tracker_id: int = Field(
        1, description="Redmine tracker id for new bugs (1 is Bug in Redmine's default data)."
    )
    redmine_feature_tracker_id: int = Field(
        2, description="Redmine tracker id for new wishes (2 is Feature in the default data)."
    )
    redmine_task_prefix: str = Field(
        "RM-", description="Our backlog id of Redmine issue N is this prefix and N (`RM-1234`)."
    )
    redmine_watchers_field_id: int | None = Field(
        None,
        description="Id of the Redmine issue custom field (format Long text, enabled for the "
        "project and its trackers) that keeps the chat users and accounts interested in an "
        "issue, one per line. Needed with `ASSIST_TRACKER=redmine`.",
    )
    redmine_support_user_id: int | None = Field(
        None,
        description="Redmine user (id) added as a watcher of every issue support creates or "
        "attaches someone to, so support is notified of its changes; empty adds none.",
    )
    jira_url: str | None = Field(
        None, description="Jira's base URL, e.g. `https://example.atlassian.net`."
    )
    jira_user: str | None = Field(
        None,
        description="Jira Cloud: the account's e-mail, sent with `ASSIST_JIRA_TOKEN` (an API "
        "token) as HTTP Basic. Empty: the token is a Data Center personal access token, sent "
        "as `Authorization: Bearer`.",
    )
    jira_token: str | None = Field(None, description="Jira API token or personal access token.")
    jira_project_key: str = Field(
        "",
        description="Key of the Jira project whose issues are the backlog (`SUP`; not "
        "`CONNECT`, whose ids `CONNECT-<n>` are the built-in tracker's).",
    )
    jira_bug_issue_type: str = Field("Bug", description="Jira issue type name for new bugs.")
    jira_feature_issue_type: str = Field(
        "Story", description="Jira issue type name for new wishes (`Story`, `New Feature`, …)."
    )
    jira_watchers_field: str | None = Field(
        None,
        description="Jira custom field (`customfield_10050`, a multi-line text field on the "
        "project's create and edit screens) that keeps the chat users and accounts "
        "interested in an issue, one per line. Needed with `ASSIST_TRACKER=jira`.",
    )
    jira_support_account: str | None = Field(
        None,
        description="Jira user added as a watcher of every issue support creates or attaches "
        "someone to (account id on Cloud, username on Data Center); empty adds none.",
    )
    jira_search: Literal["jql", "classic"] = Field(
        "jql",
        description="Search endpoint: `jql` is `/rest/api/2/search/jql` (Jira Cloud, which "
        "removed the old one in 2025), `classic` is `/rest/api/2/search` (Data Center).",
    )

    @model_validator(mode="after")
    def _ids_are_not_builtin(self) -> Self:
        """A remote tracker's ids must not look like built-in ones: it would take over (and
        a full sync would delete) the built-in tasks."""
        for name, prefix in (
            ("jira_project_key", f"{self.jira_project_key}-"),
            ("redmine_task_prefix", self.redmine_task_prefix),
        ):
            if prefix.upper() == BUILTIN_TASK_PREFIX:
                raise ValueError(
                    f"ASSIST_{name.upper()} gives ids {prefix}<n>, the built-in tracker's"
                )
        return self

    @model_validator(mode="after")
    def _tracker_configured(self) -> Self:
        """A remote tracker that creates tasks needs its address, credentials, project and
        the field for chat watchers; say which are missing at start, not at the first task."""
        needed = {
            "builtin": [],
            "redmine": [
                "redmine_url",
                "redmine_api_key",
                "redmine_project",
                "redmine_watchers_field_id",
            ],
            "jira": ["jira_url", "jira_token", "jira_project_key", "jira_watchers_field"],
        }[self.tracker]
        missing = [f"ASSIST_{name.upper()}" for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"ASSIST_TRACKER={self.tracker} needs {', '.join(missing)}")
        return self
