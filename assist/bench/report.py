"""`docs/benchmarks.md` from the JSON of several `assist bench --json` runs (one per size).

python -m assist.bench.report docs/benchmarks.md var/bench/backlog-*.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# (key, label, target) in the order of the targets.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("encode_p50_ms", "encode one message p50, ms (the floor)", ""),
    ("suggest_p50_ms", "suggest in-process p50, ms", "≤ 15"),
    ("suggest_p95_ms", "suggest in-process p95, ms", ""),
    ("suggest_p99_ms", "suggest in-process p99, ms", "≤ 50"),
    ("suggest_over_encode_p50", "suggest p50 / encode p50", "≤ 1.5"),
    ("http_p50_ms_c1", "HTTP p50 at concurrency 1, ms", ""),
    ("http_rps_c1", "HTTP requests/s at concurrency 1", ""),
    ("http_p99_ms_c8", "HTTP p99 at concurrency 8, ms", ""),
    ("http_rps_c8", "HTTP requests/s at concurrency 8", "≥ 60"),
    ("import_processes", "processes embedding an import (the calling one included)", ""),
    (
        "encode_batch_docs_per_s",
        "encoder raw throughput in those processes, one pass per task, tasks/s",
        "",
    ),
    ("import_docs_per_s", "backlog import, tasks/s", "≥ 0.8 × raw"),
    ("import_s", "backlog import, s", ""),
    ("backlog_index_build_s", "backlog index build (after embedding), s", ""),
    ("reimport_1pct_s", "re-import with 1% changed, s", "≤ import / 20"),
    ("index_kind", "backlog index", ""),
    ("hnsw_ef_search", "HNSW efSearch (the setting, more in a larger graph)", ""),
    ("hnsw_recall_at_10", "HNSW recall@10 against exact", "≥ 0.99"),
    ("hnsw_recall_at_10_wider", "the same, searched wider (efSearch)", ""),
    ("index_vector_mb", "backlog vectors, MB", ""),
    ("rss_peak_import_mb", "RSS peak of the importing process through the import, MB", "≤ 2048"),
    ("rss_peak_import_helper_mb", "RSS peak of one import helper process, MB", ""),
    ("rss_peak_mb", "RSS peak of the bench process (import, recall check, suggest), MB", ""),
    ("rss_steady_mb", "RSS after import, MB", ""),
    ("server_rss_ready_mb", "server RSS when ready (saved index), MB", ""),
    ("server_rss_peak_mb", "server RSS peak under load, MB", ""),
    ("ready_s", "server start to ready with a saved index, s", "≤ 10"),
)


def render(runs: Sequence[dict[str, Any]]) -> str:
    runs = sorted(runs, key=lambda r: (r["backlog"], r["faq"]))
    sizes = [f"{r['faq']:,} FAQ + {r['backlog']:,} tasks" for r in runs]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`assist bench --faq N --backlog M --json` per size, then",
        "`python -m assist.bench.report`). Synthetic corpora grown from `samples/` (seeded,",
        "perturbed, de-duplicated); messages perturbed from `samples/cases/dev.jsonl`; no",
        "query cache. Timings depend on what else the machine runs: see its load below.",
        "",
        "| figure | target | " + " | ".join(sizes) + " |",
        "|---|---|" + "---|" * len(runs),
    ]
    for key, label, target in FIGURES:
        cells = [_cell(r.get(key)) for r in runs]
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    lines += ["", "## Memory, as the bench process loads (growth per stage, MB)", ""]
    stages = list(dict.fromkeys(k for r in runs for k in r.get("memory_mb", {})))
    lines.append("| stage | " + " | ".join(sizes) + " |")
    lines.append("|---|" + "---|" * len(runs))
    for stage in stages:
        cells = [_cell(r.get("memory_mb", {}).get(stage)) for r in runs]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines += ["", "## Machine", ""]
    for r, size in zip(runs, sizes, strict=True):
        m = r.get("machine", {})
        lines.append(
            f"- {size}: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gb')} GB RAM, "
            f"Python {m.get('python')}, torch {m.get('torch')}, model `{r.get('model')}`, "
            f"load average at the end {m.get('load_average')}"
        )
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        sys.stderr.write(__doc__ or "")
        return 2
    target, sources = Path(args[0]), [Path(a) for a in args[1:]]
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in sources]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
