"""The `assist` command, with the fake encoder standing in for the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assist import services as services_module
from assist.cli import main
from assist.settings import Settings
from embeddings.fake import FakeEncoder


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSIST_LOG_LEVEL", "WARNING")
    monkeypatch.setattr(services_module, "open_encoder", lambda _settings: FakeEncoder())
    return tmp_path


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


FAQ = [
    {"id": "f1", "question": "Как настроить расписание линии?", "answer": "Вкладка Расписание."},
    {"id": "f2", "question": "Где скачать приложение?", "answer": "На сайте, раздел Загрузки."},
]


def test_import_reports_created_updated_unchanged_and_deleted(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = write_jsonl(env / "faq.jsonl", FAQ)
    assert main(["import", "faq", str(faq)]) == 0
    assert "2 created, 0 updated, 0 unchanged, 0 deleted" in capsys.readouterr().out

    changed = [{**FAQ[0], "answer": "Откройте вкладку Расписание."}]
    write_jsonl(faq, changed)
    assert main(["import", "faq", str(faq), "--delete-missing"]) == 0
    assert "0 created, 1 updated, 0 unchanged, 1 deleted" in capsys.readouterr().out

    assert main(["delete", "faq", "f1", "nope"]) == 1
    assert "1 deleted, missing: ['nope']" in capsys.readouterr().out


def test_a_bad_file_is_refused_with_line_numbers(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = write_jsonl(env / "faq.jsonl", [FAQ[0], {"id": "f3", "question": "", "answer": "x"}])
    assert main(["import", "faq", str(faq)]) == 2
    err = capsys.readouterr().err
    assert "1 invalid record(s); nothing was written" in err
    assert "line=2" in err and "field=question" in err
    assert main(["import", "faq", str(env / "missing.jsonl")]) == 2


def test_eval_prints_the_documented_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faq = write_jsonl(env / "faq.jsonl", FAQ)
    backlog = write_jsonl(env / "backlog.jsonl", [{"id": "CONNECT-1", "title": "Падает чат"}])
    cases = write_jsonl(
        env / "cases.jsonl",
        [{"id": "c1", "text": "расписание линии настроить", "language": "ru", "faq": "f1"}],
    )
    args = ["eval", "--kb", str(faq), "--backlog", str(backlog), "--cases", str(cases)]
    assert main([*args, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert set(metrics) >= {"faq", "backlog", "no_match", "flags", "language"}
    assert metrics["faq"]["recall_at_1"] == 1.0
    assert main([*args, "--errors"]) == 0
    assert "recall_at_1: 1.0" in capsys.readouterr().out
    assert main([*args, "--json", "--calibrate"]) == 0
    calibration = json.loads(capsys.readouterr().out)["calibration"]
    assert calibration["judged"] == 1 and calibration["accuracy"] == 1.0


def test_bench_reports_latency_quantiles(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faq = write_jsonl(env / "faq.jsonl", FAQ)
    backlog = write_jsonl(env / "backlog.jsonl", [{"id": "CONNECT-1", "title": "Падает чат"}])
    cases = write_jsonl(env / "cases.jsonl", [{"id": "c1", "text": "чат", "language": "ru"}])
    args = ["bench", "--kb", str(faq), "--backlog", str(backlog), "--cases", str(cases)]
    assert main([*args, "--rounds", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["suggestions"] == 2
    assert 0 < result["latency_ms"]["p50"] <= result["latency_ms"]["p99"]


def test_settings_listing(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings"]) == 0
    assert "ASSIST_FAQ_MIN_SCORE=0.5" in capsys.readouterr().out
    assert Settings().data_dir == env


def test_invalid_settings_are_named_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSIST_TRACKER", "redmine")
    assert main(["settings"]) == 2
    err = capsys.readouterr().err
    assert "ASSIST_REDMINE_WATCHERS_FIELD_ID" in err and "Traceback" not in err
