"""Report values as Kaltura shows them (kaltura-report-service §3, §10.3): a date bucket as its
label, an empty cell for a missing dimension or metric, 0 for a real zero. The core
(vantage.analytics.run) answers plain typed values; the report actions and the CSV files of
report types print them through here, then as PHP prints numbers (vantage.kaltura.values).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vantage.analytics import run
from vantage.analytics.query import ReportQuery
from vantage.store.engine import Engine

LABELS = {"days": "%Y%m%d", "months": "%Y%m", "years": "%Y", "hours": "%Y%m%d%H"}


def label_pattern(interval: str, offset: int) -> str:
    """The strftime pattern of Kaltura's date labels for an interval; minute and ten-second
    buckets are ISO times with the zone's offset, as Druid writes them."""
    pattern = LABELS.get(interval)
    if pattern:
        return pattern
    east = -offset
    sign = "+" if east > 0 else "-"
    suffix = "Z" if east == 0 else f"{sign}{abs(east) // 60:02d}:{abs(east) % 60:02d}"
    return f"%Y-%m-%dT%H:%M:%S.000{suffix}"


class Shown:
    """How one query's values are shown."""

    def __init__(self, q: ReportQuery) -> None:
        self.pattern = label_pattern(run.bucket_interval(q), q.offset)

    def value(self, v: Any) -> Any:
        if v is None:
            return ""
        if isinstance(v, dt.datetime):
            return v.strftime(self.pattern)
        if isinstance(v, float) and v == 0:
            return 0  # PHP prints an integer zero, never "-0" or "0.0"
        if isinstance(v, list):  # PLATFORMS' (device, value) pairs
            return [(self.value(k), self.value(x)) for k, x in v]
        return v

    def row(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(self.value(v) for v in values)


def table(engine: Engine, q: ReportQuery, order: str | None, size: int, index: int) -> run.Table:
    got = run.get_table(engine, q, order, size, index)
    shown = Shown(q)
    return run.Table(got.headers, [shown.row(r) for r in got.rows], got.total_count)


def total(engine: Engine, q: ReportQuery) -> run.Total:
    got = run.get_total(engine, q)
    return run.Total(got.headers, None if got.values is None else Shown(q).row(got.values))


def graphs(engine: Engine, q: ReportQuery) -> list[run.Graph]:
    shown = Shown(q)
    return [
        run.Graph(g.id, [(shown.value(k), shown.value(v)) for k, v in g.points])
        for g in run.get_graphs(engine, q)
    ]


def base_total(engine: Engine, q: ReportQuery) -> list[tuple[str, Any]]:
    shown = Shown(q)
    return [(name, shown.value(v)) for name, v in run.get_base_total(engine, q)]


def labels(q: ReportQuery) -> list[str]:
    """The label of every bucket of a zero-filled series."""
    shown = Shown(q)
    return [shown.value(start) for start in run.buckets(q)]
