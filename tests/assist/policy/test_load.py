from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assist.policy.base import MessageContext
from assist.policy.load import LoadRule
from assist.settings import Settings


def message(language: str = "ru", **ids: str) -> MessageContext:
    return MessageContext(text="x", language=language, received_at=datetime.now(UTC), **ids)


def test_each_sender_has_its_own_window() -> None:
    rule = LoadRule("2/minute", "3/minute")
    assert [rule.check(message(account_id="a")) for _ in range(2)] == [[], []]
    over = rule.check(message(account_id="a"))
    assert over[0].code == "anomalous_load"
    assert over[0].reason.startswith("Аккаунт a: больше 2 сообщений за минуту")
    assert rule.check(message(account_id="b")) == []


def test_account_and_ip_reasons_are_joined_in_english() -> None:
    rule = LoadRule("1/minute", "1/minute")
    rule.check(message("en", account_id="a", client_ip="10.0.0.1"))
    flags = rule.check(message("en", account_id="a", client_ip="10.0.0.1"))
    assert len(flags) == 1
    assert flags[0].reason == (
        "Account a: more than 1 messages per minute, which looks like anomalous load; "
        "IP 10.0.0.1: more than 1 messages per minute, which looks like anomalous load"
    )


def test_messages_without_sender_ids_are_not_counted() -> None:
    rule = LoadRule("1/minute", "1/minute")
    assert [rule.check(message()) for _ in range(3)] == [[], [], []]


def test_limits_are_validated_in_settings() -> None:
    with pytest.raises(ValueError, match="load_limit_account"):
        Settings(load_limit_account="lots")
