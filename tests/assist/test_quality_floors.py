"""Our labelled sets still meet their floors with the real default model.

Floors sit a little under the figures measured when they were set (see README), so a
regression fails here while run-to-run noise does not. The held-out set is only measured,
never tuned on.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from assist.evaluation import evaluate
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, EvalCase, FaqEntry
from assist.settings import Settings
from embeddings.encoder import Encoder
from tests.paths import SAMPLES

FLOORS: dict[str, dict[str, float]] = {
    "dev": {
        "faq_r1": 0.90,
        "faq_r3": 0.95,
        "backlog_r5": 0.95,
        "language": 0.98,
        "no_match_recall": 0.85,
    },
    "heldout": {
        "faq_r1": 0.90,
        "faq_r3": 0.95,
        "backlog_r5": 0.95,
        "language": 0.98,
        "no_match_recall": 0.70,
    },
}


def run(split: str, settings: Settings, encoder: Encoder) -> dict[str, Any]:
    return evaluate(
        settings,
        parse_records((SAMPLES / "faq.jsonl").read_bytes(), FaqEntry),
        parse_records((SAMPLES / "backlog.jsonl").read_bytes(), BacklogTask),
        parse_records((SAMPLES / "cases" / f"{split}.jsonl").read_bytes(), EvalCase),
        encoder=encoder,
    ).metrics


@pytest.mark.integration
@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_quality_floors(split: str, settings: Settings, default_encoder: Encoder) -> None:
    metrics = run(split, settings, default_encoder)
    floor = FLOORS[split]
    measured = {
        "faq_r1": metrics["faq"]["recall_at_1"],
        "faq_r3": metrics["faq"]["recall_at_3"],
        "backlog_r5": metrics["backlog"]["recall_at_5"],
        "language": metrics["language"]["accuracy"],
        "no_match_recall": metrics["no_match"]["recall"],
    }
    below = {k: (v, floor[k]) for k, v in measured.items() if v < floor[k]}
    assert not below, f"{split}: below floor (measured, floor): {below}"


# Flags on the held-out policy sets, a little under F1 as measured with the seventh
# session's final code. The first set (273 messages) has been looked at across sessions:
# roadmap 0.93, business 0.98, not-product 0.89, feedback 0.94, rudeness 0.95. Sets g, h and
# i (300 each) were written blind by three writers in that session; i was measured once,
# with the final code: 0.97, 0.99, 0.96, 0.93, 0.95; g and h first with the code before the
# last retrain, then with the final code: 0.97, 0.97, 0.95, 0.98, 0.97 and 0.98, 0.98, 0.91,
# 0.93, 0.92 (README_policy.md).
POLICY_FLOORS = {
    "policy_heldout.jsonl": {
        "out_of_scope.roadmap_estimate": 0.91,
        "out_of_scope.business_scenario": 0.95,
        "out_of_scope.not_product": 0.86,
        "support_feedback": 0.91,
        "conduct.rude": 0.93,
    },
    "policy_heldout_g.jsonl": {
        "out_of_scope.roadmap_estimate": 0.93,
        "out_of_scope.business_scenario": 0.93,
        "out_of_scope.not_product": 0.92,
        "support_feedback": 0.94,
        "conduct.rude": 0.94,
    },
    "policy_heldout_h.jsonl": {
        "out_of_scope.roadmap_estimate": 0.94,
        "out_of_scope.business_scenario": 0.94,
        "out_of_scope.not_product": 0.88,
        "support_feedback": 0.90,
        "conduct.rude": 0.89,
    },
    "policy_heldout_i.jsonl": {
        "out_of_scope.roadmap_estimate": 0.93,
        "out_of_scope.business_scenario": 0.95,
        "out_of_scope.not_product": 0.92,
        "support_feedback": 0.90,
        "conduct.rude": 0.92,
    },
}


@pytest.mark.integration
@pytest.mark.parametrize("held_out", sorted(POLICY_FLOORS))
def test_policy_flag_floors(held_out: str, settings: Settings, default_encoder: Encoder) -> None:
    metrics = evaluate(
        settings,
        parse_records((SAMPLES / "faq.jsonl").read_bytes(), FaqEntry),
        parse_records((SAMPLES / "backlog.jsonl").read_bytes(), BacklogTask),
        parse_records((SAMPLES / "policy" / held_out).read_bytes(), EvalCase),
        encoder=default_encoder,
    ).metrics
    below = {
        code: metrics["flags"][code]["f1"]
        for code, floor in POLICY_FLOORS[held_out].items()
        if metrics["flags"][code]["f1"] < floor
    }
    assert not below, f"{held_out}: policy flags below floor: {below}"


@pytest.mark.integration
def test_polite_near_misses_raise_no_conduct_flag(
    settings: Settings, default_encoder: Encoder
) -> None:
    # The polite near misses are no training data for any part of the rudeness detection.
    polite = [
        EvalCase(id=row["id"], text=row["text"], language=row["language"])
        for row in map(json.loads, (SAMPLES / "policy" / "polite_near_miss.jsonl").open())
    ]
    near_miss = evaluate(settings, [], [], polite, encoder=default_encoder)
    conduct = {"conduct.rude", "conduct.ban_recommended"}
    flagged = [r.case.id for r in near_miss.results if conduct & set(r.flags)]
    assert len(near_miss.results) >= 60
    assert flagged == [], f"polite messages flagged as rude: {flagged}"
