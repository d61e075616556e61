"""Conduct: a rude message gets the regulation's corrective remark; a repeat within the
window means the sender should be disconnected from the support lines (a ban).

Rude is what the judge finds (word lists and a character model) or, failing that, what the
`conduct.rude` embedding head finds: sarcasm and contempt often use no rude word at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Protocol

from assist.policy.base import Flag, MessageContext
from assist.policy.heads import FlagHeads
from assist.storage.restrictions import RestrictionStore

_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

# The regulation's exact wording; the English one is our own equivalent.
CORRECTIVE_REMARK = {
    "ru": "Давайте вернемся к разговору в деловом и уважительном стиле, в противном случае, "
    "я по инструкции должен прекратить наш разговор",
    "en": "Let us return to a businesslike and respectful conversation; otherwise, following "
    "our instructions, I will have to end it",
}


class Judgement(Protocol):
    @property
    def rude(self) -> bool: ...

    @property
    def reason(self) -> str: ...


class RudenessJudge(Protocol):
    """`assist.policy.rudeness.RudenessDetector` is the one we ship."""

    def verdict(self, text: str, language: str = "en") -> Judgement: ...


class ConductRule:
    def __init__(
        self,
        judge: RudenessJudge,
        restrictions: RestrictionStore,
        window: timedelta,
        heads: FlagHeads | None = None,
    ) -> None:
        self.judge = judge
        self.restrictions = restrictions
        self.window = window
        self.heads = heads if heads is not None and "conduct.rude" in heads.flags else None

    def check(self, message: MessageContext) -> list[Flag]:
        reason = self._rudeness(message)
        if reason is None:
            return []
        flags = [Flag("conduct.rude", reason)]
        sender = _sender(message)
        if sender is None:  # nobody to count strikes against (an anonymous API call)
            return flags
        at = message.received_at or datetime.now(UTC)
        earlier = self.restrictions.strikes_since(sender, at - self.window)
        self.restrictions.add_strike(sender, at, reason)
        if earlier:
            ru = message.language == "ru"
            reason = (
                f"Повторная грубость ({earlier + 1}-е нарушение за {_hours(self.window)} ч) после "
                "предупреждения: по инструкции отключить от линий поддержки"
                if ru
                else f"Rudeness repeated ({earlier + 1} times in {_hours(self.window)} h) after "
                "the warning: the instructions say to disconnect the sender"
            )
            flags.append(Flag("conduct.ban_recommended", reason))
        return flags

    def _rudeness(self, message: MessageContext) -> str | None:
        """Why the message is rude, or None."""
        verdict = self.judge.verdict(message.text, message.language)
        if not verdict.rude and _transliterated(message):
            # «vy tam sovsem ohreneli» reads as Latin noise to the word lists; the pipeline's
            # repaired reading is Russian they know.
            verdict = self.judge.verdict(message.search_text or "", message.language)
        if verdict.rude:
            return verdict.reason
        if self.heads is None or (vector := message.embedding()) is None:
            return None
        score = self.heads.fired(vector, message.search_text or message.text).get("conduct.rude")
        if score is None:
            return None
        if message.language == "ru":
            return f"грубый или издевательский тон (оценка модели {score:.2f})"
        return f"rude or mocking tone (model score {score:.2f})"


def _transliterated(message: MessageContext) -> bool:
    """Whether the repaired text is Cyrillic where the message itself had none."""
    search = message.search_text or ""
    return _CYRILLIC.search(message.text) is None and _CYRILLIC.search(search) is not None


def _sender(message: MessageContext) -> str | None:
    if message.user_id:
        return f"user:{message.user_id}"
    if message.conversation_id:
        return f"conversation:{message.conversation_id}"
    return None


def _hours(window: timedelta) -> str:
    return f"{window.total_seconds() / 3600:g}"
