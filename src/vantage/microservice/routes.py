"""The Reports Microservice's routes, on report jobs.

``POST /api/v1/report/generate``  ``{"reportName", "reportParameters"}`` → ``{"sessionId"}``
``POST /api/v1/report/serve``     ``{"sessionId", "statusOnly": true}`` → the status; without
                                  ``statusOnly`` the CSV once completed
``POST /api/v1/report/cancel``    ``{"sessionId"}`` → the status after cancelling
``GET  /api/v1/report/openapi.json``

Everything is checked before a job is stored: a bad request is a 400 (or 401, 403), never a
failed job. Another partner's job is answered as an unknown one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from vantage.access.directory import Directory
from vantage.analytics.catalog import CatalogError
from vantage.api.auth import Principal
from vantage.api.errors import ApiError, json_response
from vantage.config import Settings
from vantage.jobs import report
from vantage.jobs.model import COMPLETED, FAILED, Job
from vantage.jobs.runner import Runner, TooManyJobs
from vantage.microservice.body import flag_field, json_object, text_field
from vantage.microservice.caller import caller
from vantage.microservice.openapi import SPEC
from vantage.microservice.status import status_of

log = logging.getLogger(__name__)

PREFIX = "/api/v1/report"
CHUNK = 256 * 1024
_CATALOG_STATUS = {"UNKNOWN_REPORT": 400, "MISSING_PARAMETER": 400, "INVALID_PARAMETER": 400}


def routes(settings: Settings, runner: Runner, directory: Directory) -> list[Route]:
    async def called(request: Request) -> tuple[dict[str, Any], Principal]:
        body = await json_object(request, settings.max_body_bytes)
        return body, caller(request, body, directory)

    async def generate(request: Request) -> Response:
        body, principal = await called(request)
        name = text_field(body, "reportName")
        parameters = body.get("reportParameters")
        descriptive = flag_field(body, "descriptiveHeaders")
        session = principal.session
        assert session is not None  # the caller is always a KS here
        granted = frozenset(session.privilege("virtualeventid") or ())
        partner = principal.partner.id
        job_request = _prepared(
            name, {} if parameters is None else parameters, partner, granted, descriptive
        )
        try:
            job = await asyncio.to_thread(
                runner.submit, report.NAME, partner, session.user_id, job_request
            )
        except TooManyJobs as exc:
            raise ApiError(429, "TOO_MANY_JOBS", f"{exc}; wait for some to finish") from None
        return json_response({"sessionId": job.id})

    async def job_of(request: Request) -> tuple[dict[str, Any], Job]:
        body, principal = await called(request)
        session_id = text_field(body, "sessionId")
        job = await asyncio.to_thread(runner.get, session_id, principal.partner.id)
        if job is None or job.kind != report.NAME:
            raise ApiError(404, "SESSION_NOT_FOUND", "no report job has this sessionId")
        return body, job

    async def serve(request: Request) -> Response:
        body, job = await job_of(request)
        if flag_field(body, "statusOnly"):
            return json_response(status_of(job))
        return _download(runner, job)

    async def cancel(request: Request) -> Response:
        _, job = await job_of(request)
        cancelled = await asyncio.to_thread(runner.cancel, job.id, job.partner_id)
        return json_response(status_of(cancelled or job))

    async def openapi(request: Request) -> Response:
        return json_response(SPEC)

    return [
        Route(f"{PREFIX}/generate", generate, methods=["POST"]),
        Route(f"{PREFIX}/serve", serve, methods=["POST"]),
        Route(f"{PREFIX}/cancel", cancel, methods=["POST"]),
        Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
    ]


def _prepared(
    name: str, parameters: object, partner: int, granted: frozenset[str], descriptive: bool
) -> dict[str, Any]:
    try:
        return report.request_of(name, parameters, frozenset({partner}), granted, descriptive)
    except CatalogError as exc:
        status = _CATALOG_STATUS.get(exc.code, 403)
        code = exc.code if status == 400 else "PERMISSION_DENIED"
        extra = {"parameter": exc.param} if exc.param else {}
        raise ApiError(status, code, str(exc), **extra) from None
    except (TypeError, ValueError, KeyError, AttributeError):
        # The catalog should have said CatalogError; still the caller's input, not our failure.
        log.warning("the catalog refused %r without a CatalogError", name, exc_info=True)
        raise ApiError(
            400,
            "INVALID_PARAMETER",
            "reportParameters are not valid for this report",
            parameter="reportParameters",
        ) from None


def _download(runner: Runner, job: Job) -> Response:
    if job.state == FAILED:
        raise ApiError(
            409, "REPORT_FAILED", f"the report failed: {job.error}", reportStatus=job.state
        )
    if job.state != COMPLETED:
        raise ApiError(
            409,
            "REPORT_NOT_READY",
            f"the report is {job.state}; ask again later",
            reportStatus=job.state,
        )
    expired = ApiError(410, "REPORT_EXPIRED", "the report's file expired; generate it again")
    if job.expired:
        raise expired
    try:
        # Opened now: a sweep that deletes it later cannot cut the download short.
        fh = open(runner.path_of(job), "rb")  # noqa: SIM115 (closed by _chunks)
    except FileNotFoundError:
        raise expired from None
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(job.request.get("reportName", "report")))
    headers = {
        "Content-Disposition": f'attachment; filename="{name}-{job.id}.csv"',
        "Content-Length": str(os.fstat(fh.fileno()).st_size),
    }
    return StreamingResponse(_chunks(fh), media_type="text/csv; charset=utf-8", headers=headers)


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk
