"""What every policy rule sees and returns."""

from __future__ import annotations

from concurrent.futures import Future
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
    # The embedding while it is still being computed: the pipeline runs the rules beside the
    # model pass, so what they read from the text alone costs no time. `embedding()` waits.
    vector_pending: Future[npt.NDArray[np.float32]] | None = None
    # What the embedding was computed from: cleaned, and transliterated Russian read back into
    # Cyrillic («vy tam sovsem...» → «вы там совсем...»), so word lists can read it too.
    search_text: str | None = None

    def embedding(self) -> npt.NDArray[np.float32] | None:
        """The message's embedding, waiting for it if it is still being computed."""
        if self.vector is not None or self.vector_pending is None:
            return self.vector
        return self.vector_pending.result()


class PolicyRule(Protocol):
    def check(self, message: MessageContext) -> list[Flag]: ...
