"""The `VectorIndex` protocol and the stamp saved beside every index."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors

# Defaults of the HNSW indexes, read by the settings, `IndexOptions` and `HnswIndex` alike
# (they live here because the settings must not import FAISS). The settings' help texts
# give the measurements behind them.
HNSW_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 256
# Recall at a fixed efSearch falls as the graph grows (bench corpus, recall@10 at 256: 0.992
# with 200,000 vectors, 0.947 with 600,000, where 512 gave 0.992): beyond the setting,
# a search visits one more candidate per this many vectors.
HNSW_VECTORS_PER_EF = 1_000

Keys = npt.NDArray[np.int64]


@dataclass(frozen=True)
class IndexStamp:
    """What a saved index was built from; a loader compares it before trusting the file."""

    model_id: str
    dimension: int
    count: int
    checksum: str

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> IndexStamp:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            model_id=str(data["model_id"]),
            dimension=int(data["dimension"]),
            count=int(data["count"]),
            checksum=str(data["checksum"]),
        )


@runtime_checkable
class VectorIndex(Protocol):
    """Inner-product search over vectors addressed by int64 keys."""

    @property
    def dimension(self) -> int: ...

    def __len__(self) -> int: ...

    def keys(self) -> Keys: ...

    def upsert(self, keys: Sequence[int] | Keys, vectors: Vectors) -> None:
        """Add vectors; a key already present is replaced."""
        ...

    def remove(self, keys: Sequence[int] | Keys) -> None:
        """Drop keys; unknown keys are ignored."""
        ...

    def get(self, keys: Sequence[int] | Keys) -> Vectors:
        """Stored vectors for `keys`, in order; `KeyError` for an unknown key."""
        ...

    def search(self, queries: Vectors, k: int) -> tuple[npt.NDArray[np.float32], Keys]:
        """Top-k per query as (scores, keys), best first; missing slots have key -1."""
        ...

    def save(self, directory: Path) -> None: ...

    def load(self, directory: Path) -> None: ...
