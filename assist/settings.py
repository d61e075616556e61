"""All settings in one object, read once from `ASSIST_*` environment variables.

Each field carries its default and its help text; the README table and the
`assist settings` command are generated from this one declaration.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Any, Literal

from limits import parse
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assist.settings_integrations import ConnectSettings, HelpdeskSettings, TrackerSettings
from embeddings.index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, HNSW_THRESHOLD

DEFAULT_MODEL = "default"
# `rate_storage_uri` value that keeps load windows in the knowledge database.
SHARED_DATABASE = "database"

Role = Literal["agent", "lead", "admin"]


class Settings(TrackerSettings, HelpdeskSettings, ConnectSettings, BaseSettings):
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

    @field_validator("load_limit_account", "load_limit_ip")
    @classmethod
    def _rate(cls, value: str) -> str:
        parse(value)  # raises ValueError with the library's own message
        return value

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


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0))


def settings_table() -> list[dict[str, Any]]:
    """One row per setting: environment variable, default and help text; the core settings
    first, then the integrations' (pydantic lists the mixins' fields first)."""
    core = [name for name in Settings.__annotations__ if name in Settings.model_fields]
    names = core + [name for name in Settings.model_fields if name not in core]
    rows = []
    for name in names:
        field = Settings.model_fields[name]
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        rows.append(
            {
                "env": f"ASSIST_{name.upper()}",
                "default": default,
                "description": field.description or "",
            }
        )
    return rows
