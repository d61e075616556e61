"""Our labelled sets still meet their floors with the real default model.

Floors sit a little under the figures measured when they were set (see README), so a
regression fails here while run-to-run noise does not. The held-out set is only measured,
never tuned on.
"""

from __future__ import annotations

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
        "faq_r1": 0.85,
        "faq_r3": 0.90,
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
