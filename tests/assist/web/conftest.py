"""Browser tests: the real sidecar in a uvicorn subprocess, driven by Debian's Chromium.

Skipped, with the reason, only when /usr/bin/chromium is absent; `.ci/run` installs it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.conftest import BACKLOG, FAQ
from tests.integrations.connect.fake_connect import LOGIN, PASSWORD, FakeConnect
from tests.paths import REPO
from tests.servers import free_port, serve_in_thread, wait_until_ready

CHROMIUM = Path("/usr/bin/chromium")
KEYS = {"agent": "agent-key", "lead": "lead-key", "admin": "admin-key"}
SCREENSHOTS = REPO / "docs" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# A message that is both a FAQ question and an attempt at markup injection.
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'

NO_CHROMIUM = "Browser tests need Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"


@dataclass
class Sidecar:
    url: str
    host_url: str
    log: Path

    def api(self, role: str = "admin") -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-Key": KEYS[role]}, timeout=30)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def host_server() -> Iterator[str]:
    """Serves host.html from another port: another origin, like a real chat page."""
    handler = functools.partial(_QuietHandler, directory=str(Path(__file__).parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# The panel's 1C-Connect conversation: its events reach the sidecar's hook with this token.
HOOK_TOKEN, LINE, MANAGERS = "browser-hook-token", str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture(scope="session")
def line_api() -> Iterator[FakeConnect]:
    """A fake 1C-Connect the sidecar transfers treatments through."""
    fake = FakeConnect(lines={LINE, MANAGERS})
    with serve_in_thread(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture(scope="session")
def sidecar(
    tmp_path_factory: pytest.TempPathFactory,
    host_server: str,
    browser: Browser,
    line_api: FakeConnect,
) -> Iterator[Sidecar]:
    """Depends on `browser` so that without Chromium no server is started at all."""
    data = tmp_path_factory.mktemp("browser-data")
    port = free_port()
    log = data / "server.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ASSIST_")},
        "ASSIST_DATA_DIR": str(data),
        "ASSIST_API_KEYS": "[]",
        "ASSIST_API_ROLES": json.dumps({key: role for role, key in KEYS.items()}),
        "ASSIST_FRAME_ANCESTORS": f"'self' {host_server}",
        "ASSIST_REVIEW_SAMPLE_RATE": "1",
        "ASSIST_REFRESH_SECONDS": "0",
        "ASSIST_LOG_JSON": "false",
        "HF_HUB_OFFLINE": "1",
        "ASSIST_CONNECT_API_URL": line_api.url,
        "ASSIST_CONNECT_LOGIN": LOGIN,
        "ASSIST_CONNECT_PASSWORD": PASSWORD,
        "ASSIST_CONNECT_HOOK_TOKEN": HOOK_TOKEN,
        "ASSIST_CONNECT_MANAGERS_LINE_ID": MANAGERS,
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.assist.web.fake_server", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    side = Sidecar(url, f"{host_server}/host.html?panel={url}", log)
    try:
        with httpx.Client(base_url=side.url) as probe:
            wait_until_ready(probe, process, side.log)
        with side.api() as admin:
            faq = [r.model_dump(mode="json") for r in FAQ]
            faq.append(
                {"id": "faq-xss", "question": f"Вопрос с разметкой {XSS}", "answer": f"Ответ {XSS}"}
            )
            assert admin.post("/v1/faq/bulk", json=faq).status_code == 200
            backlog = [r.model_dump(mode="json") for r in BACKLOG]
            assert admin.post("/v1/backlog/bulk", json=backlog).status_code == 200
        yield side
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Console:
    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ru-RU")
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()


def sign_in(page: Page, sidecar: Sidecar, role: str, target: str = "/panel") -> None:
    page.goto(f"{sidecar.url}{target}")
    page.get_by_label(re.compile("API")).fill(KEYS[role])
    page.locator("#sign-in").click()
    page.wait_for_load_state()


def find_review(sidecar: Sidecar, suggestion_id: str) -> dict[str, Any]:
    with sidecar.api("lead") as lead:
        items = lead.get("/v1/studio/reviews", params={"status": "all", "limit": 500}).json()
    return next(item for item in items if item["suggestion_id"] == suggestion_id)


# Every control must have a name a screen reader can announce: a <label>, aria-label(ledby)
# or, for buttons, its text.
UNLABELLED_JS = """() => Array.from(document.querySelectorAll('button, input, select, textarea'))
  .filter(c => c.type !== 'hidden' && !(c.labels && c.labels.length)
    && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby')
    && !(c.tagName === 'BUTTON' && c.textContent.trim()))
  .map(c => c.outerHTML.slice(0, 80))"""


def unlabelled_controls(page: Page) -> list[str]:
    return list(page.evaluate(UNLABELLED_JS))
