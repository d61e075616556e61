"""The agent panel in a real browser, against the real sidecar (fake encoder)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Page, expect

from tests.assist.web.conftest import (
    HOOK_TOKEN,
    LINE,
    MANAGERS,
    SCREENSHOTS,
    XSS,
    Console,
    Sidecar,
    find_review,
    sign_in,
    unlabelled_controls,
)
from tests.integrations.connect.fake_connect import FakeConnect

CORRECTIVE = (
    "Давайте вернемся к разговору в деловом и уважительном стиле, в противном случае, "
    "я по инструкции должен прекратить наш разговор"
)
OFF_HOURS = "2026-01-03T12:00:00+03:00"  # a Saturday of the New Year holidays


def open_panel(page: Page, sidecar: Sidecar, **params: str) -> None:
    sign_in(page, sidecar, "agent")
    page.goto(f"{sidecar.url}/panel?{urlencode({'lang': 'ru', **params})}")
    expect(page.locator("body[data-ready='1']")).to_have_count(1)


def test_a_message_shows_drafts_and_flags(
    page: Page, sidecar: Sidecar, console: Console, record_property: object
) -> None:
    open_panel(
        page,
        sidecar,
        text="Как настроить расписание работы линии?",
        received_at=OFF_HOURS,
        conversation_id="c-flags",
    )
    flags = page.locator("#flags li")
    expect(flags).to_have_count(1)
    expect(flags.first).to_have_attribute("data-code", "off_hours")
    expect(flags.first).to_contain_text("Нерабочее время")
    drafts = page.locator("#drafts .draft")
    expect(drafts).to_have_count(2)
    expect(drafts.nth(0)).to_have_attribute("data-template", "off_hours")
    expect(drafts.nth(1).locator("textarea")).to_have_value(
        "Откройте линию, вкладка «Расписание», задайте рабочие часы и сохраните."
    )
    expect(page.locator("#faq li").first).to_contain_text("Как настроить расписание")
    expect(page.locator("#backlog li").first).to_contain_text("CONNECT-")
    # Render time after the API answered: reported (printed with -s, and in the junit
    # properties), never asserted.
    timings = page.evaluate("({...document.body.dataset})")
    print(
        f"\npanel timings ms: api {timings['apiMs']}, render {timings['renderMs']}, "
        f"to next frame {timings['paintMs']}"
    )
    record_property("panel_render_ms", timings["renderMs"])  # type: ignore[operator]
    assert console.errors == []


def test_insert_posts_the_text_to_the_host_page(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    sign_in(page, sidecar, "agent")
    page.goto(sidecar.host_url)
    frame = page.frame_locator("#panel")
    expect(frame.locator("#message")).to_be_visible()
    page.wait_for_function("window.received.some(m => m.type === 'assist:ready')")
    page.evaluate(
        "m => window.sendToPanel(m)",
        {
            "type": "assist:message",
            "text": "удаленка не работает",
            "conversation_id": "c-host",
            "user_id": "u-host",
            "received_at": "2026-11-25T10:00:00+03:00",
        },
    )
    draft = frame.locator("#drafts .draft").first
    expect(draft).to_have_attribute("data-template", "answer")
    text = draft.locator("textarea").input_value()
    draft.locator("button.insert").click()
    expect(page.locator("#received")).to_have_text(text)
    inserted = page.evaluate("window.received.filter(m => m.type === 'assist:insert')")
    assert inserted[0]["template"] == "answer"
    # Inserting is choosing: it is stored as accepted feedback for that draft.
    expect(draft).to_have_attribute("data-feedback", "accepted")
    review = find_review(sidecar, inserted[0]["suggestion_id"])
    assert review["feedback"][0] | {"reason": None} == {
        "outcome": "accepted",
        "sent_text": text,
        "reason": None,
        "template": "answer",
    }
    assert console.errors == []


def test_edited_feedback_is_stored_with_live_reply_check(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    open_panel(page, sidecar, text="удаленка не работает", conversation_id="c-edit")
    draft = page.locator("#drafts .draft").first
    area = draft.locator("textarea")
    area.fill("Проверьте приложение. Скоро сделаем, исправим в следующем релизе.")
    expect(draft.locator(".warnings li.warning-promise").first).to_be_visible()
    draft.locator("input.reason").fill("короче")
    draft.locator("button.accept").click()
    expect(draft).to_have_attribute("data-feedback", "edited")
    expect(page.locator("#status")).to_contain_text("Отзыв сохранён")
    suggestion_id = page.evaluate("document.body.dataset.suggestionId")
    review = find_review(sidecar, suggestion_id)
    assert review["feedback"][-1]["outcome"] == "edited"
    assert review["feedback"][-1]["sent_text"].startswith("Проверьте приложение.")
    assert review["feedback"][-1]["reason"] == "короче"
    draft.locator("button.reject").click()
    expect(draft).to_have_attribute("data-feedback", "rejected")
    assert console.errors == []


def test_a_rude_message_shows_the_corrective_remark(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    open_panel(
        page,
        sidecar,
        text="вы идиоты, как настроить расписание линии?",
        conversation_id="c-rude",
        received_at="2026-11-25T10:00:00+03:00",
    )
    expect(page.locator("#flags li").first).to_have_attribute("data-code", "conduct.rude")
    first = page.locator("#drafts .draft").first
    expect(first).to_have_attribute("data-template", "conduct_warning")
    expect(first.locator("textarea")).to_have_value(CORRECTIVE)
    assert unlabelled_controls(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "panel.png"), full_page=True)
    assert console.errors == []


def test_an_xss_attempt_renders_as_text(page: Page, sidecar: Sidecar, console: Console) -> None:
    open_panel(page, sidecar, text=f"Вопрос с разметкой {XSS}")
    expect(page.locator("#message")).to_have_value(f"Вопрос с разметкой {XSS}")
    hit = page.locator("#faq li", has_text="Вопрос с разметкой").first
    hit.locator("summary").click()
    expect(hit).to_contain_text(f"Ответ {XSS}")
    draft = page.locator("#drafts .draft[data-template='answer'] textarea")
    expect(draft).to_have_value(f"Ответ {XSS}")
    # Nothing of the markup became elements; only the page's own scripts exist.
    assert page.locator("img").count() == 0
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    assert page.evaluate("window.__xss") is None
    assert console.errors == []


def test_register_asks_for_confirmation_and_shows_the_number(
    page: Page, sidecar: Sidecar, console: Console
) -> None:
    open_panel(page, sidecar, text="Квитанции об оплате приходят дважды", user_id="u-reg")
    page.locator("#register").click()
    expect(page.locator("#confirm")).to_be_visible()
    page.locator("#confirm-yes").click()
    first = page.locator("#drafts .draft").first
    expect(first).to_have_attribute("data-template", "register")
    expect(first.locator("textarea")).to_have_value(re.compile(r"под номером CONNECT-\d+"))
    page.keyboard.press("Alt+1")  # not embedded: insert falls back to copying
    expect(page.locator("#status")).to_have_text("Скопировано")
    assert console.errors == []


def test_following_a_line_conversation_shows_webhook_suggestions_and_transfers(
    page: Page, sidecar: Sidecar, console: Console, line_api: FakeConnect
) -> None:
    user = str(uuid.uuid4())
    conversation = f"{LINE}:{user}"
    open_panel_following(page, sidecar, conversation)
    event = {
        "line_id": LINE,
        "user_id": user,
        "message_id": str(uuid.uuid4()),
        "message_type": 1,
        "message_time": "2026-11-25T12:00:00+03:00",
        "text": "Как нам правильно организовать работу отдела продаж?",
    }
    with httpx.Client(base_url=sidecar.url, timeout=30) as chat:
        answer = chat.post(
            "/hooks/connect", json=event, headers={"Authorization": f"Bearer {HOOK_TOKEN}"}
        )
    assert answer.status_code == 200, answer.text
    expect(page.locator("#message")).to_have_value(event["text"], timeout=15_000)
    expect(page.locator("#flags li[data-code='out_of_scope.business_scenario']")).to_have_count(1)
    page.locator("#transfer").click()
    page.locator("#confirm-yes").click()
    expect(page.locator("#status")).to_have_text("Обращение переведено")
    assert line_api.calls_to("line/reroute") == [
        {"line_id": LINE, "user_id": user, "to_line_id": MANAGERS}
    ]
    assert console.errors == []


def open_panel_following(page: Page, sidecar: Sidecar, conversation: str) -> None:
    sign_in(page, sidecar, "agent")
    query = urlencode({"lang": "ru", "conversation_id": conversation, "follow": "1"})
    page.goto(f"{sidecar.url}/panel?{query}")
    expect(page.locator("#message")).to_have_value("")
