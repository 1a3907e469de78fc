"""A job as the Reports Microservice shows it, in camelCase."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vantage.jobs.model import COMPLETED, Job


def iso(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_of(job: Job) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sessionId": job.id,
        "status": job.state,
        "reportName": job.request.get("reportName"),
        "rowsWritten": job.rows_written,
        "createdAt": iso(job.created_at),
    }
    if job.started_at is not None:
        out["startedAt"] = iso(job.started_at)
    if job.state == COMPLETED and job.finished_at is not None:
        out["completedAt"] = iso(job.finished_at)
    if job.error is not None:
        out["error"] = job.error
    if job.expires_at is not None:
        out["expiresAt"] = iso(job.expires_at)
    if job.expired:
        out["expired"] = True
        if job.state == COMPLETED:
            out["error"] = "the report's file expired and was deleted; generate it again"
    return out
