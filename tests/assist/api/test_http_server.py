"""`assist serve` as a real process with the real model, spoken to over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.paths import SAMPLES

KEY = "http-test-key"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path, models_dir: Path, port: int, **env: str) -> dict[str, str]:
    return {
        **os.environ,
        "ASSIST_DATA_DIR": str(data_dir),
        "ASSIST_MODELS_DIR": str(models_dir),
        "ASSIST_PORT": str(port),
        "ASSIST_API_KEYS": f'["{KEY}"]',
        "HF_HUB_OFFLINE": "1",
        # The assertions read the INFO log lines; don't inherit the caller's choices.
        "ASSIST_LOG_LEVEL": "INFO",
        "ASSIST_LOG_JSON": "true",
        "ASSIST_EMBEDDING_MODEL": "default",
        "ASSIST_DATABASE_URL": "",
        "ASSIST_REFRESH_SECONDS": "0.5",
        **env,
    }


@contextmanager
def server(data_dir: Path, models_dir: Path, log: Path, **env: str) -> Iterator[httpx.Client]:
    port = free_port()
    environ = environment(data_dir, models_dir, port, **env)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assist.cli", "serve"], env=environ, stdout=out, stderr=out
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": KEY})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if client.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not become ready:\n{log.read_text()}")
            time.sleep(0.25)
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


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
