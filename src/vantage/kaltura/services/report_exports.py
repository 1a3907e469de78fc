"""report.getUrlForReportAsCsv and report.serve: a KAVA report written as a CSV file for people
(kaltura-report-service §13), and the download of that file.

getUrlForReportAsCsv runs the report's total, graph and table as the caller's ``headers`` ask,
writes the file under ``reports_dir/<partner>/``, and answers the URL of report.serve with a
new KS that may download only that file (a user KS valid for a day at most). As in Kaltura,
an error other than a table too large to export (SEARCH_TOO_GENERAL, beyond 60,000 rows)
answers null. Files are removed a day after they were written, when the partner writes the
next one.

report.serve also hands out the result files of jobs (report.exportToCsv's, written under the
job runner's folder): the runner's ``JobFiles`` lookup says which names are completed jobs'
files and until when they are kept; past that the answer is REPORT_EXPIRED.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vantage.access import ks
from vantage.analytics import query as kq
from vantage.kaltura import errors, report_values
from vantage.kaltura.actions import Action, KsPolicy, Param, Registry
from vantage.kaltura.classes import FILTER_PAGER, REPORT_INPUT_FILTER, REPORT_RESPONSE_OPTIONS
from vantage.kaltura.context import CallContext
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import FileResult
from vantage.kaltura.report_file import RAW_GRAPH_TYPES, Section, document
from vantage.kaltura.schema import STRING, ApiObject
from vantage.kaltura.services.report_views import ANALYTICS, REPORT_TYPE, query_of, report_of

MAX_CSV_ROWS = 60_000
KEEP_SECONDS = 86_400
CHUNK_BYTES = 1 << 20
# what _write and the job runner name, and no path (no '/', no leading '.')
_FILE_NAME = re.compile(r"[\w\-][\w\-.]{0,127}", re.ASCII)
log = logging.getLogger(__name__)


def get_url_for_report_as_csv(
    ctx: CallContext,
    reportTitle: str,
    reportText: str,
    headers: str,
    reportType: str,
    reportInputFilter: ApiObject,
    dimension: str | None,
    pager: ApiObject | None,
    order: str | None,
    objectIds: str | None,
    responseOptions: ApiObject | None,
) -> str | None:
    size, index = _positive(pager, "pageSize", 30), _positive(pager, "pageIndex", 1)
    if size * index > MAX_CSV_ROWS:
        raise errors.SEARCH_TOO_GENERAL()
    try:
        body = _file(
            ctx,
            reportTitle,
            reportText,
            headers,
            reportType,
            reportInputFilter,
            dimension,
            size,
            index,
            order,
            objectIds,
            responseOptions,
        )
    except (APIException, kq.QueryError) as exc:  # Kaltura answers null
        log.info("report %s not exported: %s", reportType, exc)
        return None
    assert ctx.partner is not None
    name = _write(Path(ctx.settings.reports_dir) / str(ctx.partner.id), body)
    download = ks.generate(
        ctx.partner.admin_secrets[0],
        ctx.partner.id,
        version=ctx.partner.ks_version,
        expiry=min(ctx.partner.ks_max_expiry, KEEP_SECONDS),
        privileges=f"download:{name}",
        now=ctx.now,
    )
    return serve_url(ctx.base_url, download, name)


def serve_url(base_url: str, download_ks: str, name: str) -> str:
    """The URL of report.serve for file ``name`` with a KS that may download it."""
    # URL-safe base64 (a v1 KS may hold '/'); Kaltura reads '-' and '_' back as '+' and '/'
    path_ks = download_ks.replace("+", "-").replace("/", "_")
    serve_path = f"/api_v3/index.php/service/report/action/serve/ks/{path_ks}/id/{name}"
    return f"{base_url}{serve_path}/report.csv"


def _positive(pager: ApiObject | None, name: str, default: int) -> int:
    """A pager value, its default when absent or not positive."""
    value = pager.get(name) if pager is not None else None
    return value if isinstance(value, int) and value > 0 else default


def _file(
    ctx: CallContext,
    title: str,
    text: str,
    headers: str,
    report_type: str,
    input_filter: ApiObject,
    dimension: str | None,
    size: int,
    index: int,
    order: str | None,
    object_ids: str | None,
    options: ApiObject | None,
) -> bytes:
    report = report_of(report_type)
    q = query_of(ctx, report, input_filter, object_ids, options)
    total_part, _, table_part = headers.partition(";")
    total_names = [n for n in total_part.split(",") if n]
    table_names = [n for n in table_part.split(",") if n]
    engine = ctx.store.engine
    graph = None
    if report.graphs:
        graphs = report_values.graphs(engine, q)
        named = [g for g in graphs if g.id == dimension]
        if not named and report.id in RAW_GRAPH_TYPES:  # 2's single content_dropoff graph
            named = graphs[:1]
        graph = [(label, value) for g in named for label, value in g.points]
    total = None
    if total_names and report.has_total:
        got = report_values.total(engine, q)
        values = list(got.values) if got.values is not None else [""] * len(got.headers)
        total = Section(total_names, got.headers, [values])
    table, count = None, 0
    if table_names:
        got_table = report_values.table(engine, q, order, size, index)
        table, count = (
            Section(table_names, got_table.headers, got_table.rows),
            got_table.total_count,
        )
    return document(
        title, text, q.start, q.end - 1, graph, report.id in RAW_GRAPH_TYPES, total, table, count
    )


def _write(folder: Path, body: bytes) -> str:
    """Store a new file; forget the partner's files older than a day."""
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < now - KEEP_SECONDS:
                old.unlink(missing_ok=True)
        except FileNotFoundError:  # a concurrent export renamed its partial file meanwhile
            continue
    name = f"{secrets.token_hex(7)}_{time.strftime('%Y-%m-%a-%H', time.gmtime(now))}"
    partial = folder / f".{name}.partial"
    partial.write_bytes(body)
    partial.replace(folder / name)  # whole or not at all
    return name


@dataclass(frozen=True)
class JobFile:
    """A completed job's result file (vantage.jobs): where it is and until when it is kept."""

    path: Path
    expires_at: float  # unix seconds


JobFiles = Callable[[int, str], JobFile | None]
"""The partner's completed job whose result file has this name, else None."""


def serve(ctx: CallContext, id: str, job_files: JobFiles | None = None) -> FileResult:
    if ctx.session is None or ctx.partner is None:
        raise errors.MISSING_KS()
    if not _FILE_NAME.fullmatch(id):
        raise errors.REPORT_NOT_FOUND(id)
    allowed = ctx.session.is_admin or id in (ctx.session.privilege("download") or [])
    if not allowed:
        raise errors.SERVICE_FORBIDDEN("report->serve")
    path = Path(ctx.settings.reports_dir) / str(ctx.partner.id) / id
    try:
        body = path.read_bytes()
    except OSError:  # missing, or not a file: perhaps a job's result
        return _job_file(ctx, id, job_files)
    return FileResult("text/csv", [body])


def _job_file(ctx: CallContext, id: str, job_files: JobFiles | None) -> FileResult:
    """A job's result (report.exportToCsv's file), streamed: it may be large."""
    assert ctx.partner is not None
    found = job_files(ctx.partner.id, id) if job_files is not None else None
    if found is None:
        raise errors.REPORT_NOT_FOUND(id)
    if found.expires_at <= ctx.now:
        raise errors.REPORT_EXPIRED(id)
    try:
        handle = found.path.open("rb")
    except OSError:
        raise errors.REPORT_NOT_FOUND(id) from None
    return FileResult("text/csv", _chunks(handle))


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def register(registry: Registry, job_files: JobFiles | None = None) -> None:
    """``job_files``: how report.serve finds the result files of jobs (report.exportToCsv's);
    None: it serves getUrlForReportAsCsv's files only."""
    registry.add(
        Action(
            "report",
            "getUrlForReportAsCsv",
            (
                Param("reportTitle", STRING),
                Param("reportText", STRING),
                Param("headers", STRING),
                Param("reportType", REPORT_TYPE),
                Param("reportInputFilter", REPORT_INPUT_FILTER),
                Param("dimension", STRING, None),
                Param("pager", FILTER_PAGER, None),
                Param("order", STRING, None),
                Param("objectIds", STRING, None),
                Param("responseOptions", REPORT_RESPONSE_OPTIONS, None),
            ),
            get_url_for_report_as_csv,
            permission=ANALYTICS,
            multi_account=True,
        )
    )
    registry.add(
        Action(
            "report",
            "serve",
            (Param("id", STRING),),
            functools.partial(serve, job_files=job_files),
            ks=KsPolicy.OPTIONAL,
            returns_file=True,
        )
    )
