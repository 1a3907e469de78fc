"""A request's JSON object: its content type, its size and its syntax checked, each failure an
ApiError (415, 413 through the app's handler, 400)."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request

from vantage.api.errors import ApiError
from vantage.http_body import read_body


async def json_object(request: Request, limit: int) -> dict[str, Any]:
    """The body as a JSON object. A missing content type is taken as JSON (a bare
    ``curl -d`` sends form encoding instead, which is refused, as is anything but JSON)."""
    kind = request.headers.get("content-type")
    if kind is not None and not _is_json(kind):
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json")
    body = await read_body(request, limit)
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise ApiError(400, "INVALID_JSON", f"the body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ApiError(400, "INVALID_JSON", "the body must be a JSON object")
    return value


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def text_field(body: dict[str, Any], name: str) -> str:
    """A required non-empty string field (400 MISSING_PARAMETER, INVALID_PARAMETER)."""
    value = body.get(name)
    if value is None or value == "":
        raise ApiError(400, "MISSING_PARAMETER", f"{name} is missing", parameter=name)
    if not isinstance(value, str):
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be a string", parameter=name)
    return value


def flag_field(body: dict[str, Any], name: str) -> bool:
    """An optional boolean field, false when absent or null."""
    value = body.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be true or false", parameter=name)
    return value
