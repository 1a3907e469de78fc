"""Running KAVA reports: getTable, getTotal and getGraphs as plain values (formatting for the
wire is vantage.kaltura's job). Shapes follow kaltura-report-service §3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from vantage.kava import compiler, usage
from vantage.kava.catalog import GraphShape, header_of, metric_of
from vantage.kava.query import KavaQuery, QueryError
from vantage.store.engine import Engine
from vantage.store.engine import rows as _run

LABELS = {"days": "%Y%m%d", "months": "%Y%m", "years": "%Y", "hours": "%Y%m%d%H"}


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total_count: int


@dataclass(frozen=True)
class Total:
    headers: tuple[str, ...]
    values: tuple[Any, ...] | None  # None: nothing matched (every value is empty)


@dataclass(frozen=True)
class Graph:
    id: str
    points: list[tuple[str, Any]]


def get_table(engine: Engine, q: KavaQuery, order: str | None, size: int, index: int) -> Table:
    r = q.report
    columns = r.table
    if q.empty_range:
        return Table((), [], 0)
    if r.dimension is None:
        return _date_table(engine, q, order, size, index)
    if r.minute_timeline:
        return _minutes(engine, q, size, index)
    target = compiler.order_column(q, order, columns)
    compiled = compiler.table(q, columns, target, size, index)
    rows = _run(engine, compiled.rows)
    if rows:
        return Table(compiled.headers, [_clean(row[:-1]) for row in rows], int(rows[0][-1]))
    if index == 1:
        return Table((), [], 0)
    return Table(compiled.headers, [], int(_run(engine, compiled.count)[0][0]))


def _date_table(engine: Engine, q: KavaQuery, order: str | None, size: int, index: int) -> Table:
    columns = q.report.table
    metrics = [metric_of(c) for c in columns]
    points = _dated(engine, q, metrics)
    if not points:
        return Table((), [], 0)
    wanted = (order or "").lstrip("+-")
    headers = [compiler.date_header(q), *(header_of(c) for c in columns)]
    if wanted in headers:
        at = headers.index(wanted)
        points.sort(key=lambda row: row[at], reverse=not (order or "").startswith("+"))
    first = (index - 1) * size
    return Table(tuple(headers), points[first : first + size], len(points))


def _minutes(engine: Engine, q: KavaQuery, size: int, index: int) -> Table:
    """Every minute of the range in order, 0 where nothing was measured (Kaltura's 40011)."""
    columns = q.report.table
    metrics = [metric_of(c) for c in columns]
    found = {int(row[0]): _clean(row[1:]) for row in _run(engine, compiler.by_minute(q, metrics))}
    first = -(-q.start // 60) * 60
    minutes = range(first, q.end, 60)
    zero = tuple(0 for _ in metrics)
    page = minutes[(index - 1) * size : index * size]
    rows = [(m, *found.get(m, zero)) for m in page]
    assert q.report.dimension is not None
    headers = (*q.report.dimension.headers, *(header_of(c) for c in columns))
    return Table(headers, rows, len(minutes))


def _dated(engine: Engine, q: KavaQuery, metrics: list[str]) -> list[tuple[Any, ...]]:
    if q.report.usage:  # every period, from SQL
        periods = replace(q, interval=usage.usage_interval(q))
        return [_labelled(periods, row) for row in _run(engine, usage.usage(q, metrics))]
    rows = [_labelled(q, row) for row in _run(engine, compiler.by_date(q, metrics))]
    if q.skip_empty_dates and not q.report.zero_fill:
        return rows
    found = {row[0]: row for row in rows}
    zero = tuple(0 for _ in metrics)
    return [found.get(label, (label, *zero)) for label in date_labels(q)]


def get_total(engine: Engine, q: KavaQuery) -> Total:
    if not q.report.has_total:
        raise QueryError("unsupported query - report has no total")
    columns = q.report.totals
    headers = tuple(header_of(c) for c in columns)
    if q.empty_range:
        return Total(headers, None)
    metrics = [metric_of(c) for c in columns]
    if q.report.usage and q.report.dimension is None:  # the days of the range, rolled up
        return Total(headers, _clean(_run(engine, usage.usage(q, metrics, False))[0][1:]))
    row = _run(engine, compiler.totals(q, metrics))[0]
    if not row[0] and q.skip_empty_dates and not q.report.zero_fill:
        return Total(headers, None)
    return Total(headers, _clean(row[1:]))


def get_base_total(engine: Engine, q: KavaQuery) -> list[tuple[str, Any]]:
    """The report's base totals: its cumulative metrics up to the start of the range (Kaltura's
    ``base_to_start``; USER_USAGE's total_storage_mb, total_entries and total_msecs)."""
    names = q.report.base_total
    if not names:
        raise QueryError("unsupported query - report has no base total")
    before = compiler.library(q, q.start)
    row = _run(engine, compiler.totals(before, list(names)))[0]
    return list(zip(names, _clean(row[1:]), strict=True))


def get_graphs(engine: Engine, q: KavaQuery) -> list[Graph]:
    r = q.report
    if r.graphs is None:
        raise QueryError("unsupported query - report has no metrics")
    if not r.graphs:
        return []
    ids = [header_of(c) for c in r.graphs]
    metrics = [metric_of(c) for c in r.graphs]
    shape = r.graph_shape
    if shape is GraphShape.MULTI_BY_DATE and q.object_ids:
        shape = GraphShape.MULTI_BY_NAME
    if shape is GraphShape.BY_NAME:
        total = _run(engine, compiler.totals(q, metrics))[0]
        empty = "" if q.skip_empty_dates else 0
        values = _clean(total[1:]) if total[0] else tuple(empty for _ in metrics)
        return [Graph(r.graph_name, list(zip(ids, values, strict=True)))]
    if shape is GraphShape.MULTI_BY_NAME:
        key = compiler.report_dimension_key(r, bool(q.object_ids))
        rows = [_clean(row) for row in _run(engine, compiler.by_dimension(q, metrics, key))]
        return [Graph(h, [(row[0], row[i + 1]) for row in rows]) for i, h in enumerate(ids)]
    if shape is GraphShape.MULTI_BY_DATE:
        key = compiler.report_dimension_key(r, False)
        rows = [
            _labelled(q, row)
            for row in _run(engine, compiler.by_date_and_dimension(q, metrics, key))
        ]
        return [_packed(h, i, rows) for i, h in enumerate(ids)]
    rows = _dated(engine, q, metrics)
    return [Graph(h, [(row[0], row[i + 1]) for row in rows]) for i, h in enumerate(ids)]


def _packed(metric: str, at: int, rows: list[tuple[Any, ...]]) -> Graph:
    """PLATFORMS' points: per date, a list of (device, value) pairs."""
    by_label: dict[str, list[tuple[Any, Any]]] = {}
    for value in rows:
        by_label.setdefault(value[0], []).append((value[1], value[at + 2]))
    return Graph(metric, list(by_label.items()))


def label_pattern(q: KavaQuery) -> str:
    """The strftime pattern of Kaltura's date labels (§10.3) for the query's interval; minute
    and ten-second buckets are ISO times with the zone's offset, as Druid writes them."""
    pattern = LABELS.get(q.interval)
    if pattern:
        return pattern
    east = -q.offset
    sign = "+" if east > 0 else "-"
    suffix = "Z" if east == 0 else f"{sign}{abs(east) // 60:02d}:{abs(east) % 60:02d}"
    return f"%Y-%m-%dT%H:%M:%S.000{suffix}"


def _labelled(q: KavaQuery, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row whose first value is a local bucket's start, with Kaltura's date label for it."""
    return (row[0].strftime(label_pattern(q)), *_clean(row[1:]))


def _clean(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Kaltura's cell values: empty for a missing dimension, 0 for a missing metric."""
    return tuple("" if v is None else (0 if v == 0 and isinstance(v, float) else v) for v in row)


MAX_LABELS = 100_000


def date_labels(q: KavaQuery) -> list[str]:
    """Every label of the query's range, for zero-filled series (at most ``MAX_LABELS``)."""
    pattern = label_pattern(q)
    shift = dt.timedelta(minutes=q.offset)
    start = dt.datetime.fromtimestamp(q.start, dt.UTC)
    end = dt.datetime.fromtimestamp(q.end, dt.UTC)
    seconds = compiler.FINE_SECONDS.get(q.interval)
    if seconds:  # buckets are whole steps of UTC time
        moment = dt.datetime.fromtimestamp(q.start // seconds * seconds, dt.UTC)
        step = dt.timedelta(seconds=seconds)
    else:  # whole local hours, days, months or years
        moment = start - shift
        moment = moment.replace(minute=0, second=0, microsecond=0)
        if q.interval != "hours":
            moment = moment.replace(hour=0)
        if q.interval in ("months", "years"):
            moment = moment.replace(day=1, month=1 if q.interval == "years" else moment.month)
        moment += shift
        step = dt.timedelta(hours=1 if q.interval == "hours" else 24)
    labels: dict[str, None] = {}
    while moment < end and len(labels) < MAX_LABELS:
        labels[(moment - shift).strftime(pattern)] = None
        moment += step
    return list(labels)
