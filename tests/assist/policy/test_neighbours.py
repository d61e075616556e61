from __future__ import annotations

import numpy as np
import pytest

from assist.policy.neighbours import FEATURES, NEAREST, Neighbours


def clusters() -> tuple[np.ndarray, np.ndarray]:  # type: ignore[type-arg]
    """Two tight clusters of unit vectors in 6 dimensions: the first flagged, the second not."""
    rng = np.random.default_rng(0)
    centres = np.eye(6, dtype=np.float32)[:2]
    x = np.vstack([centres[i] + 0.05 * rng.standard_normal((8, 6)) for i in (0, 1)])
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    return x, np.array([[True]] * 8 + [[False]] * 8)


def test_a_message_near_the_flagged_cluster_gets_a_positive_margin() -> None:
    x, labels = clusters()
    found = Neighbours.fit(("support_feedback",), x, labels, dimensions=4)
    near = found.features(np.array([[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]], np.float32))
    assert near.shape == (2, 1, FEATURES)
    flagged, unflagged, margin = near[0, 0]
    assert flagged > 0.9 > unflagged and margin > 0.5
    assert near[1, 0, 2] < -0.5  # beside the unflagged cluster


def test_kept_rows_can_be_kept_from_matching_themselves() -> None:
    x, labels = clusters()
    found = Neighbours.fit(("support_feedback",), x, labels, dimensions=4)
    assert found.vectors.dtype == np.float16 and found.vectors.shape == (16, 4)
    assert found.features(x)[:, 0, 0].max() == pytest.approx(1.0, abs=1e-2)
    alone = found.features(x, exclude_self=True)
    kept = found.vectors.astype(np.float32)
    similarity = kept @ kept.T
    np.fill_diagonal(similarity, -np.inf)
    # Each flagged row's nearest flagged row is another one, not itself.
    np.testing.assert_allclose(alone[:8, 0, 0], similarity[:8, :8].max(axis=1), atol=1e-3)
    assert np.all(alone[:8, 0, 2] > 0) and np.all(alone[8:, 0, 2] < 0)


def test_fewer_rows_than_the_nearest_count_still_give_features() -> None:
    x, labels = clusters()
    labels[2:, 0] = False  # two flagged rows, fewer than NEAREST
    assert labels.sum() < NEAREST
    near = Neighbours.fit(("support_feedback",), x, labels, dimensions=4).features(x[:1])
    assert np.isfinite(near).all()
