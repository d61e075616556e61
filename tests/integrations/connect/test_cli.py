"""`assist integrations connect register-hook`, run as a process against the fake 1C-Connect."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.integrations.connect.conftest import LINE, MANAGERS, TOKEN
from tests.integrations.connect.fake_connect import LOGIN, PASSWORD, FakeConnect
from tests.paths import REPO


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASSIST_")}
    environ.update({"ASSIST_DATA_DIR": str(tmp_path), "ASSIST_LOG_JSON": "false", **env})
    return subprocess.run(
        [sys.executable, "-m", "assist.cli", "integrations", "connect", "register-hook", *args],
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def configured(url: str) -> dict[str, str]:
    return {
        "ASSIST_CONNECT_API_URL": url,
        "ASSIST_CONNECT_LOGIN": LOGIN,
        "ASSIST_CONNECT_PASSWORD": PASSWORD,
        "ASSIST_CONNECT_LINE_IDS": f'["{LINE}", "{MANAGERS}"]',
        "ASSIST_CONNECT_HOOK_URL": "https://assist.example.com/hooks/connect",
        "ASSIST_CONNECT_HOOK_TOKEN": TOKEN,
    }


def test_registers_the_hook_for_every_served_line(
    tmp_path: Path, fake_connect: FakeConnect, connect_url: str
) -> None:
    done = run(tmp_path, **configured(connect_url))
    assert done.returncode == 0, done.stderr
    hooks = fake_connect.calls_to("hook")
    assert [h["id"] for h in hooks] == [LINE, MANAGERS]
    assert all(h["back_auth"] == {"type": "bearer", "token": TOKEN} for h in hooks)
    assert f"line {LINE}: events go to https://assist.example.com/hooks/connect" in done.stdout


def test_a_refusal_is_reported_with_the_servers_words(
    tmp_path: Path, fake_connect: FakeConnect, connect_url: str
) -> None:
    foreign = "0d0d0d0d-0000-4000-8000-00000000000d"
    done = run(tmp_path, **{**configured(connect_url), "ASSIST_CONNECT_LINE_IDS": f'["{foreign}"]'})
    assert done.returncode == 2
    assert "1C-Connect answered 403: Access denied to the line" in done.stderr


def test_missing_settings_are_named(tmp_path: Path) -> None:
    done = run(tmp_path)
    assert done.returncode == 2
    assert "ASSIST_CONNECT_LOGIN" in done.stderr and "ASSIST_CONNECT_HOOK_TOKEN" in done.stderr


def test_a_line_the_hook_would_refuse_is_not_registered(
    tmp_path: Path, fake_connect: FakeConnect, connect_url: str
) -> None:
    env = {**configured(connect_url), "ASSIST_CONNECT_LINE_IDS": f'["{LINE}"]'}
    done = run(tmp_path, "--line", MANAGERS, **env)
    assert done.returncode == 2
    assert f"line={MANAGERS}" in done.stderr, done.stderr
    assert fake_connect.calls_to("hook") == []
