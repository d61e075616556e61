"""All settings in one object, read once from `ASSIST_*` environment variables.

Each field carries its default and its help text; the README table and the
`assist settings` command are generated from this one declaration.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from limits import parse
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from embeddings.index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_THRESHOLD

DEFAULT_MODEL = "default"
# `rate_storage_uri` value that keeps load windows in the knowledge database.
SHARED_DATABASE = "database"
# The outbox keeps each URL in a unique index, whose entries PostgreSQL limits in size.
MAX_WEBHOOK_URL = 1000

Role = Literal["agent", "lead", "admin"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSIST_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        Path("var"),
        description="Directory for the SQLite database, prepared models and saved indexes.",
    )
    models_dir: Path | None = Field(
        None,
        description="Where `assist model prepare` writes and the server reads prepared models; "
        "empty means `<data_dir>/models`.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; empty means the SQLite file `<data_dir>/assist.db`. "
        "Use `postgresql+psycopg://user:pass@host/db` for several replicas.",
    )
    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="`default` (multilingual-e5-small as int8 ONNX fused with USE-multilingual, "
        "prepared by `assist model prepare`), `default-fp32` (the same with the float32 e5 run "
        "by torch, ~4x slower), `e5-onnx`, `e5` or `use` (one model alone), or a path to a "
        "sentence-transformers folder.",
    )
    api_keys: list[str] = Field(
        default_factory=list,
        description="Accepted API keys (JSON list), sent in the `X-API-Key` header; each has "
        "the admin role (everything), as before roles existed. Empty (and no "
        "`ASSIST_API_ROLES`) means every protected endpoint answers 401.",
    )
    api_roles: dict[str, Role] = Field(
        default_factory=dict,
        description="More API keys with a role each (JSON object key → `agent`, `lead` or "
        "`admin`): agents use the panel and the suggestion API, leads also the studio and "
        "knowledge writes, admins everything.",
    )
    session_secret: str | None = Field(
        None,
        description="Secret that signs the browser session cookie (panel and studio sign-in "
        "with a key); empty means a random one per process, so sessions end at restart and "
        "are not shared between replicas.",
    )
    session_hours: float = Field(
        12.0, gt=0, description="How long a browser session lasts after sign-in, in hours."
    )
    session_cookie_samesite: Literal["lax", "strict", "none"] = Field(
        "lax",
        description="SameSite of the session cookie. `none` (sent only over HTTPS) is needed "
        "when the panel is embedded in a chat page of another site.",
    )
    frame_ancestors: str = Field(
        "'self'",
        description="Content-Security-Policy `frame-ancestors` of the panel and studio: the "
        "pages allowed to embed them in an iframe, e.g. `'self' https://chat.example.com`.",
    )
    review_sample_rate: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of suggestions put into the team leads' review queue, picked at "
        "random (0 turns the queue off, 1 samples every suggestion).",
    )
    host: str = Field("127.0.0.1", description="Address `assist serve` listens on.")
    port: int = Field(8000, description="Port `assist serve` listens on.")
    max_text_chars: int = Field(
        4000, gt=0, description="Longest message text accepted by /v1/suggest, in characters."
    )
    max_body_bytes: int = Field(
        5_000_000, gt=0, description="Largest request body accepted, in bytes (bulk imports)."
    )
    max_reply_chars: int = Field(
        1200, gt=0, description="Reply drafts longer than this get a `length` warning."
    )
    faq_top_k: int = Field(3, gt=0, description="FAQ answers returned per suggestion.")
    backlog_top_k: int = Field(5, gt=0, description="Backlog tasks returned per suggestion.")
    faq_min_score: float = Field(
        0.50,
        ge=0,
        le=1,
        description="Calibrated score at or above which the best FAQ answer becomes the draft "
        "(chosen by `assist eval --calibrate` on the development cases, default model).",
    )
    backlog_min_score: float = Field(
        0.30,
        ge=0,
        le=1,
        description="Calibrated score at or above which the best backlog task is offered "
        "for attaching the user; below both thresholds the decision is `register`.",
    )
    refresh_seconds: float = Field(
        5.0,
        ge=0,
        description="How often a running server checks the database for knowledge changed "
        "elsewhere (a CLI import, another replica) and re-indexes it; 0 turns it off.",
    )
    work_start: time = Field(
        time(7, 0),
        description="Specialists start on business days of the RF production calendar (local "
        "time of `ASSIST_TIMEZONE`); messages outside working time get the `off_hours` flag.",
    )
    work_end: time = Field(
        time(17, 0),
        description="Specialists stop (an hour earlier on shortened pre-holiday days).",
    )
    timezone: str = Field("Europe/Moscow", description="Time zone of the working hours.")
    conduct_window_hours: float = Field(
        24.0,
        gt=0,
        description="A second rude message from the same user (or conversation) within this "
        "many hours gets `conduct.ban_recommended`; the first gets the corrective remark.",
    )
    load_limit_account: str = Field(
        "30/minute",
        description="Messages one account may send in the sliding window before the message "
        "gets the `anomalous_load` flag (`limits` notation: `30/minute`, `200/hour`).",
    )
    load_limit_ip: str = Field(
        "60/minute",
        description="The same limit for one client IP address.",
    )
    rate_storage_uri: str = Field(
        "memory://",
        description="Where the load counters live: `memory://` per process, `database` in "
        "the knowledge database (replicas on one PostgreSQL server count together), or "
        "`redis://host:6379`.",
    )
    languages: list[str] = Field(
        default_factory=lambda: ["ru", "en"],
        description="Languages served with their own templates; the first is the fallback.",
    )
    templates_dir: Path | None = Field(
        None,
        description="Optional folder of team-lead template overrides, laid out like "
        "`policy_prompts/` (`<language>/<name>.j2`); its files win over the defaults.",
    )
    torch_threads: int | None = Field(
        None,
        ge=1,
        description="Threads torch uses for one model pass (and FAISS for building HNSW); "
        "empty means the cores this process may run on. Inter-op threads are always 1.",
    )
    suggest_concurrency: int | None = Field(
        None,
        ge=1,
        description="Suggestions computed at once over HTTP; more requests wait their turn. "
        "Empty means the cores this process may run on: at concurrency 8 on 2 cores, 2 at once "
        "served 16% more requests/s than a thread each, with a lower p99.",
    )
    onnx_threads: int = Field(
        1,
        ge=1,
        description="Threads ONNX Runtime uses for one pass of the int8 e5 (the default "
        "model), apart from torch's. On 2 cores a second thread saved 0.4 ms of 6.2 per "
        "message on a quiet machine; one leaves the other core to concurrent requests.",
    )
    import_processes: int | None = Field(
        None,
        ge=1,
        description="Processes that embed a large import from the command line (`assist "
        "import`, `assist bench`), the calling one included; each helper holds its own copy "
        "of the model (about 0.4 GB). Empty means the cores this process may run on. The "
        "server's own imports embed in its process only.",
    )
    embed_batch_size: int = Field(
        32,
        ge=1,
        description="Texts per model pass on import; texts are sorted by length first, so "
        "a batch is padded little.",
    )
    query_cache_size: int = Field(
        1024,
        ge=0,
        description="Query vectors kept by text (LRU), so a repeated message skips the "
        "model; 0 turns the cache off.",
    )
    index_storage: Literal["float16", "float32"] = Field(
        "float16",
        description="How vectors are kept in memory and on disk; float16 halves the memory "
        "and left `assist eval` on the development cases unchanged.",
    )
    index_hnsw_threshold: int = Field(
        HNSW_THRESHOLD,
        ge=0,
        description="Vectors in a collection above which search is approximate (FAISS HNSW; "
        "`assist bench` reports its recall@10 against exact search); below it, exact.",
    )
    index_hnsw_m: int = Field(
        HNSW_M, ge=4, description="HNSW links per vector: more is better recall, more memory."
    )
    index_hnsw_ef_construction: int = Field(
        HNSW_EF_CONSTRUCTION,
        ge=10,
        description="HNSW candidates weighed per vector while building: more is a better "
        "graph, a slower build (at 60,000 vectors of the bench corpus, recall@10 at efSearch "
        "192 was 0.967 with 64, 0.992 with 200; the build took 3x as long).",
    )
    index_hnsw_ef_search: int = Field(
        HNSW_EF_SEARCH,
        ge=10,
        description="HNSW candidates visited per search at least: more is better recall, "
        "slower (at 60,000 vectors of the bench corpus, recall@10 0.992 at 192, 0.995 at "
        "256). A larger index visits one per 1,000 vectors if that is more (at 600,000 "
        "vectors, recall@10 was 0.947 at 256 and 0.992 at 512).",
    )
    log_level: str = Field("INFO", description="Logging level (DEBUG, INFO, WARNING, ERROR).")
    log_json: bool = Field(True, description="Log one JSON object per line (else plain text).")
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
    connect_rating_message_type: int | None = Field(
        None,
        description="Event type code of a user's rating of a treatment, if your 1C-Connect "
        "sends one (the public API docs show none); its score is read from `data`.",
    )
    connect_rating_field: str = Field(
        "rating", description="Field of a rating event's `data` that holds the 1–5 score."
    )
    connect_timeout_seconds: float = Field(
        10.0, gt=0, description="Timeout of one request to the 1C-Connect API."
    )
    connect_max_attempts: int = Field(
        4, ge=1, description="Tries of one 1C-Connect request (429 and 502–504 are retried)."
    )
    connect_requests_per_second: float = Field(
        5.0, gt=0, description="Most requests a second this process sends to 1C-Connect."
    )
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
        "", description="Key of the Jira project whose issues are the backlog (`CONNECT`)."
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

    @field_validator("load_limit_account", "load_limit_ip")
    @classmethod
    def _rate(cls, value: str) -> str:
        parse(value)  # raises ValueError with the library's own message
        return value

    @model_validator(mode="after")
    def _tracker_configured(self) -> Settings:
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

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assist.db'}"

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def resolved_torch_threads(self) -> int:
        return self.torch_threads or available_cores()

    @property
    def resolved_suggest_concurrency(self) -> int:
        return self.suggest_concurrency or available_cores()

    @property
    def resolved_import_processes(self) -> int:
        return self.import_processes or available_cores()

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @field_validator("helpdesk_webhook_urls")
    @classmethod
    def _webhook_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")) or len(url) > MAX_WEBHOOK_URL:
                raise ValueError(f"not an http(s) URL of at most {MAX_WEBHOOK_URL} characters")
        return urls

    @field_validator("helpdesk_webhook_secrets", "helpdesk_inbound_secrets")
    @classmethod
    def _secrets(cls, secrets: list[str]) -> list[str]:
        if any(not secret.strip() for secret in secrets):
            raise ValueError("a secret must not be empty")
        return secrets

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> Settings:
        if self.helpdesk_webhook_urls and not self.helpdesk_webhook_secrets:
            raise ValueError("ASSIST_HELPDESK_WEBHOOK_URLS needs ASSIST_HELPDESK_WEBHOOK_SECRETS")
        return self


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0))


def settings_table() -> list[dict[str, Any]]:
    """One row per setting: environment variable, default and help text."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        rows.append(
            {
                "env": f"ASSIST_{name.upper()}",
                "default": default,
                "description": field.description or "",
            }
        )
    return rows
