"""Page helpers that need no browser."""

from __future__ import annotations

from assist.web.i18n import STRINGS, pick_language
from assist.web.pages import _safe_next, host_origins


def test_language_from_the_query_then_the_browser_then_the_first_served() -> None:
    served = ["ru", "en"]
    assert pick_language("en", "ru-RU", served) == "en"
    assert pick_language(None, "de-DE,en;q=0.8", served) == "en"
    assert pick_language("xx", "", served) == "ru"
    assert pick_language(None, "", ["kk"]) == "ru"


def test_every_string_exists_in_both_languages() -> None:
    assert set(STRINGS["ru"]) == set(STRINGS["en"])


def test_frame_ancestors_become_the_origins_the_panel_may_answer() -> None:
    sources = "'self' https://chat.example.com https://*.example.org/ 'none'"
    assert host_origins(sources, "http://sidecar:8000") == [
        "http://sidecar:8000",
        "https://chat.example.com",
        "https://*.example.org",
    ]


def test_sign_in_only_returns_to_our_own_pages() -> None:
    assert _safe_next("/studio?lang=en") == "/studio?lang=en"
    assert _safe_next("//evil.example/panel") == "/panel"
    assert _safe_next("/panelx") == "/panel"
