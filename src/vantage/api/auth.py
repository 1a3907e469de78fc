"""Who calls the JSON APIs and what they may do.

A caller is a :class:`Principal`: its partner, the permissions of its role and whether it is a
full administrator. Each endpoint declares the permission it needs; :data:`FULL_ADMIN` (seeing
and setting secrets) is granted only to HTTP Basic with an admin secret and to an admin KS
without ``setrole`` whose role grants ``*``, never to a KS that picked its role.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass

from starlette.requests import Request

from vantage.access import ks_checks
from vantage.access.directory import Directory, PartnerAccess
from vantage.access.ks import KSError, Session
from vantage.access.roles import grants, session_permissions
from vantage.api.errors import ApiError
from vantage.config import Settings

ANALYTICS_BASE = "ANALYTICS_BASE"
"""Read entities and events (Kaltura's permission for reading analytics)."""
CONTENT_MANAGE = "CONTENT_MANAGE_BASE"
"""Write and delete entities other than partners."""
CONTENT_INGEST = "CONTENT_INGEST_BASE"
"""Send room events."""
FULL_ADMIN = "*"
"""See and write partners' secrets (and so write partners)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the partner, its role's permissions, whether it is a full admin."""

    partner: PartnerAccess
    permissions: frozenset[str]
    full_admin: bool
    session: Session | None = None
    """The KS's session; None for HTTP Basic."""

    def may(self, permission: str) -> bool:
        if permission == FULL_ADMIN:
            return self.full_admin
        return grants(self.permissions, permission)

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
        return from_ks(token, request, directory)
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
    partner = by_secret(partner_id, secret, _client(request), directory, settings)
    return Principal(partner, frozenset({FULL_ADMIN}), full_admin=True)


def by_secret(
    partner_id: int, secret: str, client: str, directory: Directory, settings: Settings
) -> PartnerAccess:
    """The partner whose admin secret ``secret`` is; each wrong one counts against the client
    (429 TOO_MANY_FAILURES past ``max_failed_secrets`` a minute, the secret then unchecked)."""
    guesser, now = (partner_id, client), int(time.time())
    if directory.failed_secrets.blocked(guesser, now, settings.max_failed_secrets):
        raise ApiError(429, "TOO_MANY_FAILURES", "too many wrong secrets; try again in a minute")
    partner = directory.authenticate(partner_id, secret)
    if partner is None:
        if directory.partner(partner_id) is not None:
            directory.failed_secrets.fail(guesser, now)
        raise ApiError(401, "INVALID_CREDENTIALS", "unknown partner or wrong admin secret")
    return partner


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def from_ks(token: str, request: Request, directory: Directory) -> Principal:
    """The KS checked as the Kaltura API checks it: signature, expiry, IP and URI
    restrictions, actions limit, blocked partner."""
    uri = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    try:
        session, partner = ks_checks.verify(
            token, directory, _client(request), lambda: [uri], directory.ks_uses, int(time.time())
        )
    except KSError as exc:
        raise ApiError(401, "INVALID_KS", f"invalid KS: {exc.reason}") from None
    if not session.is_admin:
        raise ApiError(403, "ADMIN_KS_REQUIRED", "this API needs an admin KS (type 2)")
    granted = session_permissions(session, partner)
    chosen = ks_checks.raw_privilege(session.privileges, "setrole") is not None
    return Principal(partner, granted, FULL_ADMIN in granted and not chosen, session)
