"""Train the scope regressions: `python -m assist.policy.train_scope [--models-dir DIR]`.

Reads `samples/policy/policy_dev.jsonl` and, as extra in-scope examples, the product
questions of `samples/cases/dev.jsonl` (held-out sets never). A scope flag on a plain
product question tells a specialist not to answer it, so those questions weigh in the
threshold choice: thresholds maximise F1 on 5-fold cross-validation predictions over both.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from assist.knowledge.formats import parse_records
from assist.knowledge.records import EvalCase
from assist.policy.scope import MODEL_PATH, SCOPE_FLAGS, ScopeModel
from assist.text_clean import clean_message
from assist.text_repair import repair
from embeddings.prepare import load_encoder

log = logging.getLogger(__name__)
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DEV = SAMPLES / "policy" / "policy_dev.jsonl"
PRODUCT_QUESTIONS = SAMPLES / "cases" / "dev.jsonl"
C = 10.0


def train(
    models_dir: Path, cases_path: Path = DEV, in_scope_path: Path | None = PRODUCT_QUESTIONS
) -> ScopeModel:
    encoder = load_encoder("default", models_dir)
    cases = parse_records(cases_path.read_bytes(), EvalCase)
    if in_scope_path is not None:
        cases += [c for c in parse_records(in_scope_path.read_bytes(), EvalCase) if not c.flags]
    x = encoder.encode_queries([clean_message(repair(c.text).text) for c in cases])
    weights, biases, thresholds = [], [], []
    for code in SCOPE_FLAGS:
        y = np.array([code in c.flags for c in cases])
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        p = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
        candidates = np.arange(0.3, 0.95, 0.05)
        f1 = [_f1(y, p >= t) for t in candidates]
        best = float(candidates[int(np.argmax(f1))])
        log.info("scope flag", extra={"flag": code, "cv_f1": round(max(f1), 3), "threshold": best})
        model.fit(x, y)
        weights.append(model.coef_[0])
        biases.append(model.intercept_[0])
        thresholds.append(best)
    return ScopeModel(
        encoder.model_id,
        np.array(weights, dtype=np.float32),
        np.array(biases, dtype=np.float32),
        np.array(thresholds, dtype=np.float32),
    )


def _f1(y: np.ndarray, predicted: np.ndarray) -> float:
    hits = float(np.sum(y & predicted))
    return 2 * hits / (float(np.sum(y)) + float(np.sum(predicted))) if hits else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, default=Path("var/models"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    train(args.models_dir).save(MODEL_PATH)


if __name__ == "__main__":
    main()
