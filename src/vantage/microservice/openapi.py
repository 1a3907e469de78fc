"""The Reports Microservice described as OpenAPI 3.1, served at
``GET /api/v1/report/openapi.json``: every route, body, answer and error code."""

from __future__ import annotations

from typing import Any

_ERRORS = {
    400: "INVALID_JSON, MISSING_PARAMETER, INVALID_PARAMETER (naming `parameter`), UNKNOWN_REPORT",
    401: "MISSING_KS, INVALID_KS (unreadable, wrong signature, expired, restricted)",
    403: "ADMIN_KS_REQUIRED, PERMISSION_DENIED (the role lacks ANALYTICS_BASE, or the KS lacks "
    "the virtualeventid privilege a report needs)",
    413: "BODY_TOO_LARGE",
    405: "HTTP_ERROR (another method)",
    415: "UNSUPPORTED_MEDIA_TYPE (the body must be application/json)",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*extra: tuple[int, str]) -> dict[str, Any]:
    found = {**_ERRORS, **dict(extra)}
    return {str(status): _json(_ref("Error"), codes) for status, codes in sorted(found.items())}


def _post(summary: str, body: str, answers: dict[str, Any], *extra: tuple[int, str]) -> Any:
    return {
        "post": {
            "summary": summary,
            "security": [{"ks": []}],
            "requestBody": {"required": True, **_json(_ref(body), body)},
            "responses": {**answers, **_errors(*extra)},
        }
    }


_NOT_FOUND = (404, "SESSION_NOT_FOUND (unknown, or another partner's)")

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Vantage Reports Microservice",
        "version": "1",
        "description": "Kaltura's Reports Microservice: generate a report as a job, poll its "
        "status, download its CSV. See docs/reports-microservice.md.",
    },
    "paths": {
        "/api/v1/report/generate": _post(
            "Store a report job; answers its sessionId",
            "GenerateRequest",
            {"200": _json(_ref("Generated"), "the job is stored durably and pending")},
            (429, "TOO_MANY_JOBS (100 of the partner's jobs are pending or in progress)"),
        ),
        "/api/v1/report/serve": _post(
            "The job's status (statusOnly) or its CSV file",
            "ServeRequest",
            {
                "200": {
                    "description": "the status with statusOnly, else the CSV file",
                    "content": {
                        "application/json": {"schema": _ref("Status")},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                }
            },
            _NOT_FOUND,
            (409, "REPORT_NOT_READY (pending, in_progress: see reportStatus), REPORT_FAILED"),
            (410, "REPORT_EXPIRED (the file was deleted after job_keep_days)"),
        ),
        "/api/v1/report/cancel": _post(
            "Cancel a pending or running job (it becomes failed, error cancelled)",
            "SessionRequest",
            {"200": _json(_ref("Status"), "the status after cancelling")},
            _NOT_FOUND,
        ),
        "/api/v1/report/openapi.json": {
            "get": {
                "summary": "This description",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "ks": {
                "type": "http",
                "scheme": "bearer",
                "description": "A Kaltura admin KS whose role grants ANALYTICS_BASE (or `ks` in "
                "the body)",
            }
        },
        "schemas": {
            "GenerateRequest": {
                "type": "object",
                "required": ["reportName"],
                "properties": {
                    "reportName": {"type": "string", "description": "see reports.md#report-names"},
                    "reportParameters": {"type": "object"},
                    "descriptiveHeaders": {"type": "boolean", "default": False},
                    "ks": {"type": "string"},
                },
            },
            "SessionRequest": {
                "type": "object",
                "required": ["sessionId"],
                "properties": {"sessionId": {"type": "string"}, "ks": {"type": "string"}},
            },
            "ServeRequest": {
                "allOf": [
                    _ref("SessionRequest"),
                    {"properties": {"statusOnly": {"type": "boolean", "default": False}}},
                ]
            },
            "Generated": {
                "type": "object",
                "required": ["sessionId"],
                "properties": {"sessionId": {"type": "string"}},
            },
            "Status": {
                "type": "object",
                "required": ["sessionId", "status", "reportName", "rowsWritten", "createdAt"],
                "properties": {
                    "sessionId": {"type": "string"},
                    "status": {
                        "type": "string",
                        "enum": ["pending", "in_progress", "completed", "failed"],
                    },
                    "reportName": {"type": "string"},
                    "rowsWritten": {"type": "integer"},
                    "createdAt": {"type": "string", "format": "date-time"},
                    "startedAt": {"type": "string", "format": "date-time"},
                    "completedAt": {"type": "string", "format": "date-time"},
                    "expiresAt": {"type": "string", "format": "date-time"},
                    "expired": {"type": "boolean"},
                    "error": {"type": "string"},
                },
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "parameter": {"type": "string"},
                            "reportStatus": {"type": "string"},
                        },
                    }
                },
            },
        },
    },
}
