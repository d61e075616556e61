"""ConductRule with a stand-in judge: strikes, the window, and the regulation's remark."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from assist.decide import Decision
from assist.drafting import Drafter
from assist.policy.base import Flag, MessageContext
from assist.policy.conduct import CORRECTIVE_REMARK, ConductRule
from assist.policy.heads import FlagHeads
from assist.policy.hours import ProductionCalendar, SupportHours
from assist.policy.rudeness import RudenessVerdict
from assist.replies import compose_drafts
from assist.storage.sql import SqlStore

T0 = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


class KeywordJudge:
    def verdict(self, text: str, language: str = "en") -> RudenessVerdict:
        rude = "идиоты" in text
        return RudenessVerdict(rude, 1.0 if rude else 0.0, "оскорбление" if rude else "")


@pytest.fixture
def rule(tmp_path: Path) -> ConductRule:
    store = SqlStore(f"sqlite:///{tmp_path / 'conduct.db'}")
    return ConductRule(KeywordJudge(), store.restrictions, window=timedelta(hours=24))


def said(text: str, at: datetime, **ids: str) -> MessageContext:
    return MessageContext(text=text, language="ru", received_at=at, **ids)


def codes(flags: list[Flag]) -> list[str]:
    return [f.code for f in flags]


def test_first_offence_warns_and_a_repeat_in_the_window_recommends_a_ban(rule: ConductRule) -> None:
    assert rule.check(said("спасибо", T0, user_id="u1")) == []
    assert codes(rule.check(said("вы идиоты", T0, user_id="u1"))) == ["conduct.rude"]
    second = rule.check(said("идиоты!", T0 + timedelta(hours=3), user_id="u1"))
    assert codes(second) == ["conduct.rude", "conduct.ban_recommended"]
    assert "2-е нарушение за 24 ч" in second[1].reason


def test_strikes_expire_and_belong_to_their_sender(rule: ConductRule) -> None:
    rule.check(said("вы идиоты", T0, user_id="u1"))
    assert codes(rule.check(said("идиоты", T0, user_id="u2"))) == ["conduct.rude"]
    later = rule.check(said("идиоты", T0 + timedelta(hours=25), user_id="u1"))
    assert codes(later) == ["conduct.rude"]


def test_conversation_counts_when_the_user_is_unknown(rule: ConductRule) -> None:
    rule.check(said("идиоты", T0, conversation_id="c1"))
    assert "conduct.ban_recommended" in codes(rule.check(said("идиоты", T0, conversation_id="c1")))
    assert codes(rule.check(said("идиоты", T0))) == ["conduct.rude"]  # anonymous: no strikes


def test_the_first_draft_is_the_regulation_sentence_exactly() -> None:
    drafter = Drafter(["ru", "en"])
    hours = SupportHours(ProductionCalendar())
    for language in ("ru", "en"):
        drafts = compose_drafts(
            drafter,
            hours,
            decision=Decision("register"),
            flags=[Flag("conduct.rude", "оскорбление")],
            language=language,
            received_at=None,
        )
        assert drafts[0].template == "conduct_warning"
        assert drafts[0].text == CORRECTIVE_REMARK[language]
    ended = compose_drafts(
        drafter,
        hours,
        decision=Decision("register"),
        flags=[Flag("conduct.rude", "x"), Flag("conduct.ban_recommended", "y")],
        language="ru",
        received_at=None,
    )
    assert ended[0].template == "conduct_end"


def test_transliterated_russian_is_judged_in_its_repaired_reading(rule: ConductRule) -> None:
    latin = MessageContext(text="vy idioty", language="ru", received_at=T0, search_text="вы идиоты")
    assert codes(rule.check(latin)) == ["conduct.rude"]
    # Cyrillic text is judged as written: its cleaned reading gets no second look.
    cyrillic = MessageContext(
        text="вы молодцы", language="ru", received_at=T0, search_text="вы идиоты"
    )
    assert rule.check(cyrillic) == []


def test_the_rude_head_catches_what_the_judge_does_not(tmp_path: Path) -> None:
    heads = FlagHeads(
        "m", ("conduct.rude",), np.array([[8.0, 0.0]], np.float32),
        np.array([-4.0], np.float32), np.array([0.8], np.float32),
    )  # fmt: skip
    store = SqlStore(f"sqlite:///{tmp_path / 'conduct.db'}")
    rule = ConductRule(KeywordJudge(), store.restrictions, timedelta(hours=24), heads)

    def mocking(vector: list[float], language: str = "ru") -> MessageContext:
        return MessageContext(
            text="ну вы гении, конечно", language=language, received_at=T0, user_id="u1",
            vector=np.array(vector, np.float32),
        )  # fmt: skip

    flags = rule.check(mocking([1.0, 0.0]))
    assert codes(flags) == ["conduct.rude"]
    assert flags[0].reason == "грубый или издевательский тон (оценка модели 0.98)"
    assert rule.check(mocking([0.0, 1.0])) == []  # below the head's threshold
    again = rule.check(mocking([1.0, 0.0], "en"))  # the head's strikes count like the judge's
    assert codes(again) == ["conduct.rude", "conduct.ban_recommended"]
    assert again[0].reason == "rude or mocking tone (model score 0.98)"
    # Heads without a rude head leave conduct to the judge alone.
    scope_only = replace(heads, flags=("support_feedback",))
    window = timedelta(hours=1)
    assert ConductRule(KeywordJudge(), store.restrictions, window, scope_only).heads is None
