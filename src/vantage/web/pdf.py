"""The dashboard's PDFs: "Download Report" (a page's panels, printed) and the interactions'
questions and answers. Each is the panels' own fragments (the registry of web/panels.py, their
templates) in a print frame (templates/report.html, static/report.css), laid out by WeasyPrint:
vector text and the server's own SVG charts, no number recomputed. A panel joins the report by
being registered. Like a JSON twin, a PDF is a download: a KS link answers it directly, and
without a session it answers 401."""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping
from importlib import resources

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from vantage.ingest.store import Store
from vantage.web import render
from vantage.web.errors import WebError
from vantage.web.pages import Asked, Pages, fragment
from vantage.web.panels import PANELS, Panel
from vantage.web.viewer import Viewer

log = logging.getLogger(__name__)
# WeasyPrint warns of each SVG property of the page's stylesheet on every report (it styles an
# SVG by the SVG's own <style> only): what is worth telling is an error
logging.getLogger("weasyprint").setLevel(logging.ERROR)
STYLES = ("dashboard.css", "report.css")  # the page's look, then the printed page's changes
SAME = "The page and its JSON twin show the same numbers."
UNAVAILABLE = (
    "PDFs cannot be made on this server: WeasyPrint or the pango library it needs is missing "
    f"(see the dashboard's documentation). {SAME}"
)
FAILED = f"The PDF could not be made. {SAME}"
BUSY = "Other reports are being made: please try again in a minute."
WAIT = 60  # seconds a report waits for the one being laid out
# One report laid out at a time: WeasyPrint is Python that holds the GIL for seconds, and
# several at once would slow every page the server answers meanwhile
_ONE = threading.Lock()
_SVG = re.compile(r"<svg\b[^>]*>")
_PAINT = ("fill", "stroke")  # the SVG properties of a rule that an SVG needs


class Pdfs:
    def __init__(self, store: Store, pages: Pages) -> None:
        self._store = store
        self._pages = pages

    def summary(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        """Download Report: every panel of the page, for the page's question."""
        asked = self._pages.asked(request, viewer)
        panels = [p for p in PANELS.values() if asked.subject.kind == "rooms" or not p.rooms_only]
        title = "Session summary" if asked.session else "Summary"
        return self._pdf(asked, title, "report", panels, request.query_params)

    def interactions(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        """Every interaction of the room for the page's question, with all its answers."""
        asked = self._pages.asked(request, viewer)
        title = "Interactions: all questions and answers"
        return self._pdf(
            asked, title, "interactions", [PANELS["interactions"]], request.query_params
        )

    def _pdf(
        self,
        asked: Asked,
        title: str,
        what: str,
        panels: Iterable[Panel],
        params: Mapping[str, str],
    ) -> Response:
        # every answer first: bad input is a 400 before anything is laid out
        engine, asking = self._store.engine, asked.asking()
        answers = [(p, (p.printed or p.answer)(engine, asking, params)) for p in panels]
        fragments = [
            (p.name, Markup(render.text(p.template, **fragment(p, answer, asked))))
            for p, answer in answers
        ]
        css = _stylesheet()
        html = render.text(
            "report.html",
            title=title,
            asked=asked,
            frame=asked.frame(),
            fragments=fragments,
            made=int(time.time()),
            css=Markup(css),
        )
        return Response(
            _layout(html, css),
            media_type="application/pdf",
            headers={
                **render.PRIVATE,
                "Content-Disposition": f'attachment; filename="{filename(asked, what)}"',
            },
        )


def filename(asked: Asked, what: str) -> str:
    """``report-<id>-<from>-<to>[-<session>].pdf`` with only letters, digits, ``_.-``."""
    parts = [what, asked.subject.id[:60], asked.range.first.isoformat()]
    parts.append(asked.range.last.isoformat())
    if asked.session is not None:
        parts.append(asked.session.id[:40])
    return re.sub(r"[^A-Za-z0-9_.-]", "_", "-".join(parts)) + ".pdf"


@functools.cache
def _stylesheet() -> str:
    folder = resources.files("vantage.web").joinpath("static")
    return "\n".join(folder.joinpath(name).read_text(encoding="utf-8") for name in STYLES)


@functools.cache
def _painting(css: str) -> str:
    """The rules of ``css`` that paint SVG (a fill or a stroke), for each SVG of a report: the
    whole stylesheet in each of hundreds of heatmaps would cost seconds to read."""
    import tinycss2  # WeasyPrint's CSS parser, there with it

    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declared = tinycss2.parse_declaration_list(rule.content, True, True)
        if any(d.type == "declaration" and d.lower_name.startswith(_PAINT) for d in declared):
            kept.append(tinycss2.serialize([rule]))
    return "\n".join(kept)


def _layout(html: str, css: str) -> bytes:
    """The document, styled by ``css``, as PDF. WeasyPrint fetches nothing (no file, no
    network: the document carries its styles and draws its charts), and is loaded on first use,
    so that a server without pango serves everything but the PDFs."""
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: pango's shared library is missing
        log.exception("WeasyPrint cannot be loaded")
        raise WebError(503, UNAVAILABLE) from None
    # WeasyPrint styles an inline SVG by its own <style> only, not the document's
    painting = f"<style><![CDATA[{_painting(css)}]]></style>"
    html = _SVG.sub(lambda m: m[0] + painting, html)
    if not _ONE.acquire(timeout=WAIT):
        raise WebError(429, BUSY)  # the caller may try again: not a failure of the server
    try:
        fetcher = weasyprint.URLFetcher(allowed_protocols=())
        body: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except Exception:  # a layout failure is our bug: logged whole, told plainly
        log.exception("WeasyPrint failed to lay out a report")
        raise WebError(503, FAILED) from None
    finally:
        _ONE.release()
    return body
