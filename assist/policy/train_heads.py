"""Train the flag heads: `python -m assist.policy.train_heads [--models-dir DIR]`.

One logistic regression per flag over the default model's message embedding, written to
`assist/policy/flag_heads.npz`. Each flag learns from its own rows (held-out sets never):

- scope flags: `samples/policy/policy_dev.jsonl` and `policy_dev_b.jsonl`, plus the product
  questions of `samples/cases/dev.jsonl` as in-scope examples. A scope flag on a plain
  product question tells a specialist not to answer it, so those questions weigh in the
  threshold choice.
- `conduct.rude`: the same rows plus the `train` split of `conduct_chat.jsonl` and
  `near_miss.jsonl` (polite strong words, look-alike names).

Thresholds maximise F1 on 5-fold cross-validation predictions over the flag's rows, among
those that leave every polite near-miss and chat complaint unflagged in those predictions:
a corrective remark to a polite user is worse than a missed one. For a scope flag the F1 is
that of the whole rule, its explicit phrasings or the head, so the head is tuned for what
the phrasings miss. The rude head is tuned alone: the rudeness detector's word lists and
character model learnt from these same rows and would look better here than they are.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from assist.knowledge.records import FlagCode
from assist.logs import configure_logging
from assist.policy.heads import MODEL_PATH, FlagHeads
from assist.policy.scope import SCOPE_FLAGS, explicit_phrase
from assist.text_clean import clean_message
from assist.text_repair import repair
from embeddings.prepare import load_encoder

log = logging.getLogger(__name__)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
POLICY_DEV = (SAMPLES / "policy" / "policy_dev.jsonl", SAMPLES / "policy" / "policy_dev_b.jsonl")
PRODUCT_QUESTIONS = SAMPLES / "cases" / "dev.jsonl"
CONDUCT_CHAT = SAMPLES / "policy" / "conduct_chat.jsonl"
NEAR_MISS = SAMPLES / "policy" / "near_miss.jsonl"
FLAGS: tuple[FlagCode, ...] = (*SCOPE_FLAGS, "conduct.rude")
C = 10.0
CANDIDATES = np.round(np.arange(0.30, 0.981, 0.02), 2)


@dataclass(frozen=True)
class Row:
    text: str
    flags: frozenset[str]
    source: str  # which file: decides the flags it can teach


def read_rows() -> list[Row]:
    rows = [
        Row(r["text"], frozenset(r["flags"]), "policy") for path in POLICY_DEV for r in _jsonl(path)
    ]
    rows += [Row(r["text"], frozenset(), "product") for r in _jsonl(PRODUCT_QUESTIONS)
             if not r["flags"]]  # fmt: skip
    rows += [
        Row(r["text"], frozenset({"conduct.rude"} if r["rude"] else ()), "chat")
        for r in _jsonl(CONDUCT_CHAT)
        if r["split"] == "train"
    ]
    rows += [Row(r["text"], frozenset(), "near_miss") for r in _jsonl(NEAR_MISS)]
    return rows


def teaches(row: Row, code: FlagCode) -> bool:
    if code == "conduct.rude":
        return True
    return row.source in ("policy", "product")


def guards(row: Row) -> bool:
    """Rows no threshold may flag: polite text written to sound harsh (near misses, and the
    complaints, urgency and praise of our chat set)."""
    return row.source in ("near_miss", "chat") and not row.flags


def train(models_dir: Path, rows: list[Row] | None = None) -> FlagHeads:
    rows = read_rows() if rows is None else rows
    encoder = load_encoder("default", models_dir)
    x = encoder.encode_queries([clean_message(repair(r.text).text) for r in rows])
    weights, biases, thresholds = [], [], []
    for code in FLAGS:
        mask = np.array([teaches(r, code) for r in rows])
        y = np.array([code in r.flags for r in rows])[mask]
        guarded = np.array([guards(r) for r in rows])[mask]
        explicit = np.array([explicit_phrase(code, r.text) is not None for r in rows])[mask]
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        p = cross_val_predict(model, x[mask], y, cv=folds, method="predict_proba")[:, 1]
        threshold, f1 = choose_threshold(y, p, guarded, explicit)
        log.info("flag head", extra={"flag": code, "cv_f1": round(f1, 3), "threshold": threshold})
        model.fit(x[mask], y)
        weights.append(model.coef_[0])
        biases.append(model.intercept_[0])
        thresholds.append(threshold)
    return FlagHeads(
        encoder.model_id,
        FLAGS,
        np.array(weights, dtype=np.float32),
        np.array(biases, dtype=np.float32),
        np.array(thresholds, dtype=np.float32),
    )


def choose_threshold(
    y: npt.NDArray[np.bool_],
    p: npt.NDArray[np.float64],
    guarded: npt.NDArray[np.bool_],
    explicit: npt.NDArray[np.bool_] | None = None,
) -> tuple[float, float]:
    """The threshold with the best F1 among those that flag no guarded row. The F1 is that of
    the whole rule: rows its explicit phrasings flag count as flagged whatever the head says."""
    flagged = np.zeros_like(y) if explicit is None else explicit
    best = (float(CANDIDATES[-1]), 0.0)
    for t in CANDIDATES:
        predicted = flagged | (p >= t)
        if np.any(predicted & guarded):
            continue
        f1 = f1_score(y, predicted)
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def f1_score(y: npt.NDArray[np.bool_], predicted: npt.NDArray[np.bool_]) -> float:
    hits = float(np.sum(y & predicted))
    return 2 * hits / (float(np.sum(y)) + float(np.sum(predicted))) if hits else 0.0


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, default=Path("var/models"))
    args = parser.parse_args()
    configure_logging()
    train(args.models_dir).save(MODEL_PATH)


if __name__ == "__main__":
    main()
