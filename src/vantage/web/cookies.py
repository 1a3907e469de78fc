"""The dashboard's session cookie: a small JSON payload signed with HMAC-SHA256.

The cookie is HttpOnly (no script reads it) and SameSite=Lax (another site's form cannot post
with it); it carries its own expiry, checked on every request, so a copied cookie dies on time
even if the browser keeps it. The key is ``web_session_key``, else a random key made when the
app starts: then a restart ends every session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

import msgspec

SESSION_COOKIE = "vantage_session"
CSRF_COOKIE = "vantage_csrf"
ZONE_COOKIE = "vantage_tz"


class Signer:
    def __init__(self, key: str) -> None:
        self._key = key.encode() if key else secrets.token_bytes(32)

    def sign(self, payload: dict[str, Any]) -> str:
        body = _b64(msgspec.json.encode(payload))
        return f"{body}.{self.mac(body)}"

    def unsign(self, value: str, now: int) -> dict[str, Any] | None:
        """The payload if the signature is right and its ``exp`` is after ``now``, else None."""
        body, _, mac = value.partition(".")
        if not mac or not hmac.compare_digest(mac, self.mac(body)):
            return None
        try:
            payload = msgspec.json.decode(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, msgspec.DecodeError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
            return None
        return payload if payload["exp"] > now else None

    def mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
