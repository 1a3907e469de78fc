"""The ASGI application: the store opened once, and every HTTP surface mounted on it."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from vantage import __version__
from vantage.access.directory import Directory
from vantage.admin import routes as admin_routes
from vantage.api.errors import ApiError, json_response
from vantage.collector import routes as collector_routes
from vantage.config import Settings
from vantage.http_body import BodyTooLarge
from vantage.ingest.store import Store
from vantage.jobs import report as report_job
from vantage.jobs.kinds import JobEnv, Kind
from vantage.jobs.runner import Runner
from vantage.kaltura.actions import Registry
from vantage.kaltura.routes import KalturaApi
from vantage.kaltura.services import analytics as analytics_service
from vantage.kaltura.services import report as report_service
from vantage.kaltura.services import report_export_job, report_exports, report_views
from vantage.kaltura.services import session as session_service
from vantage.kaltura.services import stats as stats_service
from vantage.microservice import routes as microservice_routes
from vantage.web import routes as web_routes

log = logging.getLogger(__name__)

GC_ALLOCATIONS = 50_000
"""Allocations (less deallocations) between collections of the youngest objects."""


def kaltura_registry(
    submit: report_export_job.Submit | None = None,
    job_files: report_exports.JobFiles | None = None,
) -> Registry:
    """Every Kaltura API action Vantage answers; report.exportToCsv once the job runner's
    ``submit`` is given, and report.serve serves the jobs' files ``job_files`` finds."""
    registry = Registry()
    session_service.register(registry)
    report_service.register(registry)
    report_views.register(registry)
    report_exports.register(registry, job_files)
    if submit is not None:
        report_export_job.register(registry, submit)
    analytics_service.register(registry)
    stats_service.register(registry)
    return registry


def job_kinds() -> dict[str, Kind]:
    """Every kind of job the server runs."""
    kinds = [
        report_job.KIND,
        report_export_job.EXPORT_KIND,
    ]
    return {kind.name: kind for kind in kinds}


async def _upkeep(store: Store, every_seconds: int) -> None:
    """The store's upkeep now and then, in bounded rounds one after another (DuckDB merges the
    player facts of past hours that commits fragmented; each round waits behind the beacons in
    flight and blocks nothing else)."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            while await asyncio.wrap_future(store.ingest.maintain()):
                pass
        except Exception:
            log.exception("the store's upkeep failed; the next round tries again")


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """The app; it opens the store at start-up unless one is given (and then leaves it open)."""
    opened = store or Store.open(settings)
    directory = Directory(opened.engine)
    runner = Runner(JobEnv(settings, opened, directory), job_kinds())

    async def health(request: Request) -> Response:
        return json_response(
            {
                "status": "ok",
                "version": __version__,
                "schemaVersion": opened.schema_version(),
            }
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # What start-up loaded (modules, the user-agent rules, the store) is never garbage:
        # frozen, collections skip it. And a request's few hundred objects are nearly all freed
        # by reference counting, but by default every 700 allocations set off a collection and
        # every 100th of those walks every live object (thousands of open connections' too):
        # about a fifth of a beacon's CPU at 2,000 connections; 2% at 50,000 allocations.
        gc.freeze()
        gc.set_threshold(GC_ALLOCATIONS)
        compacting = (
            asyncio.create_task(_upkeep(opened, settings.facts_compact_seconds))
            if settings.facts_compact_seconds > 0
            else None
        )
        await asyncio.to_thread(runner.start, settings.job_workers)
        yield
        if compacting is not None:
            compacting.cancel()
        await asyncio.to_thread(runner.stop)  # running jobs go back to pending, files whole
        if store is None:
            opened.close()

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response()

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return ApiError(exc.status_code, "HTTP_ERROR", str(exc.detail)).response()

    async def server_error(request: Request, exc: Exception) -> Response:
        return ApiError(500, "INTERNAL_ERROR", "the server failed; see its log").response()

    registry = kaltura_registry(runner.submit, report_export_job.job_files(runner))
    export_table = functools.partial(report_export_job.export_table, runner.submit)
    kaltura = KalturaApi(settings, opened, directory, registry)
    app = Starlette(
        routes=[
            Route("/healthz", health, methods=["GET"]),
            *collector_routes.routes(settings, opened, directory),
            *admin_routes.routes(settings, opened, directory),
            *kaltura.routes(),
            *microservice_routes.routes(settings, runner, directory),
            *web_routes.routes(settings, opened, directory, export_table),
        ],
        middleware=[Middleware(_Shortcut, api=kaltura)],
        exception_handlers={
            ApiError: api_error,
            BodyTooLarge: _body_too_large,
            HTTPException: http_error,
            500: server_error,
        },
        lifespan=lifespan,
    )
    app.state.jobs = runner  # tests run jobs through it
    app.state.directory = directory  # and see partners as the server does
    return app


async def _body_too_large(request: Request, exc: Exception) -> Response:
    return ApiError(413, "BODY_TOO_LARGE", str(exc)).response()


class _Shortcut:
    """Requests the Kaltura API takes past the router (``KalturaApi.takes``: where players send
    their beacons) go to it straight: the router and its layers of exception handling cost a
    fifth of a beacon's time. It answers them as its route does, and a body too large as the
    app's handler does; anything else raised reaches the app's server-error handler, as from
    a route."""

    def __init__(self, app: ASGIApp, api: KalturaApi) -> None:
        self._app = app
        self._api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._api.takes(scope):
            await self._app(scope, receive, send)
            return
        try:
            await self._api(scope, receive, send)
        except BodyTooLarge as exc:
            response = await _body_too_large(Request(scope, receive), exc)
            await response(scope, receive, send)
