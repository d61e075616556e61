"""Request and response bodies of the HTTP API; OpenAPI is generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from assist.errors import InvalidInput


def without_nul(text: str) -> str:
    """NUL means nothing in a chat and PostgreSQL refuses it in text columns: dropped."""
    return text.replace("\x00", "")


ChatText = Annotated[str, AfterValidator(without_nul)]


def require_message_text(text: str, limit: int) -> None:
    """A message to suggest on: not blank, at most `limit` characters (a setting, so not
    part of the model)."""
    if not text.strip():
        raise InvalidInput(
            "text is empty", errors=[{"field": "text", "message": "must not be blank"}]
        )
    if len(text) > limit:
        raise InvalidInput(
            f"text is longer than {limit} characters",
            errors=[{"field": "text", "message": f"at most {limit} characters"}],
        )


Ref = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(without_nul),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SuggestRequest(Strict):
    text: ChatText = Field(description="The user's message, as received.")
    conversation_id: Ref | None = None
    user_id: Ref | None = None
    account_id: Ref | None = None
    line: Ref | None = Field(None, description="Support line id or name.")
    client_ip: Ref | None = Field(None, description="The user's IP address, as the chat saw it.")
    received_at: AwareDatetime | None = Field(
        None, description="When the user sent it (ISO-8601 with offset); default: now."
    )


class FlagOut(BaseModel):
    code: str
    reason: str


class FaqMatchOut(BaseModel):
    id: str
    question: str
    answer: str
    score: float = Field(description="Calibrated 0..1: how likely this answers the message.")


class BacklogMatchOut(BaseModel):
    id: str
    title: str
    status: str
    score: float


class ReplyWarningOut(BaseModel):
    code: Literal["promise", "filler", "tone", "length"]
    message: str
    start: int = Field(description="`text[start:end]` is the span the warning is about.")
    end: int


class DraftOut(BaseModel):
    template: str
    language: str
    text: str
    warnings: list[ReplyWarningOut] = Field(default_factory=list)


class CheckRequest(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    language: Literal["ru", "en"] = "ru"


class CheckResponse(BaseModel):
    warnings: list[ReplyWarningOut]


class SuggestResponse(BaseModel):
    suggestion_id: str
    language: str
    flags: list[FlagOut]
    faq: list[FaqMatchOut]
    backlog: list[BacklogMatchOut]
    decision: Literal["answer", "attach", "register"]
    decision_reason: str
    drafts: list[DraftOut]


class ConversationSuggestion(SuggestResponse):
    """A suggestion with the message it answers, as the panel lists a conversation's."""

    text: str
    created_at: datetime


class FeedbackRequest(Strict):
    outcome: Literal["accepted", "edited", "rejected"]
    template: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        None, description="Which draft the outcome is about (its `template`); default: the first."
    )
    sent_text: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    reason: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class FeedbackResponse(BaseModel):
    suggestion_id: str
    outcome: str
    stored: bool = True


class BulkDeleteRequest(Strict):
    ids: list[Ref] = Field(min_length=1, max_length=100_000)


class UpsertResult(BaseModel):
    created: list[str]
    updated: list[str]
    unchanged: list[str]


class JobOut(BaseModel):
    id: str
    collection: str
    records: int = Field(description="Records in the request.")
    state: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="Passages embedded so far.")
    total: int = Field(description="Passages to embed; 0 until embedding starts.")
    created_at: datetime
    finished_at: datetime | None = None
    result: UpsertResult | None = Field(None, description="Once done: what was written.")
    error: dict[str, Any] | None = Field(
        None, description="Once failed: RFC 9457 problem details, as for any request."
    )


class DeleteResult(BaseModel):
    deleted: list[str]
    missing: list[str]


class HoursOut(BaseModel):
    at: datetime
    open: bool
    next_opening: datetime = Field(description="`at` itself while specialists are working.")
    next_opening_text: dict[str, str] = Field(description="The next opening in words, by language.")


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    model: str
    faq: int
    backlog: int
