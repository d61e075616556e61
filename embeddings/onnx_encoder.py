"""`Encoder` running an exported transformer (`embeddings.onnx_export`) with ONNX Runtime.

No torch at run time: `tokenizers` reads the folder's tokenizer.json, ONNX Runtime runs the
graph, numpy pools and normalises as the folder's modules.json and 1_Pooling/config.json
say. Each text is its own pass: int8 activations are quantised from the range of the whole
input tensor, so a text batched with others (and their padding) would come out slightly
different from the same text alone; one pass per text keeps a text's vector independent
of what it was encoded with, and costs little since short texts are not padded.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.encoder import Vectors
from embeddings.onnx_export import EXPORT_FILE, MODEL_FILE
from embeddings.sentence_transformer import folder_dimension, folder_fingerprint, folder_prompts

logger = logging.getLogger(__name__)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _max_length(path: Path) -> int:
    """Tokens kept per text, as sentence-transformers would: its own setting, else the
    smaller of the model's positions and the tokenizer's limit."""
    st = _read_json(path / "sentence_bert_config.json") or {}
    if isinstance(st.get("max_seq_length"), int):
        return int(st["max_seq_length"])
    limits = [
        (_read_json(path / "config.json") or {}).get("max_position_embeddings"),
        (_read_json(path / "tokenizer_config.json") or {}).get("model_max_length"),
    ]
    return min([int(v) for v in limits if isinstance(v, int)] or [512])


def _pooling(path: Path) -> tuple[str, bool]:
    """(pooling mode, normalise?) from the folder's files."""
    pooling = _read_json(path / "1_Pooling" / "config.json") or {}
    mode = pooling.get("pooling_mode")
    if mode not in ("mean", "cls") or pooling.get("include_prompt") is False:
        raise ValueError(f"{path}: pooling {pooling} is not supported")
    modules = _read_json(path / "modules.json") or []
    normalize = any(str(m.get("type", "")).endswith("Normalize") for m in modules)
    return str(mode), normalize


class OnnxEncoder:
    """Encodes with the `model.onnx` of an exported folder on the CPU.

    Prefixes default to the folder's "query" and "passage" prompts, as in
    `SentenceTransformerEncoder`. `threads` is ONNX Runtime's intra-op thread count for
    this encoder alone (torch's setting is not touched); 1 is fastest per request on a
    busy 2-core machine and leaves the other core to concurrent requests.
    """

    def __init__(
        self,
        path: Path,
        model_id: str | None = None,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        threads: int = 1,
    ) -> None:
        self.path = Path(path)
        if not (self.path / MODEL_FILE).is_file():
            raise FileNotFoundError(f"no {MODEL_FILE} in {self.path}")
        if threads < 1:
            raise ValueError("threads must be at least 1")
        prompts = folder_prompts(self.path)
        self.query_prefix = prompts.get("query", "") if query_prefix is None else query_prefix
        if passage_prefix is None:
            passage_prefix = prompts.get("passage", prompts.get("document", ""))
        self.passage_prefix = passage_prefix
        self.threads = threads
        self.max_length = _max_length(self.path)
        self.pooling, self.normalize = _pooling(self.path)
        dimension = folder_dimension(self.path)
        if dimension is None:
            raise ValueError(f"{self.path}: 1_Pooling/config.json gives no dimension")
        self._dimension = dimension
        record = (self.path / EXPORT_FILE).read_text(encoding="utf-8")
        self._model_id = model_id or (
            f"{self.path.name}-"
            f"{folder_fingerprint(self.path, self.query_prefix, self.passage_prefix, record)}"
        )
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                logger.info(
                    "loading ONNX model", extra={"path": str(self.path), "threads": self.threads}
                )
                tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
                tokenizer.no_padding()
                tokenizer.enable_truncation(self.max_length)
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
                # Idle workers must not spin: USE and other requests want the cores.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._session = ort.InferenceSession(
                    str(self.path / MODEL_FILE), options, providers=["CPUExecutionProvider"]
                )
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def warm_up(self) -> None:
        self.encode_queries(["warm up"])

    def _one(self, session: Any, tokenizer: Any, text: str) -> Vectors:
        ids = np.asarray([tokenizer.encode(text).ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        hidden = session.run(None, feed)[0][0]
        vector = hidden[0] if self.pooling == "cls" else hidden.mean(axis=0)
        return np.asarray(vector, dtype=np.float32)

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        for row, text in enumerate(texts):
            out[row] = self._one(session, tokenizer, prefix + text)
        if self.normalize:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self.query_prefix)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self.passage_prefix)
