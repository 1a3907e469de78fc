"""``vantage export``: pull a report CSV from any Kaltura-compatible service — this Vantage or
Kaltura's own — the way Kaltura's guides do it: ``session.start`` for a KS when given a secret,
then ``report.getCsvFromStringParams`` as a streamed GET.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Callable, Iterable
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
            return _copy(itertools.chain((first,), chunks), out, progress)
    except httpx.HTTPError as exc:
        raise ExportError(f"cannot reach {service.api}: {exc}") from None


def _copy(
    chunks: Iterable[bytes], out: BinaryIO, progress: Callable[[int, int], None] | None
) -> int:
    """Write a CSV's chunks to ``out`` as they come; return its rows (header excluded)."""
    size = lines = 0
    for chunk in chunks:
        out.write(chunk)
        size += len(chunk)
        lines += chunk.count(b"\n")
        if progress is not None:
            progress(size, max(0, lines - 1))
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


# --- reports by name: Kaltura's Reports Microservice -----------------------------------------


def reports_root(url: str) -> str:
    """The Reports Microservice's root from its URL or the service's (``…/api_v3`` dropped)."""
    root = url.strip().rstrip("/").removesuffix("/api_v3")
    if not root.startswith(("http://", "https://")):
        raise ExportError(f"the reports URL must start with http:// or https://: {url!r}")
    return root


def generate_report(
    client: httpx.Client, root: str, ks: str, name: str, parameters: dict[str, object]
) -> str:
    """The sessionId of a new report job."""
    body: dict[str, object] = {"reportName": name, "reportParameters": parameters}
    answer = _report_call(client, root, "generate", ks, body)
    session = answer.json().get("sessionId") if isinstance(answer.json(), dict) else None
    if not isinstance(session, str):
        raise ExportError(f"generate answered no sessionId: {answer.text[:200]!r}")
    return session


def wait_report(
    client: httpx.Client,
    root: str,
    ks: str,
    session: str,
    every_s: float = 2.0,
    on_status: Callable[[dict[str, object]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll the job's status until it is completed (ExportError when it failed)."""
    while True:
        status = _report_call(client, root, "serve", ks, {"sessionId": session, "statusOnly": True})
        found = status.json()
        if on_status is not None:
            on_status(found)
        if found.get("status") == "completed":
            return
        if found.get("status") == "failed":
            raise ExportError(f"the report failed: {found.get('error')}", "REPORT_FAILED")
        sleep(every_s)


def download_report(
    client: httpx.Client,
    root: str,
    ks: str,
    session: str,
    out: BinaryIO,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Stream a completed job's CSV into ``out``; return its rows (header excluded)."""
    url = f"{root}/api/v1/report/serve"
    headers = {"Authorization": f"Bearer {ks}"}
    try:
        with client.stream("POST", url, json={"sessionId": session}, headers=headers) as answer:
            if answer.status_code >= 400:
                answer.read()
                raise _report_error(answer)
            return _copy(answer.iter_bytes(), out, progress)
    except httpx.HTTPError as exc:
        raise ExportError(f"cannot reach {root}: {exc}") from None


def _report_call(
    client: httpx.Client, root: str, action: str, ks: str, body: dict[str, object]
) -> httpx.Response:
    answer = _call(
        client,
        "POST",
        f"{root}/api/v1/report/{action}",
        json=body,
        headers={"Authorization": f"Bearer {ks}"},
    )
    if answer.status_code >= 400:
        raise _report_error(answer)
    try:
        answer.json()
    except ValueError:
        raise ExportError(f"{action} did not answer JSON: {answer.text[:200]!r}") from None
    return answer


def _report_error(answer: httpx.Response) -> ExportError:
    """The Reports Microservice's JSON error, else the HTTP status and the body's start."""
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        error = answer.json()["error"]
        code, message = str(error["code"]), str(error["message"])
        return ExportError(f"{code}: {message}", code)
    return ExportError(f"the service answered HTTP {answer.status_code}: {answer.text[:200]}")
