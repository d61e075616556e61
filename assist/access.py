"""Who may do what: API keys with roles, and signed browser sessions with CSRF tokens.

Roles are ordered (agent < lead < admin): each one may do everything the ones below it may.
Plain `ASSIST_API_KEYS` keep the full access they had before roles existed (admin).

A browser signs in once with its key and gets a cookie holding the key's fingerprint, not
the key, signed with HMAC. The role is looked up again on every request, so a key removed
from the settings ends its sessions at once. Each session carries its own CSRF token that
every state-changing request made with the cookie must echo in a header or form field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import get_args

from assist.settings import Role, Settings

ROLES: tuple[Role, ...] = get_args(Role)
SESSION_COOKIE = "assist_session"
PRELOGIN_COOKIE = "assist_login_csrf"
CSRF_HEADER = "X-CSRF-Token"


def role_at_least(role: Role, needed: Role) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Principal:
    role: Role
    key_fingerprint: str
    via_session: bool = False
    csrf: str | None = None

    @property
    def name(self) -> str:
        """Who did it, for audit and version history: never the key itself."""
        return f"{self.role}:{self.key_fingerprint[:8]}"


class KeyRing:
    """Every accepted key with its role; lookups compare in constant time."""

    def __init__(self, settings: Settings) -> None:
        keys: dict[str, Role] = dict.fromkeys(settings.api_keys, "admin")
        keys.update(settings.api_roles)
        self._by_key = keys
        self._by_fingerprint = {fingerprint(k): role for k, role in keys.items()}

    def role_for_key(self, key: str) -> Role | None:
        found: Role | None = None
        # Compare against every key so timing does not reveal how many matched or where.
        for candidate, role in self._by_key.items():
            if hmac.compare_digest(key.encode("utf-8"), candidate.encode("utf-8")):
                found = role
        return found

    def role_for_fingerprint(self, value: str) -> Role | None:
        return self._by_fingerprint.get(value)


class SessionSigner:
    def __init__(self, secret: str | None, lifetime_seconds: float) -> None:
        # A random secret per process is safe, only less convenient (documented setting).
        self._secret = (secret or secrets.token_hex(32)).encode("utf-8")
        self.lifetime = lifetime_seconds

    def issue(self, key_fingerprint: str, now: float | None = None) -> tuple[str, str]:
        """A signed cookie value and the session's CSRF token."""
        csrf = secrets.token_urlsafe(24)
        payload = {"fp": key_fingerprint, "csrf": csrf, "exp": (now or time.time()) + self.lifetime}
        raw = base64.urlsafe_b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")
        return f"{raw}.{self._sign(raw)}", csrf

    def read(self, value: str, now: float | None = None) -> tuple[str, str] | None:
        """(key fingerprint, CSRF token) of a valid, unexpired cookie, else None."""
        raw, _, signature = value.partition(".")
        if not signature or not hmac.compare_digest(signature, self._sign(raw)):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
            expires, fp, csrf = float(payload["exp"]), str(payload["fp"]), str(payload["csrf"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < (now or time.time()):
            return None
        return fp, csrf

    def login_token(self, nonce: str) -> str:
        """CSRF token of the sign-in form, bound to a nonce kept in a short-lived cookie."""
        return self._sign(f"login:{nonce}")

    def _sign(self, text: str) -> str:
        return hmac.new(self._secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def tokens_match(sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected) and hmac.compare_digest(str(sent), str(expected))
