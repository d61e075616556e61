"""`assist bench --kb --backlog --cases`: in-process latency on given records and messages."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from assist.bench.stats import quantile, rss_mb
from assist.knowledge.records import BacklogTask, FaqEntry
from assist.pipeline import IncomingMessage
from assist.scratch import scratch_services
from assist.settings import Settings
from embeddings.encoder import Encoder


def run_suggest_bench(
    settings: Settings,
    faq: Sequence[FaqEntry],
    backlog: Sequence[BacklogTask],
    texts: Sequence[str],
    *,
    rounds: int = 3,
    encoder: Encoder | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    # No query cache: replaying the same messages in every round would measure the cache.
    with scratch_services(settings, faq, backlog, encoder=encoder, query_cache_size=0) as services:
        load_s = time.perf_counter() - started
        model_id = services.encoder.model_id
        services.assistant.suggest(IncomingMessage(text="warm-up"))
        latencies = []
        for _ in range(rounds):
            for text in texts:
                t0 = time.perf_counter()
                services.assistant.suggest(IncomingMessage(text=text))
                latencies.append((time.perf_counter() - t0) * 1000)
    return {
        "model": model_id,
        "faq": len(faq),
        "backlog": len(backlog),
        "suggestions": len(latencies),
        "load_seconds": round(load_s, 2),
        "latency_ms": {
            "p50": round(quantile(latencies, 0.50), 2),
            "p90": round(quantile(latencies, 0.90), 2),
            "p99": round(quantile(latencies, 0.99), 2),
            "mean": round(statistics.fmean(latencies), 2),
            "max": round(max(latencies), 2),
        },
        "peak_rss_mb": rss_mb()[1],
    }
