"""`assist bench --faq N --backlog M`: every speed and memory figure of issue 5 in one run.

The order matters: memory is read as the model parts load (the breakdown), the import is
timed on a fresh store, searches run on what the import built, and the HTTP server then
starts from the indexes the import saved (so `ready_s` is a restart with a saved index).
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.bench import corpus
from assist.bench.http import drive, running_server, server_rss_mb
from assist.bench.stats import quantile, rss_mb, timed_ms
from assist.knowledge.collection import EMBED_CHUNK
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.pipeline import IncomingMessage
from assist.services import (
    build_services,
    configured_encoder,
    index_factory,
    with_import_helpers,
)
from assist.settings import Settings, available_cores
from embeddings.cache import CachedEncoder
from embeddings.encoder import Encoder
from embeddings.faiss_index import FaissIndex
from embeddings.fake import FakeEncoder
from embeddings.fused import ConcatEncoder
from embeddings.hnsw_index import HnswIndex
from embeddings.parallel import ParallelPassageEncoder
from embeddings.recall import recall_at_k
from embeddings.sentence_transformer import SentenceTransformerEncoder
from embeddings.sized_index import SizedIndex

Say = Callable[[str], None]


@dataclass(frozen=True)
class BenchConfig:
    faq: int = 5000
    backlog: int = 100_000
    messages: int = 200
    seed: int = 0
    fake_encoder: bool = False
    batch_sample: int = 1000  # backlog texts for the raw encoder throughput


@dataclass(frozen=True)
class Samples:
    faq: Sequence[FaqEntry]
    backlog: Sequence[BacklogTask]
    messages: Sequence[str]


def run_bench(
    settings: Settings, config: BenchConfig, samples: Samples, say: Say = lambda _m: None
) -> dict[str, Any]:
    out: dict[str, Any] = {"faq": config.faq, "backlog": config.backlog, "seed": config.seed}
    memory: dict[str, float] = {"python and libraries": rss_mb()[0]}
    encoder = _load_encoder(settings, config, memory)
    out["model"] = encoder.model_id

    say("building the synthetic corpus")
    faq = corpus.synthetic_faq(samples.faq, config.faq, seed=config.seed)
    backlog = corpus.synthetic_backlog(samples.backlog, config.backlog, seed=config.seed)
    messages = corpus.synthetic_messages(samples.messages, config.messages, seed=config.seed)
    memory["synthetic corpus (bench only)"] = rss_mb()[0]

    say("encoding: one message, then batches")
    floor = []
    for message in messages:
        started = time.perf_counter()
        encoder.encode_queries([message])
        floor.append((time.perf_counter() - started) * 1000)
    out["encode_p50_ms"] = round(quantile(floor, 0.5), 2)
    # The floor the import is held to: one model pass over each task's whole text (title
    # with the whole description, whatever the import embeds), in tasks per second like
    # the import figure, through the import's encoder (with its helper processes, if any).
    importer = encoder if config.fake_encoder else with_import_helpers(settings, encoder)
    out["import_processes"] = (
        importer.helpers + 1 if isinstance(importer, ParallelPassageEncoder) else 1
    )
    texts = [whole_text(t) for t in backlog[: config.batch_sample]]
    _, batch_ms = timed_ms(
        lambda: [
            importer.encode_passages(texts[i : i + EMBED_CHUNK])
            for i in range(0, len(texts), EMBED_CHUNK)
        ]
    )
    out["encode_batch_docs_per_s"] = round(len(texts) / (batch_ms / 1000), 1)

    with tempfile.TemporaryDirectory(prefix="assist-bench-") as tmp:
        scratch = settings.model_copy(
            update={
                "data_dir": Path(tmp),
                "database_url": None,
                "models_dir": settings.resolved_models_dir,
                "query_cache_size": 0,
                "refresh_seconds": 0,
            }
        )
        try:
            _in_process(scratch, importer, faq, backlog, messages, out, memory, say)
        finally:
            if isinstance(importer, ParallelPassageEncoder):
                importer.close()
                # The helpers have exited: the largest one's peak, beside this process's.
                helper_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                out["rss_peak_import_helper_mb"] = round(helper_kb / 1024, 1)
        gc.collect()
        out["rss_peak_mb"] = rss_mb()[1]
        say("serving over HTTP")
        _over_http(Path(tmp), settings.resolved_models_dir, config, messages, out)
    out["memory_mb"] = _breakdown(memory)
    out["machine"] = machine()
    return out


def whole_text(task: BacklogTask) -> str:
    """A task's title and whole description, as one model pass would read them."""
    return f"{task.title}. {task.description}" if task.description else task.title


def _load_encoder(settings: Settings, config: BenchConfig, memory: dict[str, float]) -> Encoder:
    if config.fake_encoder:
        return CachedEncoder(FakeEncoder(), 0)
    encoder = configured_encoder(settings)
    parts = encoder.parts if isinstance(encoder, ConcatEncoder) else [(encoder, 1.0)]
    if any(isinstance(part, SentenceTransformerEncoder) for part, _share in parts):
        import torch  # noqa: F401  # loaded here so its share of memory is its own line

        memory["torch and transformers"] = rss_mb()[0]
    for part, _share in parts:
        part.warm_up()
        memory[f"model {part.model_id}"] = rss_mb()[0]
        if isinstance(part, SentenceTransformerEncoder):
            memory.update(_parameter_sizes(part))
    return CachedEncoder(encoder, 0)


def _parameter_sizes(encoder: SentenceTransformerEncoder) -> dict[str, float]:
    """Where a transformer's weights go (informational, already inside the model's line):
    for multilingual e5 the 250k-row vocabulary matrix is most of the model."""
    total = vocabulary = 0
    for name, tensor in encoder.sentence_transformer.named_parameters():
        size = tensor.numel() * tensor.element_size()
        total += size
        vocabulary += size if "word_embeddings" in name else 0
    return {
        "  of which: all weights": round(total / 2**20, 1),
        "  of which: vocabulary rows (word embeddings)": round(vocabulary / 2**20, 1),
    }


def _in_process(
    settings: Settings,
    encoder: Encoder,
    faq: list[FaqEntry],
    backlog: list[BacklogTask],
    messages: list[str],
    out: dict[str, Any],
    memory: dict[str, float],
    say: Say,
) -> None:
    services = build_services(settings, encoder=encoder, index=index_factory(settings))
    try:
        services.assistant.store = None  # bench messages are not conversations
        knowledge = services.knowledge
        say(f"importing {len(faq)} FAQ entries")
        _, ms = timed_ms(lambda: knowledge.upsert("faq", faq))
        out["faq_import_s"] = round(ms / 1000, 2)
        say(f"importing {len(backlog)} backlog tasks")
        _, ms = timed_ms(lambda: knowledge.upsert("backlog", backlog))
        sync = knowledge.last_sync
        out["import_s"] = round(ms / 1000, 2)
        out["import_docs_per_s"] = round(len(backlog) / (ms / 1000), 1)
        out["backlog_embed_s"] = round(sync.embed_seconds, 2) if sync else None
        out["backlog_index_build_s"] = round(sync.index_seconds, 2) if sync else None
        # Read before the recall check below, which holds a second copy of the vectors.
        out["rss_peak_import_mb"] = rss_mb()[1]
        memory["knowledge loaded (indexes, records)"] = rss_mb()[0]
        out.update(_index_figures(knowledge.backlog.index.vectors, encoder, messages, settings))

        say(f"suggesting {len(messages)} messages in-process")
        services.assistant.suggest(IncomingMessage(text="warm-up"))
        latencies = []
        for message in messages:
            started = time.perf_counter()
            services.assistant.suggest(IncomingMessage(text=message))
            latencies.append((time.perf_counter() - started) * 1000)
        out["suggest_p50_ms"] = round(quantile(latencies, 0.5), 2)
        out["suggest_p95_ms"] = round(quantile(latencies, 0.95), 2)
        out["suggest_p99_ms"] = round(quantile(latencies, 0.99), 2)
        out["suggest_over_encode_p50"] = (
            round(out["suggest_p50_ms"] / out["encode_p50_ms"], 2) if out["encode_p50_ms"] else None
        )

        say("re-importing with 1% of tasks changed")
        changed, count = corpus.with_changes(backlog, 0.01, seed=out["seed"])
        _, ms = timed_ms(lambda: knowledge.upsert("backlog", changed))
        out["reimport_1pct_s"] = round(ms / 1000, 2)
        out["reimport_1pct_changed"] = count
        out["reimport_share_of_import"] = round(
            out["reimport_1pct_s"] / max(out["import_s"], 1e-9), 3
        )
        out["rss_steady_mb"] = rss_mb()[0]
    finally:
        services.close()


def _index_figures(
    index: Any, encoder: Encoder, messages: list[str], settings: Settings
) -> dict[str, Any]:
    """The kind of index serving the backlog, and HNSW recall@10 against exact search over
    the same vectors (an HNSW is built for the check when the set is below the threshold)."""
    served = index.inner if isinstance(index, SizedIndex) else index
    keys = served.keys()
    # Exact search over the same stored vectors (float16 decodes exactly), copied in
    # batches: two float32 copies of 200k vectors added 1.4 GB to the bench's peak.
    exact = FaissIndex(encoder.dimension, storage=settings.index_storage)
    hnsw = (
        served
        if isinstance(served, HnswIndex)
        else HnswIndex(
            encoder.dimension,
            m=settings.index_hnsw_m,
            ef_construction=settings.index_hnsw_ef_construction,
            ef_search=settings.index_hnsw_ef_search,
            storage=settings.index_storage,
            build_threads=settings.resolved_torch_threads,
        )
    )
    for start in range(0, len(keys), 16_384):
        batch = keys[start : start + 16_384]
        vectors = served.get(batch)
        exact.upsert(batch, vectors)
        if hnsw is not served:
            hnsw.upsert(batch, vectors)
    queries = encoder.encode_queries(messages[:100])
    recall = recall_at_k(hnsw, exact, queries, 10)
    searched = hnsw.effective_ef(10)
    # The same graph searched wider: what a larger ASSIST_INDEX_HNSW_EF_SEARCH would buy.
    by_ef = {}
    for ef in (2 * searched, 4 * searched):
        hnsw.ef_search = ef
        by_ef[ef] = round(recall_at_k(hnsw, exact, queries, 10), 4)
    hnsw.ef_search = settings.index_hnsw_ef_search
    return {
        "index_kind": getattr(served, "kind", type(served).__name__),
        "index_vectors": len(keys),
        "index_vector_mb": round(
            len(keys) * encoder.dimension * np.dtype(settings.index_storage).itemsize / 2**20, 1
        ),
        "hnsw_recall_at_10": round(recall, 4),
        "hnsw_ef_search": searched,
        "hnsw_recall_at_10_wider": " · ".join(f"ef {ef}: {r}" for ef, r in by_ef.items()),
    }


def _over_http(
    data_dir: Path, models_dir: Path, config: BenchConfig, messages: list[str], out: dict[str, Any]
) -> None:
    with running_server(data_dir, models_dir, fake_encoder=config.fake_encoder) as server:
        out["ready_s"] = round(server.ready_s, 2)
        out["server_rss_ready_mb"] = server_rss_mb(server)[0]
        drive(server.url, messages[:10], 1)  # warm-up
        for concurrency in (1, 8):
            result = drive(server.url, messages, concurrency)
            out[f"http_p50_ms_c{concurrency}"] = result.p50_ms
            out[f"http_p99_ms_c{concurrency}"] = result.p99_ms
            out[f"http_rps_c{concurrency}"] = result.rps
            out[f"http_errors_c{concurrency}"] = result.errors
        out["server_rss_mb"], out["server_rss_peak_mb"] = server_rss_mb(server)


def _breakdown(stages: dict[str, float]) -> dict[str, float]:
    """Each stage's growth of resident memory over the stage before it (lines starting
    with spaces are sizes inside the stage above them, passed through)."""
    out: dict[str, float] = {}
    previous = 0.0
    for name, value in stages.items():
        if name.startswith(" "):
            out[name] = value
            continue
        out[name] = round(value - previous, 1)
        previous = value
    return out


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": available_cores(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    # Versions from the package metadata: importing torch here would load it for nothing.
    for package in ("torch", "onnxruntime"):
        try:
            info[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            info[package] = None
    return info
