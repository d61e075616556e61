"""`assist serve` as a real process with the real model, spoken to over real HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import SAMPLES
from tests.servers import environment, server


@pytest.mark.integration
def test_serve_import_suggest_restart_and_model_change(
    tmp_path: Path, prepared_models_dir: Path
) -> None:
    data = tmp_path / "data"
    with server(data, prepared_models_dir, tmp_path / "first.log") as client:
        assert client.get("/healthz", headers={"X-API-Key": ""}).json() == {"status": "ok"}
        faq = (SAMPLES / "faq.jsonl").read_bytes()
        loaded = client.post(
            "/v1/faq/bulk", content=faq, headers={"Content-Type": "application/x-ndjson"}
        )
        assert loaded.status_code == 200, loaded.text
        assert len(loaded.json()["created"]) == faq.count(b"\n") + (not faq.endswith(b"\n"))
        body = client.post(
            "/v1/suggest",
            json={
                "text": "rfr yfcnhjbnm hfcgbcfybt kbybb",
                "line": "support",
                "received_at": "2026-11-25T10:00:00+03:00",
            },
        ).json()
        assert body["language"] == "ru"
        assert body["decision"] == "answer"
        assert body["drafts"][0]["text"] == body["faq"][0]["answer"]
        # A CLI import in another process while the server runs: the server picks it up.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "assist.cli",
                "import",
                "backlog",
                str(SAMPLES / "backlog.jsonl"),
            ],
            env=environment(data, prepared_models_dir, 0),
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 30
        while client.get("/readyz").json()["backlog"] == 0 and time.monotonic() < deadline:
            time.sleep(0.25)
        ready = client.get("/readyz").json()
        assert ready["backlog"] == len((SAMPLES / "backlog.jsonl").read_text().splitlines())

    with server(data, prepared_models_dir, tmp_path / "second.log") as client:
        assert client.get("/readyz").json() == ready
        again = client.post("/v1/suggest", json={"text": "как настроить расписание линии"})
        assert again.json()["faq"][0]["id"] == body["faq"][0]["id"]
    assert '"from_saved": true' in (tmp_path / "second.log").read_text()

    with server(
        data, prepared_models_dir, tmp_path / "third.log", ASSIST_EMBEDDING_MODEL="e5"
    ) as client:
        assert client.get("/readyz").json()["model"] != ready["model"]
        assert client.get("/readyz").json()["faq"] == ready["faq"]
    third = (tmp_path / "third.log").read_text()
    assert "saved index does not match; rebuilding" in third
    assert '"from_saved": false' in third
