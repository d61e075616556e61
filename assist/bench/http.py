"""Suggestions over real HTTP: a server process on 127.0.0.1 and a bounded async client."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

import assist
from assist.bench.stats import quantile, rss_mb

API_KEY = "bench-key"


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    ready_s: float


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    data_dir: Path, models_dir: Path, *, fake_encoder: bool = False, timeout_s: float = 300.0
) -> Iterator[Server]:
    """Start a server over `data_dir` (database and saved indexes) and wait until /readyz
    answers 200; `ready_s` runs from process start, so it includes imports and loading."""
    port = free_port()
    root = str(Path(assist.__file__).resolve().parent.parent)
    env = {
        **os.environ,
        # The child must import this code, whichever copy an installed `assist` points at.
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        "ASSIST_DATA_DIR": str(data_dir),
        "ASSIST_DATABASE_URL": "",
        "ASSIST_MODELS_DIR": str(models_dir),
        "ASSIST_PORT": str(port),
        "ASSIST_HOST": "127.0.0.1",
        "ASSIST_API_KEYS": f'["{API_KEY}"]',
        "ASSIST_LOG_LEVEL": "WARNING",
        "ASSIST_REFRESH_SECONDS": "0",
        # Distinct messages, and no cache: the figures are the model path's.
        "ASSIST_QUERY_CACHE_SIZE": "0",
        "HF_HUB_OFFLINE": "1",
    }
    command = [sys.executable, "-m", "assist.bench.server"]
    if fake_encoder:
        command.append("--fake-encoder")
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        ready_s = _wait_ready(url, process, started, timeout_s)
        yield Server(url, process.pid, ready_s)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(
    url: str, process: subprocess.Popen[bytes], started: float, timeout: float
) -> float:
    with httpx.Client(timeout=2.0) as client:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"the bench server exited with {process.returncode}")
            try:
                response = client.get(f"{url}/readyz")
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if response.status_code == 200:
                return time.perf_counter() - started
            if "Loading failed" in response.text:
                raise RuntimeError(f"the bench server could not load: {response.text}")
            time.sleep(0.05)
    raise RuntimeError(f"the bench server was not ready within {timeout:.0f} s")


def server_rss_mb(server: Server) -> tuple[float, float]:
    return rss_mb(server.pid)


def drive(url: str, messages: Sequence[str], concurrency: int) -> LoadResult:
    """POST every message to /v1/suggest, at most `concurrency` in flight."""
    return asyncio.run(_drive(url, messages, concurrency))


async def _drive(url: str, messages: Sequence[str], concurrency: int) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for text in messages:
        queue.put_nowait(text)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": API_KEY}, limits=limits, timeout=60.0
    ) as client:

        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                text = queue.get_nowait()
                started = time.perf_counter()
                response = await client.post("/v1/suggest", json={"text": text})
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return LoadResult(
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        rps=round(len(latencies) / wall, 1) if wall else 0.0,
        p50_ms=round(quantile(latencies, 0.5), 2),
        p99_ms=round(quantile(latencies, 0.99), 2),
    )
