from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assist.policy.heads import MODEL_PATH, FlagHeads, load_heads
from assist.policy.neighbours import FEATURES, Neighbours
from assist.policy.scope import SCOPE_FLAGS
from assist.policy.text_features import LEXICON_SIZE, WordFeatures
from assist.policy.train_heads import FLAGS, choose_threshold


def two_heads() -> FlagHeads:
    return FlagHeads(
        "model-a",
        ("support_feedback", "conduct.rude"),
        np.array([[4.0, 0.0], [0.0, 4.0]], np.float32),
        np.zeros(2, np.float32),
        np.array([0.9, 0.6], np.float32),
    )


def test_fired_keeps_only_flags_over_their_own_threshold() -> None:
    fired = two_heads().fired(np.array([1.0, 0.0], np.float32))
    assert list(fired) == ["support_feedback"]  # 0.98 ≥ 0.9, but 0.5 < 0.6
    assert fired["support_feedback"] == pytest.approx(1 / (1 + np.exp(-4.0)))
    both = two_heads().fired(np.array([1.0, 0.3], np.float32))
    assert set(both) == {"support_feedback", "conduct.rude"}


def test_a_message_asked_about_again_is_not_computed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    heads = two_heads()
    calls: list[str] = []
    compute = FlagHeads._probabilities

    def counted(self: FlagHeads, vector: np.ndarray, text: str) -> dict[str, float]:
        calls.append(text)
        return compute(self, vector, text)

    monkeypatch.setattr(FlagHeads, "_probabilities", counted)
    vector = np.array([1.0, 0.3], np.float32)
    first = heads.probabilities(vector, "a")
    first["support_feedback"] = 0.0  # a caller's change must not reach the next caller
    assert heads.probabilities(vector.copy(), "a") == compute(heads, vector, "a")
    heads.probabilities(vector, "b")
    heads.probabilities(np.array([0.3, 1.0], np.float32), "a")
    assert calls == ["a", "b", "a"]
    for n in range(40):  # only the last few are kept
        heads.probabilities(np.array([float(n), 0.0], np.float32), "c")
    heads.probabilities(vector, "a")
    assert calls[-1] == "a" and len(calls) == 44


def test_save_load_round_trip_and_model_check(tmp_path: Path) -> None:
    path = tmp_path / "heads.npz"
    two_heads().save(path)
    loaded = load_heads("model-a", path)
    assert loaded is not None
    assert loaded.flags == ("support_feedback", "conduct.rude")
    np.testing.assert_array_equal(loaded.weights, two_heads().weights)
    assert load_heads("model-b", path) is None  # trained for another embedding model
    assert load_heads("model-a", tmp_path / "absent.npz") is None


def word_head() -> FlagHeads:
    words = WordFeatures.fit(["outlook inbox", "line queue"])
    text_weights = np.zeros((1, words.size + LEXICON_SIZE), np.float32)
    text_weights[0, words.vocabulary.index("outlook")] = 8.0
    return FlagHeads(
        "model-a",
        ("out_of_scope.not_product",),
        np.zeros((1, 2), np.float32),
        np.array([-2.0], np.float32),
        np.array([0.5], np.float32),
        words,
        text_weights,
    )


def test_a_head_can_read_the_words(tmp_path: Path) -> None:
    vector = np.array([1.0, 0.0], np.float32)
    assert word_head().fired(vector, "outlook lost my inbox") != {}
    assert word_head().fired(vector, "the line queue is empty") == {}
    word_head().save(tmp_path / "heads.npz")
    loaded = load_heads("model-a", tmp_path / "heads.npz")
    assert loaded is not None and loaded.words is not None
    assert loaded.words.vocabulary == (
        "inbox",
        "line",
        "line queue",
        "outlook",
        "outlook inbox",
        "queue",
    )
    assert loaded.fired(vector, "outlook lost my inbox") == word_head().fired(
        vector, "outlook lost my inbox"
    )


def neighbour_head() -> FlagHeads:
    """A not_product head that reads nothing but the margin to its nearest neighbours."""
    kept = np.array([[1, 0], [0.95, 0.31], [0, 1], [0.31, 0.95]], np.float32)
    found = Neighbours.fit(
        ("out_of_scope.not_product",), kept, np.array([[1], [1], [0], [0]], bool), 2
    )
    return FlagHeads(
        "model-a",
        ("out_of_scope.not_product", "conduct.rude"),
        np.zeros((2, 2), np.float32),
        np.array([0.0, -9.0], np.float32),
        np.array([0.5, 0.5], np.float32),
        neighbours=found,
        neighbour_weights=np.array([[0.0, 0.0, 8.0]], np.float32),
    )


def test_a_head_can_read_its_neighbours(tmp_path: Path) -> None:
    near_flagged, near_unflagged = (
        np.array([0.9, 0.1], np.float32),
        np.array([0.1, 0.9], np.float32),
    )
    assert list(neighbour_head().fired(near_flagged)) == ["out_of_scope.not_product"]
    assert neighbour_head().fired(near_unflagged) == {}
    neighbour_head().save(tmp_path / "heads.npz")
    loaded = load_heads("model-a", tmp_path / "heads.npz")
    assert loaded is not None and loaded.neighbours is not None
    assert loaded.neighbours.flags == ("out_of_scope.not_product",)
    assert loaded.fired(near_flagged) == neighbour_head().fired(near_flagged)


def test_threshold_choice_never_flags_a_guarded_row() -> None:
    y = np.array([True, True, False, False, False])
    p = np.array([0.9, 0.6, 0.7, 0.1, 0.2])
    guarded = np.array([False, False, True, False, False])
    threshold, f1 = choose_threshold(y, p, guarded)
    assert threshold > 0.7  # 0.6 would catch both rude rows but also the guarded one
    assert f1 == pytest.approx(2 / 3)
    # A row the explicit phrasings already flag need not be reached by the head.
    explicit = np.array([False, True, False, False, False])
    assert choose_threshold(y, p, guarded, explicit) == (pytest.approx(0.9), 1.0)


def test_threshold_choice_prefers_precision_where_f1_is_flat() -> None:
    # 200 positives and 200 negatives: at 0.6 every positive and no negative is flagged
    # (F1 1.0); from 0.62 to 0.8 one positive is missed (F1 0.9975, within the slack), and
    # the highest of those wins.
    y = np.array([True] * 200 + [False] * 200)
    p = np.array([0.8] * 199 + [0.6] + [0.55] + [0.1] * 199)
    threshold, f1 = choose_threshold(y, p, np.zeros(400, bool))
    assert threshold == pytest.approx(0.8)
    assert f1 == pytest.approx(2 * 199 / (200 + 199))


def test_the_shipped_heads_belong_to_the_default_model() -> None:
    heads = FlagHeads.load(MODEL_PATH)
    assert heads.model_id.startswith("concat(multilingual-e5-small")
    assert heads.flags == FLAGS == (*SCOPE_FLAGS, "conduct.rude")
    assert heads.weights.shape == (len(FLAGS), 896)
    assert heads.words is not None and heads.text_weights is not None
    # Scope heads read words; the rude head reads the embedding alone.
    assert np.count_nonzero(heads.text_weights[: len(SCOPE_FLAGS)], axis=1).min() > 100
    assert not heads.text_weights[FLAGS.index("conduct.rude")].any()
    assert np.all((heads.thresholds > 0) & (heads.thresholds < 1))
    # Scope heads also read their neighbours among the scope rows.
    assert heads.neighbours is not None and heads.neighbour_weights is not None
    assert heads.neighbours.flags == SCOPE_FLAGS
    assert heads.neighbour_weights.shape == (len(SCOPE_FLAGS), FEATURES)
    assert len(heads.neighbours.vectors) > 2500
