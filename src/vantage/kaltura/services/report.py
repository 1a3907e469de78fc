"""report.getCsvFromStringParams and report.getCsv: the room reports as streamed CSV files.

Both are file actions: an error found before the first byte (unknown report, a missing or
unreadable parameter, a virtual event the KS may not see) answers an empty body with Kaltura's
``X-Kaltura`` error headers. A missing parameter is MISSING_MANDATORY_PARAMETER and an
unreadable one INVALID_PARAMETER_VALUE, both naming it (Kaltura itself says only
INTERNAL_SERVERL_ERROR there).
"""

from __future__ import annotations

from vantage.analytics import run
from vantage.analytics.query import ReportQuery
from vantage.analytics.room_reports import REPORTS, Filter, RoomReport
from vantage.kaltura import errors
from vantage.kaltura.actions import Action, Param, Registry
from vantage.kaltura.classes import KEY_VALUE_ARRAY
from vantage.kaltura.context import CallContext
from vantage.kaltura.files import FileResult
from vantage.kaltura.report_csv import csv_chunks, file_name, kept_columns
from vantage.kaltura.schema import INT, STRING, ApiObject
from vantage.kaltura.string_params import ParamError, build_query, split_params

ANALYTICS = "ANALYTICS_BASE"


def get_csv_from_string_params(
    ctx: CallContext, id: int, params: str | None, excludedFields: str | None
) -> FileResult:
    return _csv(ctx, "getCsvFromStringParams", id, params or "", excludedFields)


def get_csv(
    ctx: CallContext, id: int, params: list[ApiObject] | None, excludedFields: str | None
) -> FileResult:
    pairs = ";".join(f"{p.get('key')}={p.get('value') or ''}" for p in params or [])
    return _csv(ctx, "getCsv", id, pairs, excludedFields)


def _csv(
    ctx: CallContext, action: str, report_id: int, params: str, excluded: str | None
) -> FileResult:
    assert ctx.partner_id is not None  # the action needs a KS
    report = REPORTS.get(report_id)
    if report is None:
        raise errors.REPORT_NOT_FOUND(report_id)
    try:
        query = build_query(report, split_params(params), ctx.partner_ids)
    except ParamError as exc:
        if str(exc).startswith("missing"):
            raise errors.MISSING_MANDATORY_PARAMETER(exc.name) from None
        raise errors.INVALID_PARAMETER_VALUE(exc.name) from None
    _check_virtual_events(ctx, report, query, action)
    rows = run.room_rows(ctx.store.engine, query)
    name = file_name(report_id, ctx.partner_id, split_params(params))
    chunks = csv_chunks(rows.headers, rows.batches, kept_columns(rows.headers, excluded))
    return FileResult("text/csv", chunks, {"Content-Disposition": f'attachment; filename="{name}"'})


def _check_virtual_events(
    ctx: CallContext, report: RoomReport, query: ReportQuery, action: str
) -> None:
    """Reports that need it see a virtual event only through a KS privilege naming it."""
    asked = query.filters.get(Filter.VIRTUAL_EVENT_IDS, ())
    if not report.needs_virtual_event_privilege or not asked:
        return
    granted = set(ctx.session.privilege("virtualeventid") or []) if ctx.session else set()
    if not set(asked) <= granted:
        raise errors.SERVICE_FORBIDDEN(f"report->{action}")


def register(registry: Registry) -> None:
    text = (Param("excludedFields", STRING, None),)
    registry.add(
        Action(
            "report",
            "getCsvFromStringParams",
            (Param("id", INT), Param("params", STRING, None), *text),
            get_csv_from_string_params,
            permission=ANALYTICS,
            returns_file=True,
        )
    )
    registry.add(
        Action(
            "report",
            "getCsv",
            (Param("id", INT), Param("params", KEY_VALUE_ARRAY, None), *text),
            get_csv,
            permission=ANALYTICS,
            returns_file=True,
        )
    )
