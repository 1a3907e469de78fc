"""``vantage export``: pull a report CSV from any Kaltura-compatible service — this Vantage or
Kaltura's own — the way Kaltura's guides do it: ``session.start`` for a KS when given a secret,
then ``report.getCsvFromStringParams`` as a streamed GET.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import httpx

REGIONS = {"us": "https://www.kaltura.com", "eu": "https://api.eu.kaltura.com"}
ADMIN = 2
KS_EXPIRY_S = 3_600

# What a person can do about each Kaltura error.
HINTS = {
    "INVALID_KS": "the KS was refused: it expired, or belongs to another partner or service",
    "MISSING_KS": "no KS was sent: give --ks, or --partner-id with --admin-secret",
    "SERVICE_FORBIDDEN": "this KS may not run reports: use an admin KS (type 2) or a role with "
    "ANALYTICS_BASE",
    "START_SESSION_ERROR": "the partner id or admin secret is wrong, or the partner is blocked",
    "REPORT_NOT_FOUND": "this service has no report with that id",
    "MISSING_MANDATORY_PARAMETER": "the report needs a parameter that was not given",
}


class ExportError(Exception):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Service:
    """The API v3 root of a service, e.g. ``https://www.kaltura.com/api_v3``."""

    api: str

    @classmethod
    def at(cls, url: str) -> Service:
        root = url.strip().rstrip("/")
        if root.endswith("/api_v3"):
            root = root[: -len("/api_v3")]
        if not root.startswith(("http://", "https://")):
            raise ExportError(f"the service URL must start with http:// or https://: {url!r}")
        return cls(root + "/api_v3")


def start_session(client: httpx.Client, service: Service, partner_id: int, secret: str) -> str:
    """An admin KS for the partner, from ``session.start``."""
    answer = _call(
        client,
        "POST",
        f"{service.api}/service/session/action/start",
        data={
            "format": "1",
            "secret": secret,
            "partnerId": str(partner_id),
            "type": str(ADMIN),
            "expiry": str(KS_EXPIRY_S),
        },
    )
    try:
        result = answer.json()
    except ValueError:
        raise ExportError(f"session.start did not answer JSON: {answer.text[:200]!r}") from None
    _raise_if_error(result)
    if not isinstance(result, str):
        raise ExportError(f"session.start answered {result!r}, not a KS")
    return result


def download(
    client: httpx.Client,
    service: Service,
    ks: str,
    report_id: int,
    params: str,
    excluded_fields: str | None,
    out: BinaryIO,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Stream the report's CSV into ``out``; return its rows (header excluded)."""
    query = {"format": "1", "id": str(report_id), "params": params, "ks": ks}
    if excluded_fields:
        query["excludedFields"] = excluded_fields
    url = f"{service.api}/service/report/action/getCsvFromStringParams"
    try:
        with client.stream("GET", url, params=query) as answer:
            _check_file_answer(answer)
            chunks = answer.iter_bytes()
            first = next(chunks, b"")
            if _looks_like_error(first):
                _raise_error_body(first + b"".join(chunks))
            size = lines = 0
            for chunk in itertools.chain((first,), chunks):
                out.write(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
                if progress is not None:
                    progress(size, max(0, lines - 1))
    except httpx.HTTPError as exc:
        raise ExportError(f"cannot reach {service.api}: {exc}") from None
    return max(0, lines - 1)


def _call(client: httpx.Client, method: str, url: str, **kw: object) -> httpx.Response:
    try:
        return client.request(method, url, **kw)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        raise ExportError(f"cannot reach {url}: {exc}") from None


def _check_file_answer(answer: httpx.Response) -> None:
    """Errors inside a file action come back as headers over an empty body (Kaltura's way)."""
    marker = answer.headers.get("X-Kaltura", "")
    if marker.startswith("error"):
        code = marker.split("-", 1)[1].strip() if "-" in marker else marker
        detail = answer.headers.get("X-Kaltura-App", "")
        message = detail.split(" - ", 1)[1] if " - " in detail else detail
        raise _error(code, message)
    if answer.status_code >= 400:
        answer.read()
        raise ExportError(f"the service answered HTTP {answer.status_code}: {answer.text[:200]}")


def _looks_like_error(head: bytes) -> bool:
    """Errors before the action (KS, permission) come back as an API error object."""
    head = head.lstrip()
    return (head.startswith(b"{") and b"KalturaAPIException" in head) or (
        head.startswith(b"<?xml") and b"<error>" in head
    )


def _raise_error_body(body: bytes) -> None:
    with contextlib.suppress(ValueError):
        _raise_if_error(json.loads(body))
    raise ExportError(f"the service answered an error: {body[:300].decode(errors='replace')}")


def _raise_if_error(result: object) -> None:
    if isinstance(result, dict) and result.get("objectType") == "KalturaAPIException":
        raise _error(str(result.get("code")), str(result.get("message")))


def _error(code: str, message: str) -> ExportError:
    hint = HINTS.get(code)
    text = f"{code}: {message}" + (f"\n  ({hint})" if hint else "")
    return ExportError(text, code)
