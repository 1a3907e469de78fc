"""The CSV file of report.exportToCsv: every report item of the export, one after another, as
Kaltura's batch writes each (kaltura-report-service §15, batch/batches/ReportExport).

An item is a report type's table (getTable, at most 60,000 rows, one page), total (getTotal)
or graphs (getGraphs), under a title block::

    # ------------------------------------
    Report: <reportTitle, or "default">
    Filtered dates: 2026-11-01 00:00:00 - 2026-11-30 23:59:59
    Filtered entries: <entryIdIn>            (when the filter names entries)
    # ------------------------------------
    <headers>
    <rows>

The headers and cells are Kaltura's answer split on the item's delimiter, so a cell holds no
delimiter and no ``;`` (they become spaces, as getTable's answer has them); with descriptive
headers, the headers are people's names (vantage.analytics.titles). The file starts with a
UTF-8 byte order mark and items are separated by an empty line (Kaltura writes one file per
item and mails them apart; Vantage mails one link). Cells are written by the same quoting and
formula guard as getUrlForReportAsCsv's file (vantage.kaltura.report_file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vantage.analytics import query as kq
from vantage.analytics.filters import FilterError
from vantage.analytics.report_types import GraphShape, ReportType
from vantage.analytics.titles import title_of
from vantage.jobs.kinds import Sink
from vantage.kaltura import report_values
from vantage.kaltura.report_file import RULE, line
from vantage.kaltura.services.report_views import cell_text, report_of
from vantage.kaltura.values import php_string
from vantage.store.engine import Engine

TABLE, TOTAL, GRAPH = 1, 2, 3  # KalturaReportExportItemType
MAX_ROWS = 60_000  # Kaltura's batch asks getTable for one page of this many rows
CHUNK_ROWS = 1_000  # rows written at a time, between checks for a cancelled job
BOM = "\ufeff".encode()


class ItemError(ValueError):
    """An item that cannot run (unknown report type, bad filter, action it does not have)."""


def query_of(
    item: Mapping[str, Any], partner_id: int, partner_ids: frozenset[int]
) -> kq.ReportQuery:
    """The item's report query for ``partner_id``, whose multi-account reports read
    ``partner_ids`` (its own and its children's); raises ItemError (or the API's
    REPORT_NOT_FOUND)."""
    report = report_of(str(item["reportType"]))
    if item["action"] == TOTAL and not report.has_total:
        raise ItemError(f"report type {report.id} has no total")
    if item["action"] == GRAPH and report.graphs is None:
        raise ItemError(f"report type {report.id} has no graphs")
    partners = partner_ids if report.multi_account else frozenset({partner_id})
    try:
        return kq.build(
            report, partners, item["filter"], item.get("objectIds"), item["responseOptions"]
        )
    except FilterError as exc:
        raise ItemError(f"filter field {exc.name} cannot be read") from None


class Writer:
    """Writes the items' sections to a job's sink, counting their data rows, and stops
    between chunks of rows once the job is cancelled."""

    def __init__(
        self,
        engine: Engine,
        partner_id: int,
        partner_ids: frozenset[int],
        descriptive: bool,
        sink: Sink,
    ) -> None:
        self._engine, self._descriptive = engine, descriptive
        self._partner, self._partners = partner_id, partner_ids
        self._write, self._count, self._cancelled = sink.write, sink.add_rows, sink.cancelled

    def items(self, items: Sequence[Mapping[str, Any]]) -> bool:
        """Write every item; False if the job was cancelled on the way."""
        self._write(BOM)
        for n, item in enumerate(items):
            if self._cancelled():
                return False
            if n:
                self._write(b"\n")
            if not self.item(item):
                return False
        return True

    def item(self, item: Mapping[str, Any]) -> bool:
        q = query_of(item, self._partner, self._partners)
        self._write(_title_block(item).encode())
        delimiter = str(item["responseOptions"].get("delimiter") or ",")
        if item["action"] == TOTAL:
            got = report_values.total(self._engine, q)
            values = list(got.values) if got.values is not None else [""] * len(got.headers)
            return self._rows(got.headers, [values])
        if item["action"] == GRAPH:
            headers, rows = _graph_rows(report_values.graphs(self._engine, q), q.report_type)
            if self._descriptive and q.report_type.graph_shape is GraphShape.BY_NAME:
                rows = [[title_of(str(r[0])), *r[1:]] for r in rows]  # its keys are metrics
            return self._rows(headers, rows)
        table = report_values.table(self._engine, q, item.get("order"), MAX_ROWS, 1)
        cells = ([cell_text(v, delimiter) for v in row] for row in table.rows)
        return self._rows(table.headers, cells)

    def _rows(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bool:
        if not headers:  # an empty table has no headers (Kaltura's answer has none either)
            return True
        names = [title_of(h) if self._descriptive else h for h in headers]
        self._write(line(*names).encode())
        chunk: list[str] = []
        for row in rows:
            chunk.append(line(*row))
            if len(chunk) == CHUNK_ROWS:
                if not self._flush(chunk):
                    return False
                chunk = []
        return self._flush(chunk)

    def _flush(self, chunk: list[str]) -> bool:
        if chunk:
            self._write("".join(chunk).encode())
            self._count(len(chunk))
        return not self._cancelled()


def _title_block(item: Mapping[str, Any]) -> str:
    out = [line(RULE), line(f"Report: {item.get('reportTitle') or 'default'}")]
    out += [line(text) for text in _filter_lines(item["filter"])]
    return "".join([*out, line(RULE)])


def _filter_lines(values: Mapping[str, Any]) -> list[str]:
    """Kaltura's lines about the filter: its dates (whole days, or times in UTC) and entries."""
    out = []
    from_day, to_day = _day(values.get("fromDay")), _day(values.get("toDay"))
    if from_day and to_day:
        out.append(f"Filtered dates: {from_day} 00:00:00 - {to_day} 23:59:59")
    elif values.get("fromDate") and values.get("toDate"):
        start, end = _moment(values["fromDate"]), _moment(values["toDate"])
        out.append(f"Filtered dates: {start} - {end} (UTC)")
    if values.get("entryIdIn"):
        out.append(f"Filtered entries: {values['entryIdIn']}")
    return out


def _day(text: Any) -> str | None:
    try:
        return dt.datetime.strptime(str(text or ""), "%Y%m%d").strftime("%Y-%m-%d")
    except ValueError:
        return None


def _moment(unix: Any) -> str:
    try:
        return dt.datetime.fromtimestamp(int(unix), dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError, OSError):
        return php_string(unix)


def _graph_rows(graphs: Sequence[Any], report: ReportType) -> tuple[list[str], list[list[Any]]]:
    """Kaltura's graph table: a column per graph, a row per point label (``id``), or per
    label and dimension value (``id``, ``key``) for graphs whose points hold
    ``dimension:value`` lists (21 PLATFORMS)."""
    if report.graph_shape is GraphShape.MULTI_BY_DATE and any(
        isinstance(v, list) for g in graphs for _, v in g.points
    ):
        keyed: dict[tuple[Any, Any], list[Any]] = {}
        for g in graphs:
            for label, pairs in g.points:
                for key, value in pairs:
                    keyed.setdefault((label, key), []).append(value)
        return ["id", "key", *(g.id for g in graphs)], [[*k, *v] for k, v in keyed.items()]
    by_label: dict[Any, list[Any]] = {}
    for g in graphs:
        for label, value in g.points:
            by_label.setdefault(label, []).append(value)
    return ["id", *(g.id for g in graphs)], [[k, *v] for k, v in by_label.items()]
