"""Kaltura sessions (KS), versions 1 and 2, made and read exactly as Kaltura does.

v1: base64 of ``sha1hex(secret + info) | info``, where info is
``partner;partner;validUntil;type;rand;user;privileges[;master;additional]``.
v2: URL-safe base64 of ``v2|<partner>|`` + AES-128-CBC(key = sha1(secret)[:16], zero IV,
zero padding) of ``sha1(R + fields) + R + fields``, R 16 random bytes, fields a form-encoded
map: the privileges, then ``_e`` (valid until), ``_t`` (type), ``_u`` (user), ``_m``, ``_d``.

A KS is signed with one of the partner's admin secrets; reading one means trying each.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from Crypto.Cipher import AES

USER = 0
ADMIN = 2
_V2_PREFIX = b"v2|"


class KSError(ValueError):
    """A KS that cannot be used; ``reason`` is Kaltura's name for why (INVALID_STR, EXPIRED…)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class Session:
    """What a valid KS says."""

    partner_id: int
    valid_until: int
    type: int
    user_id: str
    privileges: str  # Kaltura's comma-separated ``name[:value]`` list
    version: int
    master_partner_id: str = ""
    additional_data: str = ""
    parsed: dict[str, list[str]] = field(default_factory=dict, compare=False)

    @property
    def is_admin(self) -> bool:
        return self.type >= 1

    def privilege(self, name: str) -> list[str] | None:
        """Values of privilege ``name`` (``[]`` when present without a value), else None."""
        return self.parsed.get(name.lower())


def parse_privileges(text: str) -> dict[str, list[str]]:
    """``a:1,b,c:x/y,a:2`` → {'a': ['1', '2'], 'b': [], 'c': ['x', 'y']}; ``*`` stays ``*``."""
    out: dict[str, list[str]] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, value = part.partition(":")
        values = out.setdefault(name.strip().lower(), [])
        values.extend(v for v in value.split("/") if v)
    return out


# --- making -------------------------------------------------------------------------------------


def generate(
    secret: str,
    partner_id: int,
    *,
    version: int,
    type: int = USER,
    user_id: str = "",
    expiry: int = 86_400,
    privileges: str = "",
    now: float | None = None,
) -> str:
    unfit = unencodable_field(version, user_id, privileges)
    if unfit is not None:
        raise ValueError(f"a KS v{version} cannot carry ';' in {unfit}")
    valid_until = int(now if now is not None else time.time()) + expiry
    if version == 1:
        return _generate_v1(secret, partner_id, valid_until, type, user_id, privileges)
    return _generate_v2(secret, partner_id, valid_until, type, user_id, privileges)


def unencodable_field(version: int, user_id: str, privileges: str) -> str | None:
    """The field (``userId``, ``privileges``) a KS of ``version`` cannot carry, else None: v1
    separates its fields with ``;``, so one inside a field would shift the fields after it
    (``userId='x;setrole:1'`` would become privileges)."""
    if version != 1:
        return None
    return next((n for n, v in (("userId", user_id), ("privileges", privileges)) if ";" in v), None)


def _generate_v1(
    secret: str, partner_id: int, valid_until: int, type: int, user_id: str, privileges: str
) -> str:
    rand = secrets.randbelow(65_537)
    info = f"{partner_id};{partner_id};{valid_until};{type};{rand};{user_id};{privileges}"
    signature = hashlib.sha1((secret + info).encode()).hexdigest()
    return base64.b64encode(f"{signature}|{info}".encode()).decode()


def _generate_v2(
    secret: str, partner_id: int, valid_until: int, type: int, user_id: str, privileges: str
) -> str:
    fields: dict[str, str] = {}
    for part in privileges.split(","):
        part = part.strip()
        if not part:
            continue
        if part == "*":
            part = "all:*"
        name, _, value = part.partition(":")
        fields[name] = value
    fields.update({"_e": str(valid_until), "_t": str(type), "_u": user_id})
    encoded = urllib.parse.urlencode(fields).encode()
    rand = os.urandom(16)
    payload = hashlib.sha1(rand + encoded).digest() + rand + encoded
    payload += b"\0" * (-len(payload) % 16)
    cipher = AES.new(_v2_key(secret), AES.MODE_CBC, iv=b"\0" * 16).encrypt(payload)
    return base64.urlsafe_b64encode(_V2_PREFIX + str(partner_id).encode() + b"|" + cipher).decode()


def _v2_key(secret: str) -> bytes:
    return hashlib.sha1(secret.encode()).digest()[:16]


# --- reading ------------------------------------------------------------------------------------


def partner_of(ks: str) -> int:
    """The partner a KS claims to belong to, before any check of its signature."""
    raw = _decode(ks)
    if raw.startswith(_V2_PREFIX):
        partner = raw[len(_V2_PREFIX) :].split(b"|", 1)[0]
    else:
        info = raw.split(b"|", 1)[1] if b"|" in raw else b""
        partner = info.split(b";", 1)[0]
    try:
        return int(partner)
    except ValueError:
        raise KSError("INVALID_STR", "the KS names no partner") from None


def verify(ks: str, admin_secrets: Iterable[str], *, now: float | None = None) -> Session:
    """The session of ``ks`` if one of ``admin_secrets`` signed it and it has not expired."""
    raw = _decode(ks)
    session = None
    for secret in admin_secrets:
        session = _read_v2(raw, secret) if raw.startswith(_V2_PREFIX) else _read_v1(raw, secret)
        if session is not None:
            break
    if session is None:
        raise KSError("INVALID_STR", "the KS was not signed with this partner's secret")
    if session.valid_until <= (now if now is not None else time.time()):
        raise KSError("EXPIRED")
    return session


def _decode(ks: str) -> bytes:
    text = ks.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)  # clients may drop the padding
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KSError("INVALID_STR", "the KS is not base64") from None


def _read_v1(raw: bytes, secret: str) -> Session | None:
    signature, sep, info = raw.partition(b"|")
    if not sep:
        return None
    expected = hashlib.sha1(secret.encode() + info).hexdigest().encode()
    if not hmac.compare_digest(signature.lower(), expected):
        return None
    parts = info.decode("utf-8", "replace").split(";")
    if len(parts) < 4:
        return None
    parts += [""] * (9 - len(parts))
    try:
        return Session(
            partner_id=int(parts[0]),
            valid_until=int(parts[2]),
            type=int(parts[3]),
            user_id=parts[5],
            privileges=parts[6],
            version=1,
            master_partner_id=parts[7],
            additional_data=parts[8],
            parsed=parse_privileges(parts[6]),
        )
    except ValueError:
        return None


def _read_v2(raw: bytes, secret: str) -> Session | None:
    _, partner, cipher = raw.split(b"|", 2) if raw.count(b"|") >= 2 else (b"", b"", b"")
    if not cipher or len(cipher) % 16:
        return None
    plain = AES.new(_v2_key(secret), AES.MODE_CBC, iv=b"\0" * 16).decrypt(cipher).rstrip(b"\0")
    digest, rest = plain[:20], plain[20:]
    if len(plain) < 36 or not hmac.compare_digest(digest, hashlib.sha1(rest).digest()):
        return None
    fields: dict[str, str] = {}
    for name, value in urllib.parse.parse_qsl(rest[16:].decode("utf-8", "replace"), True):
        fields[name.replace(".", "_").replace(" ", "_")] = value  # as PHP's parse_str does
    reserved = {"_e", "_t", "_u", "_m", "_d"}
    privileges = ",".join(
        "*" if (n, v) == ("all", "*") else (f"{n}:{v}" if v else n)
        for n, v in fields.items()
        if n not in reserved
    )
    try:
        return Session(
            partner_id=int(partner),
            valid_until=int(fields.get("_e", "0")),
            type=int(fields.get("_t", "0")),
            user_id=fields.get("_u", ""),
            privileges=privileges,
            version=2,
            master_partner_id=fields.get("_m", ""),
            additional_data=fields.get("_d", ""),
            parsed=parse_privileges(privileges),
        )
    except ValueError:
        return None
