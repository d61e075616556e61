"""The one signature scheme: what we sign verifies, anything else is refused, and the
README's example agrees with both directions."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
import pytest

from assist.errors import SignatureRejected, StaleTimestamp
from integrations.helpdesk.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
    signed_headers,
    verify,
)
from tests.integrations.helpdesk.peers import readme_example

BODY = '{"event_id":"hd-1","text":"не работает чат"}'.encode()
NOW = 1_790_000_000


def check(headers: dict[str, str], secrets: list[str], now: float = NOW) -> int:
    # Latin-1, as a server decodes header bytes.
    received = httpx.Headers(headers, encoding="latin-1")
    return verify(secrets, received, BODY, now=now, tolerance_seconds=300)


def test_the_signature_is_the_documented_hmac() -> None:
    mac = hmac.new(b"s3cret", f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature("s3cret", NOW, BODY) == f"sha256={mac}"


def test_what_we_sign_verifies_with_any_accepted_secret() -> None:
    headers = signed_headers(["old"], BODY, timestamp=NOW)
    assert check(headers, ["old"]) == NOW
    # Rotation: the receiver already has the new secret first and still takes the old one.
    assert check(headers, ["new", "old"]) == NOW
    with pytest.raises(SignatureRejected):
        check(headers, ["new"])


def test_one_of_several_signatures_may_match() -> None:
    headers = signed_headers(["new"], BODY, timestamp=NOW)
    both = f"{signature('old', NOW, BODY)}, {headers[SIGNATURE_HEADER]}"
    assert check({**headers, SIGNATURE_HEADER: both}, ["new"]) == NOW


@pytest.mark.parametrize(
    "change",
    [
        {SIGNATURE_HEADER: None},
        {TIMESTAMP_HEADER: None},
        {SIGNATURE_HEADER: "sha256=" + "0" * 64},
        {SIGNATURE_HEADER: "md5=abc"},
        {SIGNATURE_HEADER: "sha256=ñ"},
        {TIMESTAMP_HEADER: "1790000000.5"},
        {TIMESTAMP_HEADER: str(NOW + 1)},  # signed for another time
        {TIMESTAMP_HEADER: "9" * 5000},  # too long for int(): refused, not a 500
    ],
)
def test_missing_malformed_or_wrong_signatures_are_refused(change: dict[str, str | None]) -> None:
    headers: dict[str, str] = signed_headers(["k"], BODY, timestamp=NOW)
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    with pytest.raises(SignatureRejected):
        check(headers, ["k"])


def test_a_changed_body_is_refused() -> None:
    headers = signed_headers(["k"], BODY, timestamp=NOW)
    with pytest.raises(SignatureRejected):
        verify(["k"], headers, BODY + b" ", now=NOW, tolerance_seconds=300)


@pytest.mark.parametrize(("offset", "words"), [(-301, "301 s old"), (301, "in the future")])
def test_timestamps_beyond_the_tolerance_are_stale(offset: int, words: str) -> None:
    headers = signed_headers(["k"], BODY, timestamp=NOW + offset)
    with pytest.raises(StaleTimestamp, match=words) as caught:
        check(headers, ["k"])
    assert "Stale" in caught.value.detail
    assert check(signed_headers(["k"], BODY, timestamp=NOW + 300), ["k"]) == NOW + 300


def test_the_readme_example_verifies_ours_and_signs_what_we_accept() -> None:
    example = readme_example()
    ours = signed_headers(["shared"], BODY, timestamp=int(time.time()))
    assert example["verify_assist_request"]("shared", httpx.Headers(ours), BODY)
    assert not example["verify_assist_request"]("other", httpx.Headers(ours), BODY)
    stale = signed_headers(["shared"], BODY, timestamp=NOW - 10_000_000)
    assert not example["verify_assist_request"]("shared", httpx.Headers(stale), BODY)

    theirs = example["sign_for_assist"]("shared", BODY)
    now = int(theirs[TIMESTAMP_HEADER])
    assert verify(["shared"], httpx.Headers(theirs), BODY, now=now, tolerance_seconds=1) == now
