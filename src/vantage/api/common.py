"""What the JSON APIs share: error answers, body reading with a size cap, partner auth.

A caller is a :class:`Principal`: its partner, the permissions of its role and whether it is a
full administrator. Each endpoint declares the permission it needs; :data:`FULL_ADMIN` (seeing
and setting secrets) is granted only to HTTP Basic with an admin secret and to an admin KS
without ``setrole`` whose role grants ``*``, never to a KS that picked its role.
"""

from __future__ import annotations

import base64
import binascii
import math
import time
from dataclasses import dataclass
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from vantage.api.directory import Directory, PartnerAccess
from vantage.config import Settings
from vantage.kaltura import auth
from vantage.kaltura.errors import APIException
from vantage.storable import EARLIEST_UNIX, INT64_MAX, LATEST_UNIX

ANALYTICS_BASE = "ANALYTICS_BASE"
"""Read entities and events (Kaltura's permission for reading analytics)."""
CONTENT_MANAGE = "CONTENT_MANAGE_BASE"
"""Write and delete entities other than partners."""
CONTENT_INGEST = "CONTENT_INGEST_BASE"
"""Send room events."""
FULL_ADMIN = "*"
"""See and write partners' secrets (and so write partners)."""


class ApiError(Exception):
    """An answer other than success: status, a stable code, a message and optional details."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self) -> Response:
        body = {"error": {"code": self.code, "message": self.message, **self.details}}
        headers = {"WWW-Authenticate": 'Basic realm="vantage"'} if self.status == 401 else None
        return json_response(body, self.status, headers)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        msgspec.json.encode(body), status, headers=headers, media_type="application/json"
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "BODY_TOO_LARGE", f"the request body is larger than {limit} bytes")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the partner, its role's permissions, whether it is a full admin."""

    partner: PartnerAccess
    permissions: frozenset[str]
    full_admin: bool

    def may(self, permission: str) -> bool:
        if permission == FULL_ADMIN:
            return self.full_admin
        return auth.grants(self.permissions, permission)

    def require(self, permission: str) -> PartnerAccess:
        """The partner, or 403 PERMISSION_DENIED unless the caller has ``permission``."""
        if not self.may(permission):
            needed = "a full administrator" if permission == FULL_ADMIN else permission
            raise ApiError(403, "PERMISSION_DENIED", f"this needs {needed}")
        return self.partner


def authenticate(request: Request, directory: Directory, settings: Settings) -> Principal:
    """The caller, from an admin KS (``Authorization: KS <ks>`` or ``?ks=``) or from HTTP Basic
    auth with the partner id as user name and an admin secret as password."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    token = value.strip() if scheme.lower() == "ks" else request.query_params.get("ks")
    if token:
        return _from_ks(token, request, directory)
    if scheme.lower() != "basic" or not value:
        raise ApiError(
            401,
            "MISSING_CREDENTIALS",
            "send an admin KS (Authorization: KS <ks>) or the partner id and an admin secret "
            "with HTTP Basic auth",
        )
    try:
        user, _, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        partner_id = int(user)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(401, "INVALID_CREDENTIALS", "malformed HTTP Basic credentials") from None
    guesser, now = (partner_id, _client(request)), int(time.time())
    if directory.failed_secrets.blocked(guesser, now, settings.max_failed_secrets):
        raise ApiError(429, "TOO_MANY_FAILURES", "too many wrong secrets; try again in a minute")
    partner = directory.authenticate(partner_id, secret)
    if partner is None:
        if directory.partner(partner_id) is not None:
            directory.failed_secrets.fail(guesser, now)
        raise ApiError(401, "INVALID_CREDENTIALS", "unknown partner or wrong admin secret")
    return Principal(partner, frozenset({FULL_ADMIN}), full_admin=True)


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _from_ks(token: str, request: Request, directory: Directory) -> Principal:
    """The KS checked as the Kaltura API checks it: signature, expiry, IP and URI
    restrictions, actions limit, blocked partner."""
    where = auth.RequestInfo(
        _client(request),
        request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )
    try:
        session, partner = auth.verify(token, directory, where, directory.ks_uses, int(time.time()))
    except APIException as exc:
        reason = exc.arguments.get("ERR_DESC") if exc.arguments.get("KSID") == token else None
        detail = reason or exc.arguments.get("KSID") or exc.code
        raise ApiError(401, "INVALID_KS", f"invalid KS: {detail}") from None
    if not session.is_admin:
        raise ApiError(403, "ADMIN_KS_REQUIRED", "this API needs an admin KS (type 2)")
    granted = auth.session_permissions(session, partner)
    chosen = auth.raw_privilege(session.privileges, "setrole") is not None
    return Principal(partner, granted, full_admin=FULL_ADMIN in granted and not chosen)




def int_param(value: str, name: str, low: int, high: int | None) -> int:
    """A whole-number request parameter within bounds (at most 2^63 − 1), else 400
    INVALID_PARAMETER."""
    high = INT64_MAX if high is None else high
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be an integer") from None
    if not low <= number <= high:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be between {low} and {high}")
    return number


def float_param(value: str | None, name: str) -> float | None:
    """Unix seconds (fractions allowed) of a date Python can hold, else 400 INVALID_PARAMETER."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not EARLIEST_UNIX <= number <= LATEST_UNIX:  # NaN fails too
        raise ApiError(
            400,
            "INVALID_PARAMETER",
            f"{name} must be unix seconds between {EARLIEST_UNIX} and {LATEST_UNIX}",
        )
    return number
