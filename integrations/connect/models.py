"""Typed payloads of the 1C-Connect line API, as its public text bot and docs show them.

Sources: the official bot `1C-Connect/1cconnect-text-bot` (`internal/connect/messages/text.go`,
`requests/*.go`), its example bot (message types 91-93) and the API wiki page "Подписаться на
события" (`back_auth` of `POST /v1/hook/`). Unknown fields are ignored, not rejected: the
server may add some, and a rejected event would be lost.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from assist.api.schemas import without_nul


class MessageType(IntEnum):
    TEXT = 1
    CALL_START_TREATMENT = 20
    CALL_START_NO_TREATMENT = 21
    FILE = 70
    TREATMENT_START_BY_USER = 80
    TREATMENT_START_BY_SPEC = 81
    TREATMENT_CLOSE = 82
    NO_FREE_SPECIALISTS = 83
    REROUTED_TO_OTHER_LINE = 89
    TREATMENT_CLOSE_ACTIVE = 90
    TREATMENT_CLOSE_LINE_DELETED = 91
    TREATMENT_CLOSE_SUBSCRIPTION_DELETED = 92
    TREATMENT_CLOSE_USER_DELETED = 93
    TREATMENT_TO_BOT = 200


EventKind = Literal[
    "message",
    "file",
    "call",
    "treatment_started",
    "treatment_closed",
    "queue",
    "rerouted",
    "to_bot",
    "off_hours",
    "rating",
    "other",
]

KINDS: dict[int, EventKind] = {
    MessageType.TEXT: "message",
    MessageType.FILE: "file",
    MessageType.CALL_START_TREATMENT: "call",
    MessageType.CALL_START_NO_TREATMENT: "call",
    MessageType.TREATMENT_START_BY_USER: "treatment_started",
    MessageType.TREATMENT_START_BY_SPEC: "treatment_started",
    MessageType.TREATMENT_CLOSE: "treatment_closed",
    MessageType.TREATMENT_CLOSE_ACTIVE: "treatment_closed",
    MessageType.TREATMENT_CLOSE_LINE_DELETED: "treatment_closed",
    MessageType.TREATMENT_CLOSE_SUBSCRIPTION_DELETED: "treatment_closed",
    MessageType.TREATMENT_CLOSE_USER_DELETED: "treatment_closed",
    MessageType.NO_FREE_SPECIALISTS: "queue",
    MessageType.REROUTED_TO_OTHER_LINE: "rerouted",
    MessageType.TREATMENT_TO_BOT: "to_bot",
}


class LineEvent(BaseModel):
    """One event 1C-Connect POSTs to a registered hook."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    line_id: UUID
    user_id: UUID
    message_id: UUID
    message_type: int
    author_id: UUID | None = None
    # The bot keeps it as an opaque string; we store it as sent and parse it when we can.
    message_time: Annotated[str, AfterValidator(without_nul)] = Field(max_length=64)
    text: Annotated[str, AfterValidator(without_nul)] = Field("", max_length=100_000)
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def from_user(self) -> bool:
        """Sent by the line's user, not echoed from a specialist or a bot (as the bot checks)."""
        return self.author_id is None or self.author_id == self.user_id

    @property
    def conversation_id(self) -> str:
        """One user on one line is one conversation (events carry no treatment id)."""
        return f"{self.line_id}:{self.user_id}"


class BackAuth(BaseModel):
    """Credentials 1C-Connect sends back with every event POSTed to the hook."""

    type: Literal["basic", "bearer"]
    login: str | None = None
    password: str | None = None
    token: str | None = None


class HookRequest(BaseModel):
    """`POST /v1/hook/`: subscribe a URL to a line's events."""

    id: UUID | None = None
    type: Literal["bot", "line"]
    url: str
    back_auth: BackAuth | None = None


class SendMessageRequest(BaseModel):
    """`POST /v1/line/send/message/`."""

    line_id: UUID
    user_id: UUID
    author_id: UUID | None = None
    text: str


class RerouteRequest(BaseModel):
    """`POST /v1/line/reroute/`: hand the treatment to another line."""

    line_id: UUID
    user_id: UUID
    to_line_id: UUID
    quote: str | None = None
