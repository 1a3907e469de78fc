"""What the JSON APIs share: error answers, body reading with a size cap, partner auth."""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from vantage.api.directory import Directory, PartnerAccess
from vantage.kaltura import auth
from vantage.kaltura.errors import APIException


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


def authenticate(request: Request, directory: Directory) -> PartnerAccess:
    """The calling partner, from an admin KS (``Authorization: KS <ks>`` or ``?ks=``) or from
    HTTP Basic auth with the partner id as user name and an admin secret as password."""
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
        user, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        partner_id = int(user)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(401, "INVALID_CREDENTIALS", "malformed HTTP Basic credentials") from None
    partner = directory.authenticate(partner_id, secret)
    if partner is None:
        raise ApiError(401, "INVALID_CREDENTIALS", "unknown partner or wrong admin secret")
    return partner


def _from_ks(token: str, request: Request, directory: Directory) -> PartnerAccess:
    """The KS checked as the Kaltura API checks it: signature, expiry, IP and URI
    restrictions, actions limit, blocked partner."""
    where = auth.RequestInfo(
        request.client.host if request.client else "",
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
    return partner


def int_param(value: str, name: str, low: int, high: int | None) -> int:
    """A whole-number request parameter within bounds, else 400 INVALID_PARAMETER."""
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be an integer") from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be {bound}")
    return number


def float_param(value: str | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be unix seconds") from None
