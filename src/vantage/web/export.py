"""The e-mail export of a room or channel page (issue 11's Export button): the page's viewer
engagement table — report 60010 of its rooms and range (or session), as Kaltura's room export is
one table of live users' engagement — written and e-mailed by report.exportToCsv's job
(vantage.kaltura.services.report_export_job, which the server hands in as a ``QueueTable`` of
vantage.jobs.table_export: the dashboard has no export path of its own). The e-mail's link
works while the job's file is kept (``job_keep_days``, 7 by default).

The form: ``emails`` (1 to MAX_RECIPIENTS addresses separated by commas; one message to them all),
``descriptive`` (the "Descriptive headers" box: people's names as column headers) and ``csrf``.
Everything is checked here, before a job is queued: the body (URL-encoded, at most MAX_BODY
bytes, each field once), the token, the viewer, an SMTP server configured, each address (one
@, no CR or LF, what vantage.mail writes into a To header).

Who may: whoever may download the custom reports (vantage.web.reports.may_download): a
session limited to rooms or a category (an LMS link for one person) may not send a table of
everyone's engagement to any address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from vantage import mail
from vantage.analytics import room_panels as rp
from vantage.config import Settings
from vantage.jobs.runner import TooManyJobs
from vantage.jobs.table_export import QueueTable, TableExport
from vantage.web import render, reports
from vantage.web.cookies import SESSION_COOKIE
from vantage.web.errors import WebError
from vantage.web.signin import STALE, Gate
from vantage.web.viewer import Viewer

if TYPE_CHECKING:
    from vantage.web.pages import Asked

MAX_RECIPIENTS = 10
MAX_BODY = 8_192  # bytes of a posted form: ten addresses and the token, with room to spare
FIELDS = ("emails", "descriptive", "csrf")
TITLE = "Viewer engagement"


class Exports:
    def __init__(self, settings: Settings, gate: Gate, queue: QueueTable | None) -> None:
        self._settings = settings
        self._gate = gate
        self._queue = queue

    def offered(self, viewer: Viewer) -> dict[str, Any] | None:
        """What the page shows: None when the viewer may not export, else whether e-mail
        can be sent and how many days the link works."""
        if not reports.may_download(viewer):
            return None
        return {"mail": self._can_mail(), "keep_days": self._settings.job_keep_days}

    def _can_mail(self) -> bool:
        return self._queue is not None and mail.enabled(self._settings)

    def send(self, request: Request, viewer: Viewer, asked: Asked) -> Response:
        """Queues the page's export from the form ``posted`` read; the confirmation page."""
        form: dict[str, str] | WebError = request.state.form
        if isinstance(form, WebError):
            raise form
        if not self._gate.csrf_ok(request, form.get("csrf", ""), SESSION_COOKIE):
            raise WebError(403, STALE)
        if not reports.may_download(viewer):
            raise WebError(403, "Your sign-in may not e-mail exports (it is limited to rooms).")
        if self._queue is None or not self._can_mail():
            raise WebError(
                503,
                "This server sends no e-mail: no SMTP server is configured (setting "
                "smtp_host). Ask its administrator, or download the custom reports instead.",
            )
        emails = recipients(form.get("emails", ""))
        descriptive = _box(form.get("descriptive", ""))
        ask = asked.ask()
        local = dt.datetime.fromtimestamp(ask.start, asked.tz).utcoffset() or dt.timedelta()
        offset = -int(local.total_seconds()) // 60  # Kaltura's sign: UTC minus local
        title = f"{TITLE} {asked.subject.name}"
        server = str(request.base_url).rstrip("/")
        try:
            self._queue(
                TableExport(
                    ask.partner_id,
                    rp.ENGAGEMENT.id,
                    ask.values(),
                    title,
                    emails,
                    descriptive,
                    offset,
                    server,
                )
            )
        except TooManyJobs:
            raise WebError(429, "Too many exports are waiting; try again in a while.") from None
        return render.page(
            "export_sent.html",
            asked=asked,
            emails=emails,
            keep_days=self._settings.job_keep_days,
            back=f"{asked.subject.url}?{request.url.query}",
        )


def recipients(text: str) -> tuple[str, ...]:
    """The form's addresses, each once, or WebError 400."""
    if "\r" in text or "\n" in text:
        raise WebError(400, "The addresses hold a line break.")
    found = [a.strip() for a in text.split(",") if a.strip()]
    if not found:
        raise WebError(400, "Give the e-mail address to send the export to.")
    if len(found) > MAX_RECIPIENTS:
        raise WebError(400, f"At most {MAX_RECIPIENTS} addresses, separated by commas.")
    for address in found:
        if address.count("@") != 1 or not mail.valid_address(address):
            shown = address if len(address) <= 80 else address[:80] + "…"
            raise WebError(
                400,
                f"“{shown}” is not an e-mail address this server sends to (one @, a domain "
                f"with a dot, ASCII, at most {mail.MAX_ADDRESS} characters).",
            )
    return tuple(dict.fromkeys(found))


def _box(value: str) -> bool:
    if value not in ("", "on"):
        raise WebError(400, "The descriptive headers box is on or off.")
    return value == "on"


def posted(endpoint: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
    """``endpoint`` (a page's guarded work, which runs in the thread pool as Starlette runs
    a plain function) with the form read first into ``request.state.form``: its fields, or
    the WebError the body earns, raised once the viewer is known."""

    async def read_then(request: Request) -> Response:
        try:
            request.state.form = await _fields(request)
        except WebError as exc:
            request.state.form = exc
        return await run_in_threadpool(endpoint, request)

    return read_then


async def _fields(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise WebError(400, "The form is sent URL-encoded (application/x-www-form-urlencoded).")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise WebError(413, f"The form is longer than {MAX_BODY} bytes.")
    try:
        pairs = parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True, max_num_fields=9)
    except (UnicodeDecodeError, ValueError):
        raise WebError(400, "The form cannot be read.") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name not in FIELDS or name in fields:
            raise WebError(400, f"The form has fields {', '.join(FIELDS)}, each once.")
        fields[name] = value
    return fields
