"""The team-lead studio in a real browser, against the real sidecar (fake encoder)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.assist.web.conftest import (
    SCREENSHOTS,
    Console,
    Sidecar,
    sign_in,
    unlabelled_controls,
)

NO_MATCH = "Печать счетов выдаёт пустые страницы"  # nothing in the test KB: `register`
WORKING = "2026-11-25T10:00:00+03:00"


def open_studio(page: Page, sidecar: Sidecar) -> None:
    sign_in(page, sidecar, "lead", "/studio")
    page.goto(f"{sidecar.url}/studio?lang=ru")
    expect(page.locator("body[data-ready='1']")).to_have_count(1)


def settled(page: Page) -> None:
    """Selecting a template reloads it; typing before that ends would be overwritten."""
    expect(page.locator("body[data-loading='0']")).to_have_count(1)


def suggest(sidecar: Sidecar, text: str, **extra: str) -> dict[str, object]:
    with sidecar.api("agent") as agent:
        response = agent.post("/v1/suggest", json={"text": text, "received_at": WORKING, **extra})
        assert response.status_code == 200, response.text
        return dict(response.json())


def draft_text(body: dict[str, object], template: str) -> str:
    drafts = body["drafts"]
    assert isinstance(drafts, list)
    return str(next(d["text"] for d in drafts if d["template"] == template))


def test_the_studio_refuses_an_agent_key(page: Page, sidecar: Sidecar, console: Console) -> None:
    sign_in(page, sidecar, "agent", "/studio")
    problem = json.loads(page.locator("body").inner_text())
    assert problem["status"] == 403
    assert problem["type"] == "/problems/role-not-allowed"
    with sidecar.api("agent") as agent:
        response = agent.get("/v1/studio/templates")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    # The refused page itself is the one expected error the browser logs.
    assert [e for e in console.errors if "403" not in e] == []


def test_edit_preview_save_and_the_next_suggest_uses_it(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    open_studio(page, sidecar)
    page.locator("#tpl-name").select_option("answer")
    page.locator("#tpl-lang").select_option("ru")
    page.locator("#example").select_option("ru-faq")
    settled(page)
    body = page.locator("#tpl-body")
    # Invalid first: an unknown variable and a sandbox escape are refused before saving.
    body.fill("{{ faq.answer }} {{ nothing }}")
    expect(page.locator("#tpl-errors li[data-kind='undefined']")).to_have_count(1)
    expect(page.locator("#tpl-save")).to_be_disabled()
    body.fill("{{ faq.__class__.__mro__ }}")
    expect(page.locator("#tpl-errors li[data-kind='sandbox']").first).to_be_visible()
    body.fill("{{ faq.answer }} Скоро всё исправим. Хорошего дня!")
    expect(page.locator("#preview")).to_contain_text("Откройте линию, вкладка «Расписание»")
    expect(page.locator("#preview")).to_contain_text("Хорошего дня!")
    expect(page.locator("#tpl-warnings li.warning-promise").first).to_be_visible()
    body.fill("{{ faq.answer }} Хорошего дня!")
    expect(page.locator("#tpl-warnings li")).to_have_count(0)
    expect(page.locator("#tpl-save")).to_be_enabled()
    page.locator("#tpl-comment").fill("пожелание в конце")
    page.locator("#tpl-save").click()
    expect(page.locator("#status")).to_have_text("Сохранена версия 1")
    expect(page.locator("#versions li").first).to_contain_text("пожелание в конце")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "studio.png"), full_page=True)
    assert unlabelled_controls(page) == []
    answer = draft_text(suggest(sidecar, "Как настроить расписание работы линии?"), "answer")
    assert answer.endswith("сохраните. Хорошего дня!")
    page.locator("#versions li[data-version='0'] button.rollback").click()
    expect(page.locator("#status")).to_have_text("Версия 0 снова активна (как версия 2)")
    assert console.errors == []


def test_rollback_and_diff(page: Page, sidecar: Sidecar, console: Console) -> None:
    with sidecar.api("lead") as lead:
        for body in ("Регистрирую A{{ task_id or '' }}.", "Регистрирую B{{ task_id or '' }}."):
            saved = lead.post("/v1/studio/templates/ru/register", json={"body": body})
            assert saved.status_code == 201, saved.text
    assert draft_text(suggest(sidecar, NO_MATCH), "register") == "Регистрирую B."
    open_studio(page, sidecar)
    page.locator("#tpl-name").select_option("register")
    settled(page)
    expect(page.locator("#tpl-body")).to_have_value("Регистрирую B{{ task_id or '' }}.")
    top = page.locator("#versions li").first
    top.locator("button.show-diff").click()
    expect(page.locator("#diff .del")).to_have_text("- Регистрирую A{{ task_id or '' }}.")
    expect(page.locator("#diff .add")).to_have_text("+ Регистрирую B{{ task_id or '' }}.")
    version = int(top.get_attribute("data-version") or 0)
    page.locator(f"#versions li[data-version='{version - 1}'] button.rollback").click()
    expect(page.locator("#status")).to_have_text(
        f"Версия {version - 1} снова активна (как версия {version + 1})"
    )
    assert draft_text(suggest(sidecar, NO_MATCH), "register") == "Регистрирую A."
    page.locator("#versions li[data-version='0'] button.rollback").click()
    expect(page.locator("#status")).to_contain_text("Версия 0 снова активна")
    assert "под номером" not in draft_text(suggest(sidecar, NO_MATCH), "register")
    assert console.errors == []


def test_stats_review_with_csat_and_knowledge(
    page: Page, sidecar: Sidecar, console: Console, tmp_path: Path
) -> None:
    body = suggest(sidecar, "удаленка не работает", conversation_id="c-review")
    sid = body["suggestion_id"]
    with sidecar.api("agent") as agent:
        agent.post(
            f"/v1/suggestions/{sid}/feedback",
            json={"outcome": "edited", "sent_text": "Проверьте приложение у клиента."},
        )
    with sidecar.api("lead") as lead:
        imported = lead.post(
            "/v1/csat",
            json=[{"conversation_id": "c-review", "score": 4, "rated_at": WORKING}],
        )
        assert imported.json() == {"created": 1, "updated": 0}
    open_studio(page, sidecar)

    page.locator("#tab-stats").click()
    row = page.locator("#stats-table tr[data-template='answer/ru']")
    expect(row).to_be_visible()
    assert int(row.locator("td").nth(1).inner_text()) >= 1  # shown
    assert int(row.locator("td").nth(3).inner_text()) >= 1  # edited
    expect(page.locator("#chart svg.chart rect").first).to_be_attached()

    page.locator("#tab-review").click()
    page.locator("#review-status").select_option("all")
    # The list of the chosen status has been drawn: typing before that would be wiped.
    expect(page.locator("#reviews")).not_to_have_attribute("aria-busy", "true")
    card = page.locator(f"#reviews article[data-suggestion='{sid}']")
    expect(card.locator(".csat")).to_have_text("CSAT: 4/5")
    expect(card.locator(".sent")).to_have_text("Проверьте приложение у клиента.")
    assert page.locator("#reviews img, #reviews script").count() == 0
    card.get_by_label("Оценка (1–5)").fill("5")
    card.get_by_label("Комментарий").fill("хорошо")
    card.get_by_role("button", name="Сохранить оценку").click()
    expect(card).to_have_attribute("data-reviewed", "1")

    page.locator("#tab-knowledge").click()
    page.locator("#kb-query").fill("расписание работы линии")
    page.locator("#kb-go").click()
    expect(page.locator("#kb-results li").first).to_have_attribute("data-id", "faq-schedule")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "faq-new", "question": "Q?", "answer": "A."}\n{"id": "faq-bad"}\n')
    page.locator("#kb-file").set_input_files(str(bad))
    page.locator("#kb-check").click()
    expect(page.locator("#kb-errors tbody tr").first).to_contain_text("2")
    expect(page.locator("#kb-import")).to_be_disabled()
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "faq-new", "question": "Новый вопрос?", "answer": "Ответ."}\n')
    page.locator("#kb-file").set_input_files(str(good))
    page.locator("#kb-check").click()
    expect(page.locator("#kb-report")).to_contain_text("faq-new")
    page.locator("#kb-import").click()
    expect(page.locator("#status")).to_have_text("Импортировано: новых 1, обновлено 0")
    assert page.evaluate("window.__xss") is None
    assert unlabelled_controls(page) == []  # every tab has been opened by now
    assert console.errors == []


def test_a_lead_switches_a_line_action_and_sees_who_did(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    open_studio(page, sidecar)
    page.locator("#tab-lines").click()
    expect(page.locator("body[data-lines-ready='1']")).to_have_count(1)
    box = page.get_by_label("Переводить вопросы о бизнес-сценариях на линию менеджеров")
    expect(box).not_to_be_checked()
    ready = page.locator("body[data-lines-ready='1']")
    box.check()
    expect(ready).to_have_count(1)
    row = page.locator(".switch", has=page.locator("[data-switch='transfer_business']"))
    expect(row).to_contain_text("lead:")
    with sidecar.api("lead") as lead:
        listed = {s["name"]: s for s in lead.get("/v1/connect/switches").json()}
    assert listed["transfer_business"]["enabled"] is True
    assert listed["transfer_business"]["source"] == "lead"
    box.uncheck()
    expect(ready).to_have_count(1)
    with sidecar.api("lead") as lead:
        listed = {s["name"]: s for s in lead.get("/v1/connect/switches").json()}
    assert listed["transfer_business"]["enabled"] is False
    assert unlabelled_controls(page) == []
    assert console.errors == []
