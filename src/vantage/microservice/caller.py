"""Who calls: the KS of ``Authorization: Bearer <KS>`` (or ``ks`` in the body), checked as the
Kaltura API checks one (vantage.api.auth.from_ks), whose role must grant ``ANALYTICS_BASE``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from vantage.access.directory import Directory
from vantage.api.auth import ANALYTICS_BASE, Principal, from_ks
from vantage.api.errors import ApiError


def caller(request: Request, body: dict[str, Any], directory: Directory) -> Principal:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else body.get("ks")
    if not token or not isinstance(token, str):
        raise ApiError(
            401, "MISSING_KS", 'send a KS: Authorization: Bearer <KS>, or "ks" in the body'
        )
    principal = from_ks(token, request, directory)
    principal.require(ANALYTICS_BASE)
    return principal
