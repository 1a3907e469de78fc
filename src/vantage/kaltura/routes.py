"""The Kaltura API v3 endpoints: ``/api_v3/index.php[/<pairs>]`` and ``/api_v3/service/<pairs>``,
GET and POST, single calls and multirequests. HTTP status is 200 for API errors, as in Kaltura.

Every answer allows any origin (CORS), and a preflight ``OPTIONS`` is answered, because browsers
call the API from other origins: players post their beacons (analytics.trackEvent) from the page
that embeds them. Nothing is sent with credentials (the KS is a parameter), so ``*`` is safe.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.http_body import read_body
from vantage.ingest.store import Store
from vantage.kaltura import errors, multirequest, params, render
from vantage.kaltura.actions import Registry
from vantage.kaltura.auth import RequestInfo
from vantage.kaltura.dispatch import Dispatcher
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import DieError, FileResult
from vantage.kaltura.services import analytics
from vantage.player.enrich import Enricher

PATHS = ("/api_v3/index.php", "/api_v3/index.php/{pairs:path}", "/api_v3/service/{pairs:path}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT_MAX_AGE = 86_400
log = logging.getLogger(__name__)


def routes(
    settings: Settings, store: Store, directory: Directory, registry: Registry
) -> list[Route]:
    """The endpoint's routes, for an app that takes no shortcut to it."""
    return KalturaApi(settings, store, directory, registry).routes()


class KalturaApi:
    """The ``/api_v3`` endpoint, an ASGI app of its own: its routes use it, and so may a
    shortcut past the router for ``/api_v3/index.php`` (``takes``), where players send their
    beacons thousands of times a second."""

    def __init__(
        self, settings: Settings, store: Store, directory: Directory, registry: Registry
    ) -> None:
        self._settings = settings
        self._dispatcher = Dispatcher(
            registry, directory, store, settings, Enricher.from_settings(settings)
        )

    def routes(self) -> list[Route]:
        return [Route(p, self, methods=["GET", "POST"]) for p in PATHS] + [
            Route(p, _preflight, methods=["OPTIONS"]) for p in PATHS
        ]

    @staticmethod
    def takes(scope: Scope) -> bool:
        """Whether the request is one this app answers as its route would: a GET or POST of
        ``/api_v3/index.php`` itself."""
        return (
            scope["type"] == "http"
            and scope["path"] == PATHS[0]
            and scope["method"] in ("GET", "POST")
            and not scope.get("root_path")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self._answer(Request(scope, receive))
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        started, now = time.perf_counter(), int(time.time())
        settings = self._settings
        body = (
            await read_body(request, settings.max_body_bytes) if request.method == "POST" else b""
        )
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        path = raw_path.decode("latin-1")
        query = request.scope.get("query_string", b"")
        headers = request.headers
        tree = params.collect(
            content_type=headers.get("content-type"), body=body, query=query, path=path
        )
        try:
            fmt = render.response_format(params.text(tree, "format"))
        except APIException as exc:
            return _die(DieError(exc))
        uri = path + ("?" + query.decode("latin-1") if query else "")
        info = RequestInfo(
            request.client.host if request.client else "",
            uri,
            headers.get("user-agent", ""),
            # a beacon calls nothing back, and working the base URL out costs 5% of one
            "" if analytics.is_called(tree) else str(request.base_url).rstrip("/"),
        )
        if (params.text(tree, "service") or "").lower() == "multirequest":
            each = replace(info, in_multirequest=True)
            dispatcher = self._dispatcher
            outcome: Any = await multirequest.run(
                tree, lambda t: dispatcher.call(t, each, now), settings.max_multirequest_calls
            )
            multi = isinstance(outcome, list)
        else:
            outcome, multi = await self._dispatcher.call(tree, info, now), False
        return _respond(outcome, multi, fmt, tree, time.perf_counter() - started)


async def _preflight(request: Request) -> Response:
    asked = request.headers.get("access-control-request-headers") or "Content-Type"
    headers = {
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": asked,
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
    }
    return Response(status_code=204, headers=_safe(headers))


def _respond(
    outcome: Any, multi: bool, fmt: render.Format, tree: params.Tree, elapsed: float
) -> Response:
    if isinstance(outcome, FileResult):
        headers = {**outcome.headers, "Content-Type": outcome.content_type}  # as given, no charset
        if isinstance(outcome.chunks, list | tuple):  # known in full: sent with its length
            return Response(b"".join(outcome.chunks), headers=_safe(headers))
        return StreamingResponse(outcome.chunks, headers=_safe(headers))
    if isinstance(outcome, DieError):
        return _die(outcome)
    ignore_null = tree.get("ignoreNull") in ("1", True)
    try:
        if multi:
            content = render.multi_document(outcome, fmt, elapsed=elapsed, ignore_null=ignore_null)
        else:
            content = render.document(outcome, fmt, elapsed=elapsed, ignore_null=ignore_null)
    except Exception:  # a handler answered something no format can carry
        log.exception("cannot serialise the answer")
        outcome, multi = errors.INTERNAL_SERVERL_ERROR(), False
        content = render.document(outcome, fmt, elapsed=elapsed, ignore_null=ignore_null)
    headers = {"Content-Type": params.text(tree, "content-type") or fmt.value}
    for item in outcome if multi else [outcome]:
        if isinstance(item, APIException):
            headers.update(item.headers)
    return Response(content, headers=_safe(headers))


def _die(die: DieError) -> Response:
    return Response(b"", headers=_safe(die.headers))


def _safe(headers: Mapping[str, str]) -> dict[str, str]:
    """Header values without line breaks (they may echo request input) and in latin-1, with
    the CORS header every answer carries."""
    return {
        k: _CONTROL.sub(" ", v).encode("latin-1", "replace").decode("latin-1")
        for k, v in {**headers, **_CORS}.items()
    }
