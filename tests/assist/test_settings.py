from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assist.cli import main
from assist.settings import Settings, settings_table
from tests.paths import REPO

README = REPO / "README.md"


def test_every_setting_has_help_text() -> None:
    for row in settings_table():
        assert len(row["description"]) > 20, row["env"]


def test_readme_documents_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    """The README table is `assist settings --markdown`; regenerate it when this fails."""
    assert main(["settings", "--markdown"]) == 0
    table = capsys.readouterr().out.strip().splitlines()
    readme = README.read_text(encoding="utf-8")
    missing = [line for line in table if line not in readme]
    assert not missing, "README settings table is stale:\n" + "\n".join(missing)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSIST_API_KEYS", '["a", "b"]')
    monkeypatch.setenv("ASSIST_FAQ_MIN_SCORE", "0.5")
    monkeypatch.setenv("ASSIST_DATA_DIR", "/tmp/x")
    settings = Settings()
    assert settings.api_keys == ["a", "b"]
    assert settings.faq_min_score == 0.5
    assert settings.resolved_database_url == "sqlite:////tmp/x/assist.db"
    assert settings.resolved_models_dir == Path("/tmp/x/models")


def test_out_of_range_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSIST_FAQ_MIN_SCORE", "1.5")
    with pytest.raises(ValueError, match="faq_min_score"):
        Settings()


def test_helpdesk_webhooks_need_http_urls_and_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSIST_HELPDESK_WEBHOOK_URLS", '["https://desk.example/hook"]')
    with pytest.raises(ValueError, match="needs ASSIST_HELPDESK_WEBHOOK_SECRETS"):
        Settings()
    monkeypatch.setenv("ASSIST_HELPDESK_WEBHOOK_SECRETS", '["s3cret"]')
    assert Settings().helpdesk_webhook_urls == ["https://desk.example/hook"]
    for bad in ("ftp://desk.example/hook", "https://desk.example:99999/hook", "https:///x"):
        monkeypatch.setenv("ASSIST_HELPDESK_WEBHOOK_URLS", f'["{bad}"]')
        with pytest.raises(ValueError, match="helpdesk_webhook_urls"):
            Settings()
    monkeypatch.delenv("ASSIST_HELPDESK_WEBHOOK_URLS")
    monkeypatch.setenv("ASSIST_HELPDESK_INBOUND_SECRETS", '[" "]')
    with pytest.raises(ValueError, match="helpdesk_inbound_secrets"):
        Settings()


@pytest.mark.parametrize(
    ("name", "value"), [("jira_project_key", "connect"), ("redmine_task_prefix", "CONNECT-")]
)
def test_a_remote_tracker_may_not_take_the_builtin_ids(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match="the built-in tracker's"):
        Settings(**{name: value})
