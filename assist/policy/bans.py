"""Senders disconnected from the support lines are flagged on every message they send."""

from __future__ import annotations

from datetime import UTC, datetime

from assist.policy.base import Flag, MessageContext
from assist.storage.restrictions import RestrictionStore, SubjectType


class BanRule:
    def __init__(self, restrictions: RestrictionStore) -> None:
        self.restrictions = restrictions

    def check(self, message: MessageContext) -> list[Flag]:
        candidates: list[tuple[SubjectType, str | None]] = [
            ("user", message.user_id),
            ("account", message.account_id),
        ]
        subjects = [(kind, value) for kind, value in candidates if value]
        ban = self.restrictions.find_active("ban", subjects, message.received_at or _now())
        if ban is None:
            return []
        until = f"до {ban.expires_at:%d.%m.%Y %H:%M} UTC" if ban.expires_at else "бессрочно"
        until_en = f"until {ban.expires_at:%Y-%m-%d %H:%M} UTC" if ban.expires_at else "permanently"
        reason = (
            f"{ban.subject_type} {ban.subject} отключен от линий поддержки {until}: {ban.reason}"
            if message.language == "ru"
            else f"{ban.subject_type} {ban.subject} is banned from the support lines "
            f"{until_en}: {ban.reason}"
        )
        return [Flag("conduct.ban_recommended", reason)]


def _now() -> datetime:
    return datetime.now(UTC)
