"""Running reports to plain typed values: numbers, texts, and None where a dimension or a
metric has no value. A report type's table, total, graphs and base total (shapes as in
kaltura-report-service §3) come as lists, a date bucket as the local time it starts at (a
naive datetime); a room report's rows stream in Arrow batches. Printing them as Kaltura does
(labels, empty cells, numbers) is vantage.kaltura's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from vantage.analytics import activity_compiler, compiler, panel_compiler, room_compiler, usage
from vantage.analytics.activity_reports import ActivityReport
from vantage.analytics.query import QueryError, ReportQuery
from vantage.analytics.report_types import GraphShape, header_of, metric_of
from vantage.analytics.room_compiler import Compiled
from vantage.analytics.room_reports import RoomReport
from vantage.analytics.session_panels import (
    Answer,
    Heatmap,
    Interaction,
    OnStage,
    PanelQuery,
    Point,
    Span,
    State,
    Text,
    span,
)
from vantage.store.engine import Engine
from vantage.store.engine import rows as _run

BATCH_ROWS = 16_384


@dataclass(frozen=True)
class Rows:
    """A room report's rows: its headers, then batches of plain values in their order."""

    headers: list[str]
    batches: Iterator[pa.RecordBatch]


def room_rows(engine: Engine, q: ReportQuery) -> Rows:
    """Compiled now (a bad query fails here); the rows stream lazily from the engine."""
    assert isinstance(q.report, RoomReport)
    return _stream(engine, room_compiler.compile_report(q.report, q))


def activity_rows(engine: Engine, q: ReportQuery) -> Rows:
    """An activity report's rows, as room_rows."""
    assert isinstance(q.report, ActivityReport)
    return _stream(engine, activity_compiler.compile_report(q.report, q))


def _stream(engine: Engine, compiled: Compiled) -> Rows:
    batches = engine.query_batches(engine.dialect.sql(compiled.plan), (), BATCH_ROWS)
    return Rows(compiled.headers, batches)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total_count: int

    @property
    def records(self) -> list[dict[str, Any]]:
        """The rows as header → value."""
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Total:
    headers: tuple[str, ...]
    values: tuple[Any, ...] | None  # None: nothing matched (every value is empty)

    @property
    def named(self) -> dict[str, Any]:
        """Header → value; empty when nothing matched."""
        return dict(zip(self.headers, self.values or (), strict=False))


@dataclass(frozen=True)
class Graph:
    id: str
    points: list[tuple[Any, Any]]  # (a date bucket, a dimension value or a metric name; value)


def get_table(engine: Engine, q: ReportQuery, order: str | None, size: int, index: int) -> Table:
    r = q.report_type
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
        return Table(compiled.headers, [row[:-1] for row in rows], int(rows[0][-1]))
    if index == 1:
        return Table((), [], 0)
    return Table(compiled.headers, [], int(_run(engine, compiled.count)[0][0]))


def _date_table(engine: Engine, q: ReportQuery, order: str | None, size: int, index: int) -> Table:
    columns = q.report_type.table
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


def _minutes(engine: Engine, q: ReportQuery, size: int, index: int) -> Table:
    """Every minute of the range in order, 0 where nothing was measured (Kaltura's 40011)."""
    columns = q.report_type.table
    metrics = [metric_of(c) for c in columns]
    found = {int(row[0]): row[1:] for row in _run(engine, compiler.by_minute(q, metrics))}
    first = -(-q.start // 60) * 60
    minutes = range(first, q.end, 60)
    zero = tuple(0 for _ in metrics)
    page = minutes[(index - 1) * size : index * size]
    rows = [(m, *found.get(m, zero)) for m in page]
    assert q.report_type.dimension is not None
    headers = (*q.report_type.dimension.headers, *(header_of(c) for c in columns))
    return Table(headers, rows, len(minutes))


def _dated(engine: Engine, q: ReportQuery, metrics: list[str]) -> list[tuple[Any, ...]]:
    if q.report_type.usage:  # every period, from SQL
        return _run(engine, usage.usage(q, metrics))
    rows = _run(engine, compiler.by_date(q, metrics))
    if q.skip_empty_dates and not q.report_type.zero_fill:
        return rows
    found = {row[0]: row for row in rows}
    zero = tuple(0 for _ in metrics)
    return [found.get(start, (start, *zero)) for start in buckets(q)]


def get_total(engine: Engine, q: ReportQuery) -> Total:
    if not q.report_type.has_total:
        raise QueryError("unsupported query - report has no total")
    columns = q.report_type.totals
    headers = tuple(header_of(c) for c in columns)
    if q.empty_range:
        return Total(headers, None)
    metrics = [metric_of(c) for c in columns]
    if q.report_type.usage and q.report_type.dimension is None:  # the days of the range, rolled up
        return Total(headers, tuple(_run(engine, usage.usage(q, metrics, False))[0][1:]))
    row = _run(engine, compiler.totals(q, metrics))[0]
    return _total(q, headers, row[0], tuple(row[1:]))


def _total(
    q: ReportQuery, headers: tuple[str, ...], matched: int, values: tuple[Any, ...]
) -> Total:
    if not matched and q.skip_empty_dates and not q.report_type.zero_fill:
        return Total(headers, None)
    return Total(headers, values)


@dataclass(frozen=True)
class AboveZero:
    """How many rows a report's table has (of every page), and how many of them are above 0 in
    some of its columns."""

    rows: int
    counts: dict[str, int]  # a column's header → its rows above 0


def totals_and_above_zero(
    engine: Engine, queries: list[ReportQuery], table: ReportQuery, headers: list[str]
) -> tuple[list[Total], AboveZero]:
    """``get_total`` of each of ``queries``, and how many rows of ``table``'s table are above 0
    in each of ``headers``, planned and run as one statement (a dashboard's tiles: planning a
    report's statement costs more than running it on a room's rows); totals over the same fact
    rows are one select."""
    parts: list[tuple[ReportQuery, list[str]]] = []  # a select's query and metrics
    wanted: list[tuple[ReportQuery, int, list[str]]] = []  # each query: its part and metrics
    for q in queries:
        if not q.report_type.has_total or q.report_type.usage:
            raise QueryError("unsupported query - report has no total of one select")
        metrics = [metric_of(c) for c in q.report_type.totals]
        for i, (first, theirs) in enumerate(parts):
            if compiler.same_rows(q, metrics, first, theirs):
                parts[i] = (first, list(dict.fromkeys([*theirs, *metrics])))
                break
        else:
            i = len(parts)
            parts.append((q, metrics))
        wanted.append((q, i, metrics))
    plans = [compiler.totals(q, list(dict.fromkeys(metrics))) for q, metrics in parts]
    counted = len(plans)
    plans.append(compiler.above_zero(table, headers))
    plan = compiler.one_row(plans)
    found = dict(zip(plan.names, _run(engine, plan)[0], strict=True))
    totals = []
    for q, i, metrics in wanted:
        names = tuple(header_of(c) for c in q.report_type.totals)
        if q.empty_range:
            totals.append(Total(names, None))
            continue
        values = tuple(found[f"p{i}_{m}"] for m in metrics)
        totals.append(_total(q, names, found[f"p{i}__matched"], values))
    if table.empty_range:
        return totals, AboveZero(0, {h: 0 for h in headers})
    counts = {h: int(found[f"p{counted}_{h}"]) for h in headers}
    return totals, AboveZero(int(found[f"p{counted}_rows"]), counts)


def get_base_total(engine: Engine, q: ReportQuery) -> list[tuple[str, Any]]:
    """The report's base totals: its cumulative metrics up to the start of the range (Kaltura's
    ``base_to_start``; USER_USAGE's total_storage_mb, total_entries and total_msecs)."""
    names = q.report_type.base_total
    if not names:
        raise QueryError("unsupported query - report has no base total")
    before = compiler.library(q, q.start)
    row = _run(engine, compiler.totals(before, list(names)))[0]
    return list(zip(names, row[1:], strict=True))


def get_graphs(engine: Engine, q: ReportQuery) -> list[Graph]:
    r = q.report_type
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
        empty = None if q.skip_empty_dates else 0
        values = tuple(total[1:]) if total[0] else tuple(empty for _ in metrics)
        return [Graph(r.graph_name, list(zip(ids, values, strict=True)))]
    if shape is GraphShape.MULTI_BY_NAME:
        key = compiler.report_dimension_key(r, bool(q.object_ids))
        rows = _run(engine, compiler.by_dimension(q, metrics, key))
        return [Graph(h, [(row[0], row[i + 1]) for row in rows]) for i, h in enumerate(ids)]
    if shape is GraphShape.MULTI_BY_DATE:
        key = compiler.report_dimension_key(r, False)
        rows = _run(engine, compiler.by_date_and_dimension(q, metrics, key))
        return [_packed(h, i, rows) for i, h in enumerate(ids)]
    rows = _dated(engine, q, metrics)
    return [Graph(h, [(row[0], row[i + 1]) for row in rows]) for i, h in enumerate(ids)]


def _packed(metric: str, at: int, rows: list[tuple[Any, ...]]) -> Graph:
    """PLATFORMS' points: per date, a list of (device, value) pairs."""
    by_label: dict[str, list[tuple[Any, Any]]] = {}
    for value in rows:
        by_label.setdefault(value[0], []).append((value[1], value[at + 2]))
    return Graph(metric, list(by_label.items()))


MAX_BUCKETS = 100_000


def bucket_interval(q: ReportQuery) -> str:
    """The interval of the query's date buckets (a usage report's may be coarser)."""
    return usage.usage_interval(q) if q.report_type.usage else q.interval


def buckets(q: ReportQuery) -> list[dt.datetime]:
    """The local start of every bucket of the query's range, for zero-filled series (at most
    ``MAX_BUCKETS``)."""
    shift = dt.timedelta(minutes=q.offset)
    end = dt.datetime.fromtimestamp(q.end, dt.UTC).replace(tzinfo=None)
    seconds = compiler.FINE_SECONDS.get(q.interval)
    if seconds:  # buckets are whole steps of UTC time
        step = dt.timedelta(seconds=seconds)
        moment = dt.datetime.fromtimestamp(q.start // seconds * seconds, dt.UTC)
        utc = moment.replace(tzinfo=None)
        found: list[dt.datetime] = []
        while utc < end and len(found) < MAX_BUCKETS:
            found.append(utc - shift)
            utc += step
        return found
    local = dt.datetime.fromtimestamp(q.start, dt.UTC).replace(tzinfo=None) - shift
    local = local.replace(minute=0, second=0, microsecond=0)
    if q.interval != "hours":
        local = local.replace(hour=0)
    if q.interval in ("months", "years"):
        local = local.replace(day=1, month=1 if q.interval == "years" else local.month)
    found = []
    while local + shift < end and len(found) < MAX_BUCKETS:
        found.append(local)
        local = _next(local, q.interval)
    return found


def _next(local: dt.datetime, interval: str) -> dt.datetime:
    if interval == "hours":
        return local + dt.timedelta(hours=1)
    if interval == "months":
        return local.replace(year=local.year + local.month // 12, month=local.month % 12 + 1)
    if interval == "years":
        return local.replace(year=local.year + 1)
    return local + dt.timedelta(days=1)


# --- the dashboard's session panels (vantage.analytics.session_panels) -------------------------


def panel_span(engine: Engine, q: PanelQuery) -> Span | None:
    """The points of the query's timeline and heatmaps: from the first to the last presence
    period of the room (and session), widened to the session's stored start and end, within
    the period; None when there is neither."""
    first, last = _run(engine, panel_compiler.presence_bounds(q))[0]
    if q.session_id is not None:
        for start, end in _run(engine, panel_compiler.session_bounds(q)):
            first = start if first is None or (start is not None and start < first) else first
            stop = None if end is None else end - 1  # an end is the first second after
            last = stop if last is None or (stop is not None and stop > last) else last
    if first is None or last is None:
        return None
    first, last = max(first, q.period.start), min(last, q.period.end - 1)
    return span(first, last) if first <= last else None


def timeline(engine: Engine, q: PanelQuery) -> list[Point]:
    """The live timeline: every point of the span in order, zero where nobody was present."""
    points = panel_span(engine, q)
    if points is None:
        return []
    found = {
        int(t): Point(int(t), int(n), float(p), float(e))
        for t, n, p, e in _run(engine, panel_compiler.timeline(q, points))
    }
    return [found.get(t, Point(t, 0, 0.0, 0.0)) for t in points.points]


def heatmap(engine: Engine, q: PanelQuery, user_ids: list[str]) -> Heatmap | None:
    """Each of ``user_ids``' state in every point of the span (offline where they had no
    presence period); None when the span is empty."""
    points = panel_span(engine, q)
    if points is None:
        return None
    if not user_ids:
        return Heatmap(points, {})
    found = {
        (u, int(t)): State.ENGAGED if engaged else State.NOT_ENGAGED
        for u, t, engaged in _run(engine, panel_compiler.heatmap(q, points, user_ids))
    }
    states = {
        u: tuple(found.get((u, t), State.OFFLINE) for t in points.points)
        for u in dict.fromkeys(user_ids)
    }
    return Heatmap(points, states)


def on_stage(engine: Engine, q: PanelQuery) -> list[OnStage]:
    """Stage participation: who was on stage in the room and period (or session)."""
    if q.period.empty:
        return []
    return [
        OnStage(str(u), name, role, float(on), float(present), int(first), int(last))
        for u, name, role, on, present, first, last in _run(engine, panel_compiler.on_stage(q))
    ]


def interactions(engine: Engine, q: PanelQuery) -> list[Interaction]:
    """Every poll launched in the rooms and period, by first launch (and in its room): what
    its latest launch said, its participants and answers."""
    if q.period.empty:
        return []
    polls: dict[str, list[Any]] = {}
    for poll_id, at, question, type_, options, correct, entry, name in _run(
        engine, panel_compiler.launches(q)
    ):
        first = polls[poll_id][0] if poll_id in polls else (int(at), entry, name)
        polls[poll_id] = [first, question, type_, tuple(options or ()), correct]
    totals = {p: (int(n), int(c)) for p, n, c in _run(engine, panel_compiler.poll_totals(q))}
    given: dict[str, dict[str, tuple[int, bool]]] = {}
    for p, answer, n, right in _run(engine, panel_compiler.choices(q)):
        given.setdefault(p, {})[answer] = (int(n), bool(right))
    written: dict[str, list[Text]] = {}
    for p, user, answer, at in _run(engine, panel_compiler.texts(q)):
        written.setdefault(p, []).append(Text(user, answer, int(at)))
    out = []
    for poll_id, ((first, entry, name), question, type_, options, correct) in polls.items():
        people, right = totals.get(poll_id, (0, 0))
        quiz = type_ == "quiz"
        counts = given.get(poll_id, {})
        names = [*options, *sorted(a for a in counts if a not in options)]
        answers = tuple(
            Answer(
                a,
                counts.get(a, (0, False))[0],
                counts.get(a, (0, False))[0] / people if people else None,
                (a == correct or counts.get(a, (0, False))[1]) if quiz else None,
            )
            for a in (names if type_ != "open" else [])
        )
        share = right / people if quiz and people else None
        texts = tuple(written.get(poll_id, ()))
        out.append(
            Interaction(
                poll_id,
                question,
                type_,
                first,
                options,
                correct,
                people,
                share,
                answers,
                texts,
                entry,
                name,
            )
        )
    return sorted(out, key=lambda i: (i.launched_at, i.poll_id))
