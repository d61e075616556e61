"""One signature scheme for helpdesk webhooks, both ways.

`X-Assist-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.".encode() + body)>`
over the raw body, with the unix seconds in `X-Assist-Timestamp`. Signing the timestamp
with the body lets a receiver refuse an old request replayed as it was. Several secrets may
be valid at once while one is rotated: we sign with the first and accept any; a sender may
send several comma-separated signatures for the same reason.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from assist.errors import SignatureRejected, StaleTimestamp

TIMESTAMP_HEADER = "X-Assist-Timestamp"
SIGNATURE_HEADER = "X-Assist-Signature"
EVENT_ID_HEADER = "X-Assist-Event-Id"
EVENT_TYPE_HEADER = "X-Assist-Event-Type"
SCHEME = "sha256"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of `body` signed at `timestamp`."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def signed_headers(secrets: Sequence[str], body: bytes, *, timestamp: int) -> dict[str, str]:
    """The timestamp and signature headers of `body`, signed with the first secret."""
    if not secrets:
        raise ValueError("no secret to sign with")
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secrets[0], timestamp, body),
    }


def verify(
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float,
    tolerance_seconds: float,
) -> int:
    """The signed timestamp when some secret signed `body` within the tolerance of `now`.

    `headers` must look names up case-insensitively (Starlette's and httpx's do).
    Raises `SignatureRejected` (missing, malformed or wrong) or `StaleTimestamp`.
    """
    raw_timestamp = headers.get(TIMESTAMP_HEADER, "").strip()
    offered = _signatures(headers.get(SIGNATURE_HEADER, ""))
    if not raw_timestamp or not offered:
        raise SignatureRejected(f"Send the {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers")
    # Unix seconds have 10 digits until 2286; a longer value is not a time (and a huge one
    # would make int() itself fail).
    if not raw_timestamp.isascii() or not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise SignatureRejected(f"{TIMESTAMP_HEADER} must be whole unix seconds")
    timestamp = int(raw_timestamp)
    expected = [signature(secret, timestamp, body).encode() for secret in secrets]
    # Every pair is compared, in constant time each, whatever matched earlier.
    matched = False
    for candidate in offered:
        for wanted in expected:
            matched |= hmac.compare_digest(candidate.encode(), wanted)
    if not matched:
        raise SignatureRejected(
            f"{SIGNATURE_HEADER} does not match the body and timestamp for any accepted secret"
        )
    skew = now - timestamp
    if abs(skew) > tolerance_seconds:
        where = f"{skew:.0f} s old" if skew > 0 else f"{-skew:.0f} s in the future"
        raise StaleTimestamp(
            f"Stale request: {TIMESTAMP_HEADER} is {where}, beyond the {tolerance_seconds:g} s "
            "allowed either way; sign every delivery with the current time"
        )
    return timestamp


def _signatures(header: str) -> list[str]:
    found = (part.strip() for part in header.split(","))
    return [part for part in found if part.startswith(f"{SCHEME}=")]
