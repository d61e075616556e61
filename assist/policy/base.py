"""What every policy rule sees and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assist.knowledge.records import FlagCode


@dataclass(frozen=True)
class Flag:
    """A regulation point the message touches, with a reason a specialist can read."""

    code: FlagCode
    reason: str


@dataclass(frozen=True)
class MessageContext:
    text: str
    language: str  # the served language the reply will be written in
    received_at: datetime | None  # timezone-aware; None when unknown (offline evaluation)
    conversation_id: str | None = None
    user_id: str | None = None
    account_id: str | None = None
    client_ip: str | None = None
    vector: npt.NDArray[np.float32] | None = None  # the message's embedding, when computed
    # What the embedding was computed from: cleaned, and transliterated Russian read back into
    # Cyrillic («vy tam sovsem...» → «вы там совсем...»), so word lists can read it too.
    search_text: str | None = None


class PolicyRule(Protocol):
    def check(self, message: MessageContext) -> list[Flag]: ...
