"""A throwaway real Redmine for tests, from Debian's `redmine` package when it is installed.

Measured on the CI machine (2 cores, Debian 12): `apt-get install redmine redmine-sqlite`
took 20 s; a fresh instance here takes about 15 s (migrations 5 s, default data 2 s, setup
3 s, start 3 s). The instance has its own SQLite file in a temporary directory (Rails'
`DATABASE_URL` overrides the package's database.yml) and is served by WEBrick on a free
port. Debian's Gemfile does not list webrick, so it is loaded before Bundler (`RUBYOPT`).
Rake and the server run as www-data, as Debian's README.Debian asks, when we are root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.servers import free_port

ROOT = Path("/usr/share/redmine")
# Enables the REST API and makes what the tests need: a project using every tracker, the
# chat-watchers text field, and a support user; prints them as one JSON line.
SETUP = """
Setting.rest_api_enabled = '1'
admin = User.find_by_login('admin')
project = Project.create!(name: 'Connect', identifier: 'connect', is_public: true,
                          tracker_ids: Tracker.pluck(:id), enabled_module_names: ['issue_tracking'])
field = IssueCustomField.create!(name: 'Chat watchers', field_format: 'text', is_for_all: true,
                                 tracker_ids: Tracker.pluck(:id))
support = User.new(firstname: 'Support', lastname: 'Line', mail: 'support@example.com')
support.login = 'support'
support.password = support.password_confirmation = 'support-password-1'
support.save!
puts({key: admin.api_key, project: project.identifier, field: field.id,
      support: support.id}.to_json)
"""


@dataclass(frozen=True)
class RealRedmine:
    url: str
    key: str
    project: str
    watchers_field_id: int
    support_user_id: int


def missing_reason() -> str | None:
    if not (ROOT / "config.ru").exists() or shutil.which("rackup") is None:
        return "Debian's redmine package is not installed (scripts/system-deps.sh installs it)"
    if os.geteuid() != 0:
        return "a throwaway Redmine runs as www-data, which needs root"
    return None


@contextmanager
def redmine_server(seconds: float = 180) -> Iterator[RealRedmine]:
    deadline = time.monotonic() + seconds
    work = Path(tempfile.mkdtemp(prefix="assist-redmine-"))
    shutil.chown(work, "www-data", "www-data")
    env = {
        **os.environ,
        "X_DEBIAN_SITEID": "default",
        "RAILS_ENV": "production",
        "DATABASE_URL": f"sqlite3:{work / 'redmine.db'}",
        "SCHEMA": str(work / "schema.rb"),  # the package's db/ is not writable
        "REDMINE_LANG": "en",
        "RUBYOPT": "-rwebrick",
    }
    (work / "setup.rb").write_text(SETUP)
    server = None
    try:
        for step in (
            ["bin/rake", "db:migrate"],
            ["bin/rake", "redmine:load_default_data"],
        ):
            _run(step, env, deadline)
        made = json.loads(_run(["bin/rails", "runner", str(work / "setup.rb")], env, deadline))
        port = free_port()
        with (work / "server.log").open("w") as log:
            server = subprocess.Popen(
                _as_www_data(["rackup", "-s", "webrick", "-o", "127.0.0.1", "-p", str(port)]),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, server, work / "server.log", deadline)
        yield RealRedmine(url, made["key"], made["project"], made["field"], made["support"])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _run(command: list[str], env: dict[str, str], deadline: float) -> str:
    done = subprocess.run(
        _as_www_data(command),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=max(deadline - time.monotonic(), 1),
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _as_www_data(command: list[str]) -> list[str]:
    return ["runuser", "-u", "www-data", "--", *command]


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    while True:
        try:
            if httpx.get(f"{url}/issues.json", timeout=2).status_code in (200, 401):
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"Redmine did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.25)
