from __future__ import annotations

import uuid

from assist.studio.review import sampled_for_review


def test_sampling_follows_the_rate_and_is_repeatable() -> None:
    ids = [str(uuid.UUID(int=n * 7919 + 12345, version=4)) for n in range(2000)]
    picked = [i for i in ids if sampled_for_review(i, 0.1)]
    assert 150 < len(picked) < 250
    assert picked == [i for i in ids if sampled_for_review(i, 0.1)]
    assert not any(sampled_for_review(i, 0) for i in ids)
    assert all(sampled_for_review(i, 1) for i in ids)
