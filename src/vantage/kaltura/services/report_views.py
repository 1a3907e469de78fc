"""report.getTable, getTotal, getGraphs and getBaseTotal: the KAVA reports (vantage.analytics) in
Kaltura's answer objects, cells joined by the response delimiter (kaltura-report-service §12).

Kaltura answers a report it cannot run (a page beyond its 12,000-row window, getGraphs of a
report without graphs, getBaseTotal of a report without base totals — all but 17) with
INTERNAL_SERVERL_ERROR. A valid report type Vantage does not implement answers REPORT_NOT_FOUND
naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vantage.analytics import query as kq
from vantage.analytics.filters import FilterError
from vantage.analytics.report_types import REPORTS, ReportType
from vantage.kaltura import errors, report_values
from vantage.kaltura.actions import Action, Param, Registry
from vantage.kaltura.classes import (
    FILTER_PAGER,
    REPORT_BASE_TOTAL,
    REPORT_GRAPH,
    REPORT_INPUT_FILTER,
    REPORT_RESPONSE_OPTIONS,
    REPORT_TABLE,
    REPORT_TOTAL,
    REPORT_TYPE,
)
from vantage.kaltura.context import CallContext
from vantage.kaltura.schema import STRING, ApiObject
from vantage.kaltura.values import php_string

ANALYTICS = "ANALYTICS_BASE"
MAX_RESULT_SIZE = 12_000  # Kaltura's window of table rows


def report_of(report_type: str) -> ReportType:
    found = REPORTS.get(int(report_type))
    if found is None:
        raise errors.REPORT_NOT_FOUND(report_type)
    return found


def query_of(
    ctx: CallContext,
    report: ReportType,
    input_filter: ApiObject,
    object_ids: str | None,
    options: ApiObject | None,
) -> kq.ReportQuery:
    partners = ctx.partner_ids if report.multi_account else frozenset({ctx.partner_id or 0})
    try:
        return kq.build(
            report, partners, filter_values(input_filter), object_ids, option_values(options)
        )
    except FilterError as exc:
        raise errors.INVALID_PARAMETER_VALUE(exc.name) from None


def filter_values(input_filter: ApiObject) -> dict[str, Any]:
    """Every field of the input filter (its class's, defaults included) by name."""
    return {f.name: input_filter.get(f.name) for f in input_filter.cls.all_fields}


def option_values(options: ApiObject | None) -> dict[str, Any]:
    """Every response option by name, its default when not sent."""
    return {
        f.name: (options.get(f.name) if options is not None else f.default)
        for f in REPORT_RESPONSE_OPTIONS.all_fields
    }


def delimiter_of(options: ApiObject | None) -> str:
    return (options.get("delimiter") if options is not None else None) or ","


def page(size: int | None, index: int | None) -> tuple[int, int]:
    """Kaltura's paging of report tables: (page size, page index)."""
    size = size if size and size > 0 else 10
    index = index if index and index > 0 else 1
    if size * index > MAX_RESULT_SIZE:
        if index != 1:
            raise errors.INTERNAL_SERVERL_ERROR()  # beyond the window
        size = MAX_RESULT_SIZE
    return size, index


@contextmanager
def _unsupported() -> Iterator[None]:
    """What Kaltura cannot run (its plain exceptions) answers INTERNAL_SERVERL_ERROR."""
    try:
        yield
    except kq.QueryError:
        raise errors.INTERNAL_SERVERL_ERROR() from None


def _join(values: Any, delimiter: str) -> str:
    return delimiter.join(php_string(v) for v in values)


def cell_text(value: Any, delimiter: str) -> str:
    """A table cell as getTable answers it: the delimiter and ``;`` (its row separator) are
    spaces."""
    return php_string(value).replace(delimiter, " ").replace(";", " ")


def get_table(
    ctx: CallContext,
    reportType: str,
    reportInputFilter: ApiObject,
    pager: ApiObject,
    order: str | None,
    objectIds: str | None,
    responseOptions: ApiObject | None,
) -> ApiObject:
    report = report_of(reportType)
    q = query_of(ctx, report, reportInputFilter, objectIds, responseOptions)
    size, index = page(pager.get("pageSize"), pager.get("pageIndex"))
    table = report_values.table(ctx.store.engine, q, order, size, index)
    if not table.headers:
        return REPORT_TABLE()
    d = delimiter_of(responseOptions)
    data = "".join(d.join(cell_text(v, d) for v in row) + ";" for row in table.rows)
    return REPORT_TABLE(header=d.join(table.headers), data=data, totalCount=table.total_count)


def get_total(
    ctx: CallContext,
    reportType: str,
    reportInputFilter: ApiObject,
    objectIds: str | None,
    responseOptions: ApiObject | None,
) -> ApiObject:
    report = report_of(reportType)
    q = query_of(ctx, report, reportInputFilter, objectIds, responseOptions)
    with _unsupported():
        total = report_values.total(ctx.store.engine, q)
    values = total.values if total.values is not None else ("",) * len(total.headers)
    d = delimiter_of(responseOptions)
    return REPORT_TOTAL(header=d.join(total.headers), data=_join(values, d))


def get_graphs(
    ctx: CallContext,
    reportType: str,
    reportInputFilter: ApiObject,
    dimension: str | None,
    objectIds: str | None,
    responseOptions: ApiObject | None,
) -> list[ApiObject]:
    report = report_of(reportType)
    q = query_of(ctx, report, reportInputFilter, objectIds, responseOptions)
    with _unsupported():
        graphs = report_values.graphs(ctx.store.engine, q)
    d = delimiter_of(responseOptions)
    return [
        REPORT_GRAPH(id=g.id, data="".join(f"{label}{d}{_point(v)};" for label, v in g.points))
        for g in graphs
    ]


def _point(value: Any) -> str:
    if isinstance(value, list):  # PLATFORMS: "device:value" pairs, comma-separated
        return ",".join(f"{php_string(k)}:{php_string(v)}" for k, v in value)
    return php_string(value)


def get_base_total(
    ctx: CallContext,
    reportType: str,
    reportInputFilter: ApiObject,
    objectIds: str | None,
    responseOptions: ApiObject | None,
) -> list[ApiObject]:
    # Kaltura has base totals only for USER_USAGE (17) and SPECIFIC_USER_USAGE (18): each
    # cumulative total up to the start of the range.
    report = report_of(reportType)
    q = query_of(ctx, report, reportInputFilter, objectIds, responseOptions)
    with _unsupported():
        items = report_values.base_total(ctx.store.engine, q)
    return [REPORT_BASE_TOTAL(id=name, data=php_string(value)) for name, value in items]


def register(registry: Registry) -> None:
    common = (
        Param("reportType", REPORT_TYPE),
        Param("reportInputFilter", REPORT_INPUT_FILTER),
    )
    tail = (
        Param("objectIds", STRING, None),
        Param("responseOptions", REPORT_RESPONSE_OPTIONS, None),
    )
    declared = (
        (
            "getTable",
            (*common, Param("pager", FILTER_PAGER), Param("order", STRING, None), *tail),
            get_table,
        ),
        ("getTotal", (*common, *tail), get_total),
        ("getGraphs", (*common, Param("dimension", STRING, None), *tail), get_graphs),
        ("getBaseTotal", (*common, *tail), get_base_total),
    )
    for name, params, handler in declared:
        registry.add(
            Action("report", name, params, handler, permission=ANALYTICS, multi_account=True)
        )
