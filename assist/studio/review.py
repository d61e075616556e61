"""Which suggestions go to the team leads' review queue."""

from __future__ import annotations

import hashlib


def sampled_for_review(suggestion_id: str, rate: float) -> bool:
    """Pick about `rate` of all suggestions.

    Suggestion ids are random UUIDs, so a hash of the id is a fair coin that needs no
    random state and gives the same answer on every replica and in every test run.
    """
    if rate <= 0:
        return False
    digest = hashlib.sha256(suggestion_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate
