"""`assist import backlog --from redmine|jira` against the fake trackers over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assist import services as services_module
from assist.cli import main
from embeddings.fake import FakeEncoder
from tests.integrations.trackers import fake_jira, fake_redmine
from tests.integrations.trackers.fake_jira import FakeJira
from tests.integrations.trackers.fake_redmine import FakeRedmine
from tests.servers import serve_in_thread

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSIST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSIST_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("ASSIST_IMPORT_PROCESSES", "1")
    monkeypatch.setattr(services_module, "open_encoder", lambda _settings: FakeEncoder())
    return tmp_path


@pytest.fixture
def redmine(env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRedmine]:
    fake = FakeRedmine()
    with serve_in_thread(fake.app()) as url:
        monkeypatch.setenv("ASSIST_REDMINE_URL", url)
        monkeypatch.setenv("ASSIST_REDMINE_API_KEY", fake_redmine.KEY)
        monkeypatch.setenv("ASSIST_REDMINE_PROJECT", "connect")
        monkeypatch.setenv("ASSIST_REDMINE_WATCHERS_FIELD_ID", str(fake_redmine.WATCHERS_FIELD))
        yield fake


def test_sync_from_redmine_then_only_the_changes(
    redmine: FakeRedmine, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        redmine.add_issue(f"Задача {n}", updated_on=T0 + timedelta(hours=n))
    assert main(["import", "backlog", "--from", "redmine"]) == 0
    out, err = capsys.readouterr()
    assert "since the start): 3 read, 3 created, 0 updated, 0 unchanged, 0 deleted" in out
    assert "WATCHERS_FIELD" not in err

    redmine.received.clear()
    redmine.edit(1, subject="Задача 0, уточнена", at=T0 + timedelta(hours=5))
    assert main(["import", "backlog", "--from", "redmine"]) == 0
    out = capsys.readouterr().out
    assert "since 2026-11-26T10:55:00+00:00): 2 read, 0 created, 1 updated, 1 unchanged" in out
    assert redmine.received[0].params["updated_on"] == ">=2026-11-26T10:55:00Z"

    assert main(["import", "backlog", "--from", "redmine", "--full"]) == 0
    assert "since the start): 3 read, 0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_a_sync_without_the_watchers_field_says_what_it_misses(
    redmine: FakeRedmine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ASSIST_REDMINE_WATCHERS_FIELD_ID")
    redmine.add_issue("Задача", updated_on=T0)
    assert main(["import", "backlog", "--from", "redmine"]) == 0
    err = capsys.readouterr().err
    assert "warning: ASSIST_REDMINE_WATCHERS_FIELD_ID is not set" in err and "--full" in err


def test_sync_from_jira(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeJira()
    fake.add_issue("Первая", updated=T0)
    with serve_in_thread(fake.app()) as url:
        monkeypatch.setenv("ASSIST_JIRA_URL", url)
        monkeypatch.setenv("ASSIST_JIRA_USER", fake_jira.USER)
        monkeypatch.setenv("ASSIST_JIRA_TOKEN", fake_jira.TOKEN)
        monkeypatch.setenv("ASSIST_JIRA_PROJECT_KEY", "SUP")
        assert main(["import", "backlog", "--from", "jira"]) == 0
    assert "1 read, 1 created" in capsys.readouterr().out


def test_wrong_combinations_are_refused(
    redmine: FakeRedmine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "backlog"]) == 2
    assert main(["import", "faq", "--from", "redmine"]) == 2
    assert main(["import", "backlog", "--from", "redmine", "--delete-missing"]) == 2
    assert "needs --full" in capsys.readouterr().err
    assert redmine.received == []


def test_an_unreachable_tracker_is_reported_not_raised(
    redmine: FakeRedmine, capsys: pytest.CaptureFixture[str]
) -> None:
    redmine.fail_next = [503] * 3
    assert main(["import", "backlog", "--from", "redmine"]) == 2
    assert "redmine GET /issues.json: answered 503" in capsys.readouterr().err
