"""`assist bench` at tiny sizes with the fake encoder: every figure is there (no timings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assist.cli import main
from tests.paths import REPO

SAMPLES = REPO / "samples"
REQUIRED = {
    "faq",
    "backlog",
    "encode_p50_ms",
    "suggest_p50_ms",
    "suggest_p99_ms",
    "http_rps_c8",
    "http_p99_ms_c8",
    "import_docs_per_s",
    "encode_batch_docs_per_s",
    "rss_peak_mb",
    "rss_peak_import_mb",
    "ready_s",
}


def test_synthetic_bench_prints_every_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSIST_LOG_LEVEL", "ERROR")
    args = ["bench", "--faq", "15", "--backlog", "40", "--messages", "12", "--fake-encoder"]
    args += [
        "--kb",
        str(SAMPLES / "faq.jsonl"),
        "--backlog-samples",
        str(SAMPLES / "backlog.jsonl"),
    ]
    args += ["--cases", str(SAMPLES / "cases" / "dev.jsonl"), "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= REQUIRED
    # Every synthetic task has a description: two passages each.
    assert (result["faq"], result["backlog"], result["index_vectors"]) == (15, 40, 80)
    assert result["http_errors_c1"] == result["http_errors_c8"] == 0
    assert result["hnsw_recall_at_10"] >= 0.99
    assert result["hnsw_recall_at_10_wider"].startswith("ef 512: ")  # twice the default 256
    assert result["reimport_1pct_changed"] == 1
    assert result["machine"]["cores"] >= 1
    assert result["ready_s"] > 0 and result["rss_peak_mb"] >= result["rss_peak_import_mb"] > 0


def test_report_shows_each_figure_by_size(tmp_path: Path) -> None:
    from assist.bench.report import FIGURES, main

    runs = []
    for size, p50 in ((1000, 10.0), (3000, 12.5)):
        run = {"faq": 100, "backlog": size, "suggest_p50_ms": p50, "model": "m"}
        run["memory_mb"] = {"torch and transformers": 300.0}
        run["machine"] = {"cpu": "Test CPU", "cores": 2}
        (tmp_path / f"{size}.json").write_text(json.dumps(run))
        runs.append(run)
    target = tmp_path / "docs" / "benchmarks.md"
    assert main([str(target), str(tmp_path / "3000.json"), str(tmp_path / "1000.json")]) == 0
    text = target.read_text()
    assert "| 100 FAQ + 1,000 tasks | 100 FAQ + 3,000 tasks |" in text
    assert "| suggest in-process p50, ms | ≤ 15 | 10.00 | 12.50 |" in text
    assert "| torch and transformers | 300 | 300 |" in text
    assert text.count("Test CPU, 2 cores") == 2
    assert len([line for line in text.splitlines() if line.startswith("| ")]) >= len(FIGURES)
