"""Anomalous load: too many messages from one account or one client IP in a sliding window.

Counting uses the `limits` library's moving-window limiter, in-process or over Redis, or
the same moving window kept in the shared database (`assist.storage.rate_windows`) so that
replicas on one database count together; `ASSIST_RATE_STORAGE_URI` chooses.
"""

from __future__ import annotations

from limits import RateLimitItem, parse, storage, strategies

from assist.policy.base import Flag, MessageContext
from assist.storage.rate_windows import RateWindow

_REASON = {
    "ru": "{what} {who}: больше {limit} сообщений {window} — похоже на аномальную нагрузку",
    "en": "{what} {who}: more than {limit} messages {window}, which looks like anomalous load",
}
_WHAT = {"ru": {"account": "Аккаунт", "ip": "IP-адрес"}, "en": {"account": "Account", "ip": "IP"}}


class LoadRule:
    """Flags `anomalous_load` once a sender goes over its limit within the window."""

    def __init__(self, per_account: str, per_ip: str, window: RateWindow | None = None) -> None:
        self._limits = {"account": parse(per_account), "ip": parse(per_ip)}
        self._limiter = window or limiter_for("memory://")

    def check(self, message: MessageContext) -> list[Flag]:
        reasons = []
        language = "ru" if message.language == "ru" else "en"
        for what, who in (("account", message.account_id), ("ip", message.client_ip)):
            if who and not self._limiter.hit(self._limits[what], "load", what, who):
                item = self._limits[what]
                reasons.append(
                    _REASON[language].format(
                        what=_WHAT[language][what],
                        who=who,
                        limit=item.amount,
                        window=_window(item, language),
                    )
                )
        return [Flag("anomalous_load", "; ".join(reasons))] if reasons else []


def _window(item: RateLimitItem, language: str) -> str:
    seconds = item.get_expiry()
    if language == "ru":
        return "за минуту" if seconds == 60 else f"за {seconds} с"
    return "per minute" if seconds == 60 else f"in {seconds} s"


def limiter_for(storage_uri: str) -> RateWindow:
    """The `limits` moving-window limiter over `memory://`, `redis://...` and the like."""
    return strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
