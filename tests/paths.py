"""Where tests find the repository's samples and the shared public data sets."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def shared_data() -> Path:
    """`../shared/data` beside the checkout, or `ASSIST_SHARED_DATA`."""
    return Path(os.environ.get("ASSIST_SHARED_DATA", REPO.parent / "shared" / "data"))
