"""How the JSON APIs answer: JSON bodies, and errors as a status, a stable code and a message."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.responses import Response


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
