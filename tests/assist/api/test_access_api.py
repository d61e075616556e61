"""Roles, browser sessions with CSRF, and the security headers, over the real app."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assist.app import create_app
from assist.settings import Settings
from embeddings.fake import FakeEncoder
from tests.conftest import wait_ready

KEYS = {"agent": "agent-key", "lead": "lead-key"}


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        api_keys=["admin-key"],
        api_roles={key: role for role, key in KEYS.items()},  # type: ignore[misc]
        log_json=False,
        refresh_seconds=0,
        frame_ancestors="'self' https://chat.example.com",
    )
    with TestClient(create_app(settings, encoder=FakeEncoder())) as client:
        wait_ready(client)
        yield client


def sign_in(client: TestClient, key: str, target: str = "/panel") -> str:
    form = client.get(target)
    assert form.status_code == 200 and 'id="login-form"' in form.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    response = client.post(
        "/ui/login",
        data={"key": key, "csrf": csrf.group(1), "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def page_config(client: TestClient, path: str = "/panel") -> dict[str, object]:
    found = re.search(r'id="assist-config">(.*?)</script>', client.get(path).text)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_agents_use_the_panel_and_leads_the_studio(app_client: TestClient) -> None:
    agent = {"X-API-Key": KEYS["agent"]}
    lead = {"X-API-Key": KEYS["lead"]}
    assert app_client.post("/v1/check", json={"text": "Готово."}, headers=agent).status_code == 200
    refused = app_client.get("/v1/studio/templates", headers=agent)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/role-not-allowed"
    assert app_client.get("/v1/studio/templates", headers=lead).status_code == 200
    record = {"id": "faq-x", "question": "q", "answer": "a"}
    assert app_client.put("/v1/faq/faq-x", json=record, headers=agent).status_code == 403
    assert app_client.put("/v1/faq/faq-x", json=record, headers=lead).status_code == 200
    assert app_client.get("/v1/faq/faq-x", headers=agent).status_code == 200


def test_sign_in_gives_a_session_whose_writes_need_the_csrf_token(app_client: TestClient) -> None:
    assert sign_in(app_client, KEYS["agent"], "/panel?text=hi") == "/panel?text=hi"
    config = page_config(app_client)
    assert config["role"] == "agent"
    assert config["hostOrigins"] == ["http://testserver", "https://chat.example.com"]
    assert app_client.get("/v1/faq").status_code == 200  # reads need no token
    body = {"text": "Готово."}
    refused = app_client.post("/v1/check", json=body)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/csrf-failed"
    wrong = app_client.post("/v1/check", json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    ok = app_client.post("/v1/check", json=body, headers={"X-CSRF-Token": str(config["csrf"])})
    assert ok.status_code == 200
    studio = app_client.get("/studio")
    assert studio.status_code == 403
    assert studio.headers["content-type"] == "application/problem+json"


def test_a_lead_session_opens_the_studio_and_signs_out(app_client: TestClient) -> None:
    sign_in(app_client, KEYS["lead"], "/studio")
    page = app_client.get("/studio?lang=en")
    assert page.status_code == 200 and "Team-lead studio" in page.text
    csrf = page_config(app_client, "/studio")["csrf"]
    refused = app_client.post("/ui/logout", data={"csrf": "bad"}, follow_redirects=False)
    assert refused.status_code == 403
    out = app_client.post(
        "/ui/logout", data={"csrf": csrf, "next": "/studio"}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/studio"
    assert 'id="login-form"' in app_client.get("/studio").text


def test_sign_in_refuses_bad_keys_forged_forms_and_foreign_redirects(
    app_client: TestClient,
) -> None:
    form = app_client.get("/panel")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    wrong = app_client.post("/ui/login", data={"key": "nope", "csrf": csrf.group(1)})
    assert 'id="login-error"' in wrong.text
    forged = app_client.post("/ui/login", data={"key": KEYS["agent"], "csrf": "forged"})
    assert forged.status_code == 403 and forged.json()["type"] == "/problems/csrf-failed"
    redirect = app_client.post(
        "/ui/login",
        data={"key": KEYS["agent"], "csrf": csrf.group(1), "next": "https://evil.example"},
        follow_redirects=False,
    )
    assert redirect.headers["location"] == "/panel"


def test_pages_carry_a_strict_policy_and_the_api_docs_do_not(app_client: TestClient) -> None:
    page = app_client.get("/panel")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'self' https://chat.example.com" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    script = app_client.get("/static/panel.js")
    assert script.status_code == 200 and "cache-control" not in script.headers
    assert "content-security-policy" not in app_client.get("/docs").headers
    assert app_client.get("/favicon.ico").status_code == 204


def test_english_is_picked_from_the_browser(app_client: TestClient) -> None:
    page = app_client.get("/panel", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in page.text and 'lang="en"' in page.text


def test_panel_links_open_readable_entries_with_user_text_escaped(
    app_client: TestClient,
) -> None:
    lead = {"X-API-Key": KEYS["lead"]}
    record = {
        "id": "faq-html",
        "question": "Как <b>настроить</b> расписание?",
        "answer": "<script>window.__x=1</script>Вкладка «Расписание».",
        "alt_questions": ["расписание линии"],
    }
    assert app_client.put("/v1/faq/faq-html", json=record, headers=lead).status_code == 200
    task = {"id": "CONNECT-7", "title": "Падает чат", "description": "При вложениях."}
    assert app_client.put("/v1/backlog/CONNECT-7", json=task, headers=lead).status_code == 200
    assert 'id="login-form"' in app_client.get("/panel/faq/faq-html").text
    sign_in(app_client, KEYS["agent"], "/panel/faq/faq-html")
    page = app_client.get("/panel/faq/faq-html")
    assert page.status_code == 200
    assert "Как &lt;b&gt;настроить&lt;/b&gt; расписание?" in page.text
    assert (
        "&lt;script&gt;window.__x=1&lt;/script&gt;" in page.text
        and "<script>window" not in page.text
    )
    assert "<li>расписание линии</li>" in page.text
    backlog = app_client.get("/panel/backlog/CONNECT-7")
    assert "Падает чат" in backlog.text and "При вложениях." in backlog.text
    assert app_client.get("/panel/faq/nope").status_code == 404
    assert app_client.get("/panel/users/x").status_code == 404
