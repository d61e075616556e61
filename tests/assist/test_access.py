from __future__ import annotations

import base64

from assist.access import (
    KeyRing,
    SessionSigner,
    fingerprint,
    role_at_least,
    tokens_match,
)
from assist.settings import Settings


def test_roles_are_ordered() -> None:
    assert role_at_least("admin", "lead") and role_at_least("lead", "lead")
    assert not role_at_least("agent", "lead")


def test_plain_keys_keep_full_access_and_role_keys_get_their_role() -> None:
    ring = KeyRing(Settings(api_keys=["old"], api_roles={"a": "agent", "l": "lead"}))
    assert ring.role_for_key("old") == "admin"
    assert ring.role_for_key("a") == "agent"
    assert ring.role_for_key("l") == "lead"
    assert ring.role_for_key("nope") is None
    assert ring.role_for_fingerprint(fingerprint("a")) == "agent"
    assert ring.role_for_fingerprint(fingerprint("gone")) is None


def test_a_session_cookie_holds_no_key_and_resists_tampering() -> None:
    signer = SessionSigner("secret", 60)
    key = "the-api-key-itself"
    cookie, csrf = signer.issue(fingerprint(key), now=1000)
    payload = base64.urlsafe_b64decode(cookie.partition(".")[0]).decode()
    assert key not in payload and fingerprint(key) in payload
    assert signer.read(cookie, now=1010) == (fingerprint(key), csrf)
    assert signer.read(cookie, now=2000) is None  # expired
    assert signer.read(cookie.replace(".", "x.", 1), now=1010) is None
    assert SessionSigner("other", 60).read(cookie, now=1010) is None
    assert signer.read("garbage", now=1010) is None
    forged = "bm90IGpzb24=" + "." + signer._sign("bm90IGpzb24=")
    assert signer.read(forged, now=1010) is None  # signed, but not our payload


def test_login_tokens_are_bound_to_their_nonce() -> None:
    signer = SessionSigner(None, 60)
    assert tokens_match(signer.login_token("n1"), signer.login_token("n1"))
    assert not tokens_match(signer.login_token("n1"), signer.login_token("n2"))
    assert not tokens_match(None, "x") and not tokens_match("x", None)
