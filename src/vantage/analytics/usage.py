"""Compiling a usage report (Kaltura's join graphs, §3.4: 17's graphs, 60, 201 and their
twins) to a plan: every local day of the range with running totals from the beginning of the
store, rolled up per month, year or the whole range by each metric's rollup
(vantage.analytics.metrics). The days' metrics come from vantage.analytics.compiler's grouped
rows."""

from __future__ import annotations

from dataclasses import replace

from vantage.analytics.compiler import DAY, grouped, library, local_bucket
from vantage.analytics.metrics import METRICS, Rollup
from vantage.analytics.period import time_at
from vantage.analytics.query import ReportQuery
from vantage.sql.expr import Agg, Col, Expr, Lit, Null, Order, Over, Time, Type, agg, fn
from vantage.sql.plan import Join, JoinKind, Select, Series, Table, With

_ROLLUPS = {
    Rollup.SUM: lambda c: fn("coalesce", agg("sum", c), 0),
    Rollup.MEAN: lambda c: agg("avg", c),
    Rollup.MAX: lambda c: agg("max", c),
    Rollup.LAST: lambda c: agg("arg_max", c, Col("day", "m")),
    Rollup.MONTHLY_MEANS: lambda c: agg("sum", c),  # of each month's mean spread over its days
}


def usage_interval(q: ReportQuery) -> str:
    """A usage report's periods: months or years when asked, else days (§3.4)."""
    return q.interval if q.interval in ("months", "years") else "days"


def _with_needs(metrics: list[str]) -> list[str]:
    found = dict.fromkeys(metrics)
    for name in metrics:
        found.update(dict.fromkeys(METRICS[name].needs))
    return list(found)


def usage(q: ReportQuery, metrics: list[str], by_period: bool = True) -> With:
    """A usage report (Kaltura's join graphs, §3.4): the metrics of every local day of the
    range, running metrics as the day's running total from the beginning, rolled up by each
    metric's rollup per period (:func:`usage_interval`) or, without ``by_period``, over the
    whole range. Rows of (period start, metrics…) in order, or one row of (NULL, metrics…)."""
    days = replace(q, interval="days")
    wanted = _with_needs(metrics)
    plain = [m for m in wanted if not (METRICS[m].running or METRICS[m].post or METRICS[m].empty)]
    runs = list(dict.fromkeys(r for m in wanted if (r := METRICS[m].running)))
    daily_metrics = list(dict.fromkeys([*plain, *(m for run in runs for m in run)]))
    daily: Select = (
        grouped(days, daily_metrics, [("day", local_bucket(days))])
        if daily_metrics
        else Select((("day", Null(Type.TIME)),), where=Lit(False))
    )
    nets = list(dict.fromkeys(net for net, _ in runs))
    base = grouped(library(q, q.start), nets, []) if nets else Select((("_one", Lit(1)),))
    shift = -q.offset * 60
    first = fn("trunc_time", "day", fn("add_seconds", time_at(q.start), shift))
    last = fn("trunc_time", "day", fn("add_seconds", Time(q.end * 1_000_000 - 1), shift))
    unit = usage_interval(q)
    day = Col("day", "d")
    period: Expr = (
        (day if unit == "days" else fn("trunc_time", unit[:-1], day))
        if by_period
        else Null(Type.TIME)
    )
    valued: list[tuple[str, Expr]] = [
        ("day", day),
        ("period", period),
        ("month", fn("trunc_time", "month", day)),
    ]
    valued += [(m, fn("coalesce", Col(m, "x"), 0)) for m in plain]
    for i, (net, removed) in enumerate(runs):
        running = Over(Agg("sum", (fn("coalesce", Col(net, "x"), 0),)), (), (Order(day),))
        valued.append((f"_run{i}", Col(net, "b") + running + fn("coalesce", Col(removed, "x"), 0)))
    series = Series("day", first, fn("add_seconds", last, DAY), DAY)
    valued_q = Select(
        tuple(valued),
        series,
        "d",
        joins=(
            Join(JoinKind.LEFT, Table("daily"), "x", Col("day", "x").eq(day)),
            Join(JoinKind.CROSS, Table("base"), "b"),
        ),
    )
    # the days, with each month's mean spread over its days where needed
    monthly: list[tuple[str, Expr]] = [(n, Col(n, "v")) for n, _ in valued]
    rolled: list[tuple[str, Expr]] = [("period", Col("period", "m"))]
    for m in wanted:
        metric = METRICS[m]
        if metric.running is not None:
            column = f"_run{runs.index(metric.running)}"
        elif m in plain:
            column = m
        else:  # post and empty metrics come after
            continue
        if metric.rollup is Rollup.MONTHLY_MEANS:
            within = (Col("period", "v"), Col("month", "v"))
            mean = Over(Agg("avg", (Col(column, "v"),)), within)
            monthly.append((f"_mm_{m}", mean / Over(Agg("count", ()), within)))
            column = f"_mm_{m}"
        rolled.append((m, _ROLLUPS[metric.rollup](Col(column, "m"))))
    final: list[tuple[str, Expr]] = [("period", Col("period", "r"))]
    for m in metrics:
        metric = METRICS[m]
        if metric.empty:
            final.append((m, Null(Type.FLOAT)))
        elif metric.post:  # its metrics are the rolled-up columns (unqualified)
            final.append((m, metric.expr))
        else:
            final.append((m, Col(m, "r")))
    return With(
        (
            ("daily", daily),
            ("base", base),
            ("valued", valued_q),
            ("monthly", Select(tuple(monthly), Table("valued"), "v")),
            (
                "rolled",
                Select(tuple(rolled), Table("monthly"), "m", group_by=(Col("period", "m"),)),
            ),
        ),
        Select(tuple(final), Table("rolled"), "r", order_by=(Order(Col("period", "r")),)),
    )
