"""Real sidecar processes for tests: `assist serve` in a subprocess, spoken to over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

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
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": KEY}, timeout=60
    )
    try:
        wait_until_ready(client, process, log)
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def wait_until_ready(
    client: httpx.Client, process: subprocess.Popen[bytes], log: Path, seconds: float = 120
) -> None:
    """Poll `/readyz` until it answers 200; fail with the server's log if it dies or stalls."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"server did not become ready:\n{log.read_text()}")
        time.sleep(0.25)


@contextmanager
def serve_in_thread(app: Any, seconds: float = 30) -> Iterator[str]:
    """An ASGI app served by uvicorn on 127.0.0.1 in this process; yields its base URL. For
    fake peers and in-process sidecars spoken to over real HTTP. The socket is bound before
    the server starts, so no other process can take the port in between."""
    import threading

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_config=None, log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + seconds
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError(f"the in-thread server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(seconds)
        sock.close()


def eventually(check: Callable[[], bool], seconds: float = 20) -> bool:
    """Whether `check` comes true within `seconds` (polled): for work done in the background."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def metric(text: str, name: str, **labels: str) -> float:
    """One sample of a Prometheus text exposition (0 when absent); labels come sorted."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$" if labels else rf"^{name} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0
