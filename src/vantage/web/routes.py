"""The dashboard's routes, under /analytics. Each page and panel has a JSON twin: the same URL
with ``.json``, declared first so that the plain route does not take it as part of an id."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.jobs.table_export import QueueTable
from vantage.web.export import Exports, posted
from vantage.web.pages import Pages
from vantage.web.pdf import Pdfs
from vantage.web.signin import Gate

STATIC: dict[str, str] = {
    "htmx.min.js": "application/javascript",
    "htmx-LICENSE.txt": "text/plain; charset=utf-8",
    "dashboard.css": "text/css",
}
"""The vendored and own static files; htmx 2.0.4 (BSD Zero-Clause, its licence beside it)."""


def _static(request: Request) -> Response:
    name = request.path_params["name"]
    kind = STATIC.get(name)
    if kind is None:
        return Response("not found", 404, media_type="text/plain")
    body = resources.files("vantage.web").joinpath("static", name).read_bytes()
    return Response(body, media_type=kind, headers={"Cache-Control": "public, max-age=86400"})


def routes(
    settings: Settings, store: Store, directory: Directory, queue: QueueTable | None = None
) -> list[Route]:
    """The dashboard's routes; its pages' e-mail export queues jobs through ``queue`` (none:
    the export answers that this server sends no e-mail)."""
    gate = Gate(settings, directory)
    pages = Pages(store, gate, Exports(settings, gate, queue))
    pdfs = Pdfs(store, pages)  # a PDF is a download: a twin's sign-in rules (401, not 303)
    out = [
        Route("/analytics", pages.guarded(False, pages.home), methods=["GET"]),
        Route("/analytics.json", pages.guarded(True, pages.home), methods=["GET"]),
        Route("/analytics/sign-in", gate.form, methods=["GET"]),
        Route("/analytics/sign-in", gate.sign_in, methods=["POST"]),
        Route("/analytics/sign-out", gate.sign_out, methods=["POST"]),
        Route("/analytics/static/{name}", _static, methods=["GET"]),
    ]
    for kind in ("rooms", "categories"):
        base = f"/analytics/{kind}/{{id}}"
        out += [
            Route(
                f"{base}/panels/{{panel}}.json", pages.guarded(True, pages.panel), methods=["GET"]
            ),
            Route(f"{base}/panels/{{panel}}", pages.guarded(False, pages.panel), methods=["GET"]),
            Route(f"{base}/summary.pdf", pages.guarded(True, pdfs.summary), methods=["GET"]),
            Route(f"{base}.json", pages.guarded(True, pages.page), methods=["GET"]),
            Route(base, pages.guarded(False, pages.page), methods=["GET"]),
        ]
    report = pages.guarded(False, pages.report)
    export = posted(pages.guarded(False, pages.export))
    questions = pages.guarded(True, pdfs.interactions)
    for kind in ("rooms", "categories"):
        out.append(Route(f"/analytics/{kind}/{{id}}/reports/{{name}}.csv", report, methods=["GET"]))
        out.append(Route(f"/analytics/{kind}/{{id}}/export", export, methods=["POST"]))
        out.append(Route(f"/analytics/{kind}/{{id}}/interactions.pdf", questions, methods=["GET"]))
    return out
