"""report.exportToCsv: report items written to one CSV file by a job, then e-mailed as a link
(kaltura-report-service §15).

The action checks the request, resolves the recipient and submits an ``export`` job; its
answer, ``KalturaReportExportResponse {referenceJobId, reportEmail}``, comes at once. The job
runner (vantage.jobs) then calls this kind's two steps:

* ``write``: the items' CSV (vantage.kaltura.report_export_file) into the job's result file;
* ``deliver``, once that file is complete: the e-mail with a report.serve link whose KS may
  download only that file while the job's result is kept (job_keep_days). It is a step of its
  own so a failed send is retried (by the runner, a few times with back-off) without writing
  the report again.

A send that succeeded is never repeated: the runner records the step done after ``deliver``
returns. What is left is the moment between the SMTP server's 250 (accepted) and that record:
a crash exactly then sends the e-mail again after the restart. The resend carries the same
``Message-ID`` (made from the job id), so mail systems that drop duplicates do, and a person
sees the same message twice rather than two different exports.

Everything a step needs is stored in the job's request (JSON), fixed when it is submitted:
the items with their filters (relative times already resolved), the partners the caller may
read, the recipient and the server's URL for the link.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from vantage import mail
from vantage.access import ks
from vantage.analytics import query as kq
from vantage.analytics.period import fix_offset
from vantage.entities.model import KINDS
from vantage.entities.repository import get as get_entity
from vantage.jobs.kinds import DeliveryRefused, JobEnv, JobFailed, Kind, Sink
from vantage.jobs.model import COMPLETED, Job
from vantage.jobs.runner import MAX_ACTIVE_PER_PARTNER, Runner, TooManyJobs
from vantage.jobs.table_export import TableExport
from vantage.kaltura import errors
from vantage.kaltura.actions import Action, Param, Registry
from vantage.kaltura.classes import (
    REPORT_EXPORT_ITEM,
    REPORT_EXPORT_PARAMS,
    REPORT_EXPORT_RESPONSE,
    REPORT_INPUT_FILTER,
)
from vantage.kaltura.context import CallContext
from vantage.kaltura.errors import APIException
from vantage.kaltura.report_export_file import TABLE, ItemError, Writer, query_of
from vantage.kaltura.schema import ApiObject
from vantage.kaltura.services.report_exports import JobFile, JobFiles, serve_url
from vantage.kaltura.services.report_views import ANALYTICS, filter_values, option_values

LINK_SECONDS = 7 * 86_400  # how long the e-mailed link works (the job's keep time)
# The link's KS outlives the file by a day, so a late click hears REPORT_EXPIRED (the file is
# gone) rather than an expired session; it opens nothing else.
KS_GRACE_SECONDS = 86_400
log = logging.getLogger(__name__)
GROUP = re.compile(r"\w[\w\s]*", re.ASCII)  # Kaltura's ^\w[\w\s]*$ (PHP: ASCII)
GROUP_CHARS = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Submit = Callable[[str, int, str, dict[str, Any]], Job]
"""The runner's ``submit(kind name, partner id, user id, request)``: the job, durable."""


def export_to_csv(ctx: CallContext, params: ApiObject, submit: Submit) -> ApiObject:
    assert ctx.partner is not None and ctx.session is not None
    if not mail.enabled(ctx.settings):
        raise errors.EMAIL_NOT_CONFIGURED()
    asked = _request_of(params, ctx.partner.id, ctx.partner_ids)
    email, name = _recipient(ctx, params)
    try:
        job = _queue(
            submit, ctx.partner.id, ctx.session.user_id, asked, (email,), name, ctx.base_url
        )
    except TooManyJobs:  # one partner cannot fill the queue for everyone
        raise errors.TOO_MANY_JOBS(MAX_ACTIVE_PER_PARTNER) from None
    return REPORT_EXPORT_RESPONSE(referenceJobId=reference_of(job.id), reportEmail=email)


def export_table(submit: Submit, asked: TableExport) -> str:
    """The dashboard's e-mail export: exportToCsv of one item, the table of the report type
    under the filter's values, titled (also the subject) and sent as ``asked`` says; the job's
    id. Raises TooManyJobs when the partner's queue is full."""
    offset = asked.time_zone_offset
    item = REPORT_EXPORT_ITEM(
        reportTitle=asked.title,
        action=TABLE,
        reportType=str(asked.report_type),
        filter=REPORT_INPUT_FILTER(**asked.values, timeZoneOffset=offset),
    )
    params = REPORT_EXPORT_PARAMS(
        reportItems=[item],
        timeZoneOffset=offset,
        reportsItemsGroup=" ".join(re.findall(r"\w+", asked.title, re.ASCII)),
        descriptiveHeaders=asked.descriptive,
    )
    partner = asked.partner_id
    request = _request_of(params, partner, frozenset({partner}))
    return _queue(submit, partner, "", request, asked.emails, "", asked.server_url).id


def _request_of(params: ApiObject, partner_id: int, partner_ids: frozenset[int]) -> dict[str, Any]:
    """What the job stores of exportToCsv's ``params`` (a REPORT_EXPORT_PARAMS), checked:
    the items, the zone, the group and the headers; the partners the caller may read."""
    items = _items(params.get("reportItems") or [], partner_id, partner_ids)
    group = params.get("reportsItemsGroup")
    if group and not GROUP.fullmatch(group):
        raise errors.INVALID_REPORT_ITEMS_GROUP()
    return {
        # a zone as the reports read one (whole hours, within -14 h .. +12 h)
        "timeZoneOffset": fix_offset(params.get("timeZoneOffset") or 0),
        # one line: it becomes the e-mail's subject
        "reportsItemsGroup": " ".join((group or "")[:GROUP_CHARS].split()),
        "descriptiveHeaders": bool(
            params.get("descriptiveHeaders") or params.get("useFriendlyHeaders")
        ),
        "partnerIds": sorted(partner_ids),
        "items": items,
    }


def _queue(
    submit: Submit,
    partner_id: int,
    user_id: str,
    request: Mapping[str, Any],
    emails: Sequence[str],
    name: str,
    server_url: str,
) -> Job:
    """The export job of ``request`` (``_request_of``'s), e-mailed to ``emails`` (one message
    to them all; each an address mail.valid_address takes) with a link to ``server_url``."""
    assert emails and all(mail.valid_address(e) for e in emails)
    stored = {
        **request,
        "recipientEmail": ", ".join(emails),
        "recipientName": name,
        "serverUrl": server_url,
    }
    return submit(EXPORT, partner_id, user_id, stored)


def reference_of(job_id: str) -> int:
    """Kaltura's ``referenceJobId`` is a number and a job's id is text (random, 144 bits):
    the number is the first 56 bits of the id's SHA-256, the same for the same job. The
    e-mail's Message-ID and link carry the id itself."""
    return int.from_bytes(hashlib.sha256(job_id.encode()).digest()[:7], "big")


def _items(
    given: Sequence[ApiObject], partner_id: int, partner_ids: frozenset[int]
) -> list[dict[str, Any]]:
    """The items as the job stores them, each checked now so that the caller hears of a
    report that cannot run rather than a failed job."""
    if not given:
        raise errors.MISSING_MANDATORY_PARAMETER("params:reportItems")
    items = []
    for n, item in enumerate(given):
        for required in ("action", "reportType", "filter"):
            if item.get(required) is None:
                raise errors.MISSING_MANDATORY_PARAMETER(f"params:reportItems:{n}:{required}")
        stored = {
            "reportTitle": item.get("reportTitle"),
            "action": item.get("action"),
            "reportType": item.get("reportType"),
            "filter": filter_values(item.get("filter")),
            "order": item.get("order"),
            "objectIds": item.get("objectIds"),
            "responseOptions": option_values(item.get("responseOptions")),
        }
        try:
            query_of(stored, partner_id, partner_ids)
        except ItemError:
            raise errors.INVALID_PARAMETER_VALUE(f"params:reportItems:{n}") from None
        items.append(stored)
    return items


def _recipient(ctx: CallContext, params: ApiObject) -> tuple[str, str]:
    """Who gets the e-mail: ``recipientEmail``, else the e-mail of the KS's user (users
    entity). Vantage's partners have no administrator's e-mail to fall back on (Kaltura's
    do), so without either the address is required."""
    assert ctx.partner is not None and ctx.session is not None
    email, name = params.get("recipientEmail"), params.get("recipientName")
    if not email and ctx.session.user_id:
        user = get_entity(ctx.store.engine, KINDS["users"], (ctx.partner.id, ctx.session.user_id))
        if user is not None:
            email = user.get("email")
            full = " ".join(p for p in (user.get("firstName"), user.get("lastName")) if p)
            name = name or full
    if not email:
        raise errors.MISSING_MANDATORY_PARAMETER("params:recipientEmail")
    email = email.strip()
    if not mail.valid_address(email):
        raise errors.INVALID_PARAMETER_VALUE("params:recipientEmail")
    return email, _CONTROL.sub(" ", name or "").strip()


def write(env: JobEnv, job: Job, sink: Sink) -> None:
    """The export's CSV file, every item in turn."""
    request = job.request
    writer = Writer(
        env.store.engine,
        job.partner_id,
        frozenset(request["partnerIds"]),
        bool(request["descriptiveHeaders"]),
        sink,
    )
    try:
        writer.items(request["items"])
    except (ItemError, kq.QueryError) as exc:
        raise JobFailed(f"the report cannot be written: {exc}") from None
    except APIException as exc:  # REPORT_NOT_FOUND: a report type gone since the request
        raise JobFailed(exc.message) from None


def deliver(env: JobEnv, job: Job) -> None:
    """The e-mail with the download link. A failure is a JobFailed saying what the SMTP
    server answered (the delivery's error); the runner tries again a few times with back-off.
    It is logged as a warning, not with a traceback: a mail server down is an outage to see,
    not a bug."""
    partner = env.directory.partner(job.partner_id)
    if partner is None or not job.file:
        raise JobFailed("the export's partner or file is gone")
    now = int(time.time())
    until = _kept_until(job, now + LINK_SECONDS)
    download = ks.generate(
        partner.admin_secrets[0],
        partner.id,
        version=partner.ks_version,
        expiry=max(until - now, 0) + KS_GRACE_SECONDS,
        privileges=f"download:{job.file}",
        now=now,
    )
    url = serve_url(str(job.request["serverUrl"]), download, job.file)
    message = message_of(env, job, url, until)
    try:
        mail.send(env.settings, message)
    except mail.MailError as exc:
        refused = isinstance(exc, mail.MailRefused)  # a permanent 5xx: not tried again
        final = "refused" if refused else "not sent"
        log.warning("the e-mail of export %s was %s: %s", job.id, final, exc)
        failed = DeliveryRefused if refused else JobFailed
        raise failed(f"the e-mail was {final}: {exc}") from None


def _kept_until(job: Job, default: int) -> int:
    """Until when the runner keeps the job's file, else ``default``."""
    return int(job.expires_at) if job.expires_at else default


def message_of(env: JobEnv, job: Job, url: str, until: int) -> EmailMessage:
    request: Mapping[str, Any] = job.request
    sender = mail.sender(env.settings)
    message = EmailMessage()
    message["From"] = sender
    # one address from the API, several from the dashboard's form (without a name)
    message["To"] = [
        Address(request["recipientName"] or "", addr_spec=email)
        for email in str(request["recipientEmail"]).split(", ")
    ]
    subject = request["reportsItemsGroup"] or "Your report"
    message["Subject"] = f"{subject} is ready to download"
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    # The same for every attempt: a resend after a crash is recognisably the same message.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "vantage"
    message["Message-ID"] = f"<export-{job.partner_id}-{job.id}@{domain}>"
    local = dt.timezone(dt.timedelta(minutes=-int(request["timeZoneOffset"] or 0)))
    expires = dt.datetime.fromtimestamp(until, local)
    titles = [str(i.get("reportTitle") or "default") for i in request["items"]]
    greeting = f"Hello {request['recipientName']}," if request["recipientName"] else "Hello,"
    message.set_content(
        f"{greeting}\n\n"
        f"The report you asked for ({', '.join(titles)}) is ready. Download it (CSV):\n\n"
        f"{url}\n\n"
        f"The link works until {expires:%Y-%m-%d %H:%M} (UTC{expires:%z}); "
        "after that the file is removed.\n"
    )
    return message


EXPORT = "export"
EXPORT_KIND = Kind(EXPORT, write, deliver)


def job_files(runner: Runner) -> JobFiles:
    """How report.serve finds an export's file: named ``<job id>.<format>`` by the runner, it
    is served while its job is completed and kept (an expired one: REPORT_EXPIRED)."""

    def find(partner_id: int, name: str) -> JobFile | None:
        job_id, dot, _ = name.rpartition(".")
        job = runner.get(job_id, partner_id) if dot else None
        if job is None or job.kind != EXPORT or job.state != COMPLETED or job.file != name:
            return None
        expires = 0.0 if job.expired else (job.expires_at or 0.0)
        return JobFile(runner.path_of(job), expires)

    return find


def register(registry: Registry, submit: Submit) -> None:
    """Adds report.exportToCsv, whose jobs ``submit`` queues (the runner's)."""
    registry.add(
        Action(
            "report",
            "exportToCsv",
            (Param("params", REPORT_EXPORT_PARAMS),),
            functools.partial(export_to_csv, submit=submit),
            permission=ANALYTICS,
            multi_account=True,
        )
    )
