"""Compiling a KAVA query to SQL: pure text, no engine (vantage.kava.run executes it).

The facts a query reads are the hourly ``player_facts`` for the whole hours of its range and
the same aggregation of the raw beacons for the rest (a range that starts or ends inside an
hour, a time zone that is not a whole number of hours, or minute and ten-second intervals).
Both have the same columns and meaning (vantage.player.facts), so every number is exact.

Cumulative and running metrics (vantage.kava.metrics) are of the library, the entry
lifecycle: they read it from the beginning of the store (:data:`BEGINNING`), whatever other
sources the report has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vantage.kava import lifecycle_facts, room_facts
from vantage.kava.catalog import LIBRARY, KavaReport, Source, header_of, metric_of
from vantage.kava.dimensions import (
    CATEGORY_JOIN,
    CREATOR_JOIN,
    ENTRY_JOIN,
    OWNER_JOIN,
    USER_JOIN,
    Dimension,
)
from vantage.kava.metrics import METRICS, Rollup, events_of
from vantage.kava.query import KavaQuery
from vantage.kava.sql import lits
from vantage.player import facts
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, Time, all_of, fn
from vantage.sql.plan import Table

_DUCKDB = DuckDB()

HOUR = 3600
BEGINNING = 0
"""Where cumulative metrics start counting (Kaltura's base date is 2013-12-01)."""
FINE_SECONDS = {"minutes": 60, "ten_minutes": 600, "ten_seconds": 10}
QUARTER_HOUR = 900
LABELS = {
    "days": "%Y%m%d",
    "months": "%Y%m",
    "years": "%Y",
    "hours": "%Y%m%d%H",
}


def _ts(seconds: int) -> str:
    return f"make_timestamp({seconds * 1_000_000})"


def _span(column: str, start: int, end: int) -> str:
    return f"{column} >= {_ts(start)} AND {column} < {_ts(end)}"


def _raw(q: KavaQuery, start: int, end: int, seconds: int) -> str:
    """The facts of the raw beacons of a part of the range, per ``seconds`` of time."""
    received = Col("received_at", facts.B)
    where = all_of(
        (
            Col("partner_id", facts.B).isin(sorted(q.partner_ids)),
            received.ge(Time(start * 1_000_000)),
            received.lt(Time(end * 1_000_000)),
        )
    )
    bucket = fn("bucket_time", seconds, received)
    return _DUCKDB.sql(facts.aggregate(Table("player_events"), bucket=bucket, where=where))


def _fine(q: KavaQuery) -> int | None:
    """The time resolution (seconds) the query needs below whole hours, if any."""
    if q.report.minute_timeline:
        return FINE_SECONDS["minutes"]
    fine = FINE_SECONDS.get(q.interval)
    if fine:
        return fine
    return QUARTER_HOUR if q.offset % 60 else None


def _player(q: KavaQuery) -> list[str]:
    fine = _fine(q)
    if fine:
        return [_raw(q, q.start, q.end, fine)]
    first = -(-q.start // HOUR) * HOUR
    last = q.end // HOUR * HOUR
    if first >= last:
        return [_raw(q, q.start, q.end, HOUR)]
    parts = [
        f"SELECT * FROM player_facts WHERE partner_id IN {lits(sorted(q.partner_ids))} "
        f"AND {_span('bucket', first, last)}"
    ]
    if q.start < first:
        parts.append(_raw(q, q.start, first, HOUR))
    if last < q.end:
        parts.append(_raw(q, last, q.end, HOUR))
    return parts


def source(q: KavaQuery) -> str:
    """The facts of the query's partners and range from the report's sources, as one
    relation; player facts get the entry's owner when the report groups by it."""
    r = q.report
    parts = []
    if Source.PLAYER in r.sources:
        player = "\nUNION ALL BY NAME\n".join(f"({p})" for p in _player(q))
        if "owner_id" in _all_keys(r):
            player = (
                f"SELECT p.*, o.creator_user_id AS owner_id FROM ({player}) p LEFT JOIN entries o"
                " ON o.partner_id = p.partner_id AND o.id = p.entry_id"
            )
        parts.append(player)
    where = f"partner_id IN {lits(sorted(q.partner_ids))} AND {_span('time', q.start, q.end)}"
    bucket = _DUCKDB.expr(fn("bucket_time", _fine(q) or HOUR, Col("time")))
    if Source.ROOMS in r.sources:
        parts.append(room_facts.aggregate_sql(where, bucket))
    if Source.LIFECYCLE in r.sources:
        parts.append(lifecycle_facts.aggregate_sql(where, bucket))
    return "\nUNION ALL BY NAME\n".join(f"({p})" for p in parts)


def _all_keys(r: KavaReport) -> set[str]:
    return {k for d in (r.dimension, r.drilldown, r.friendly) if d is not None for k in d.keys}


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


def local_bucket(q: KavaQuery, column: str = "f.bucket") -> str:
    """The start of a bucket's date label period, in the query's time zone."""
    local = f"({column} - INTERVAL ({q.offset}) MINUTE)"
    unit = {"days": "day", "hours": "hour", "months": "month", "years": "year"}.get(q.interval)
    return f"date_trunc('{unit}', {local})" if unit else local


def _labelled(q: KavaQuery, sql: str) -> str:
    """``sql``'s ``local`` column as Kaltura's date labels (§10.3); formatting after grouping
    keeps strftime off the fact rows."""
    return f"SELECT strftime(local, '{label_pattern(q)}') AS label, * EXCLUDE (local) FROM ({sql})"


def date_header(q: KavaQuery) -> str:
    return {"months": "month_id", "years": "year_id"}.get(q.interval, "date_id")


def _where(q: KavaQuery, metrics: list[str], object_key: str | None) -> str:
    partners = lits(sorted(q.partner_ids))
    found = [f"f.partner_id IN {partners}"]
    sources = q.report.sources
    if q.playback_types and Source.PLAYER in sources:  # other sources' rows have none
        others = " OR f.fact_source IS NOT NULL" if len(sources) > 1 else ""
        found.append(f"(f.playback_type IN {lits(q.playback_types)}{others})")
    for events in (events_of(metrics), q.report.events):
        if events:  # counts are never negative; greatest() skips a source's missing ones
            found.append(f"greatest({', '.join(f'f.{facts.count_column(e)}' for e in events)}) > 0")
    found += [c for key, sql in q.conditions.facts if (c := _on_sources(sql, key, sources))]
    entries = q.conditions.entry_sql(partners)
    if entries:
        found.append(entries)
    if q.report.entry_media_types:
        found.append(
            f"f.entry_id IN (SELECT x.id FROM entries x WHERE x.partner_id IN {partners}"
            f" AND x.media_type IN {lits(q.report.entry_media_types)})"
        )
    if q.object_ids and object_key == "partner_id":  # ids not of the caller's match nothing
        found.append(f"f.partner_id IN {lits([int(v) for v in q.object_ids if v.isdigit()])}")
    elif q.object_ids and object_key:
        found.append(f"f.{object_key} IN {lits(q.object_ids)}")
    elif q.report.caller_by_default and len(q.partner_ids) > 1:
        # the caller: the one partner of the query whose parent is not among them
        found.append(
            f"f.partner_id IN (SELECT p.id FROM partners p WHERE p.id IN {partners} "
            f"AND coalesce(p.parent_partner_id NOT IN {partners}, true))"
        )
    return " AND ".join(found)


def _aggregates(metrics: list[str]) -> tuple[list[str], list[str]]:
    """Inner aggregate columns and outer post columns for these metrics."""
    inner: dict[str, str] = {}
    post: dict[str, str] = {}
    for name in metrics:
        metric = METRICS[name]
        if metric.post:
            for needed in metric.needs:
                inner.setdefault(needed, _DUCKDB.expr(METRICS[needed].expr))
            post[name] = _DUCKDB.expr(metric.expr)
        else:
            inner[name] = _DUCKDB.expr(metric.expr)
    return (
        [f"{sql} AS {name}" for name, sql in inner.items()],
        [f"{sql} AS {name}" for name, sql in post.items()],
    )


SOURCE_KEYS: dict[Source, frozenset[str] | None] = {
    Source.PLAYER: None,  # every fact key
    Source.ROOMS: room_facts.COLUMNS,
    Source.LIFECYCLE: lifecycle_facts.COLUMNS,
}


def _on_sources(condition: str, key: str, sources: tuple[Source, ...]) -> str | None:
    """A filter on ``key`` for the rows of the sources that have it; the others' rows pass
    (Kaltura drops a filter on a dimension a data source does not have)."""
    lacking = [s for s in sources if (keys := SOURCE_KEYS[s]) is not None and key not in keys]
    if len(lacking) == len(sources):
        return None
    if not lacking:
        return condition
    return f"({condition} OR f.fact_source IN {lits([s.value for s in lacking])})"


def _object_key(q: KavaQuery) -> str | None:
    r = q.report
    if r.object_key:
        return r.object_key
    if r.dimension is None:
        return "entry_id"
    return r.dimension.keys[0]


def library(q: KavaQuery, end: int) -> KavaQuery:
    """The query over the entry lifecycle alone, from the beginning of the store to ``end``."""
    return replace(q, report=replace(q.report, sources=LIBRARY), start=BEGINNING, end=end)


def grouped(
    q: KavaQuery, metrics: list[str], groups: list[tuple[str, str]], extra: tuple[str, ...] = ()
) -> str:
    """Rows of ``metrics`` per ``groups`` ((name, SQL over ``f``)), post metrics included;
    ``extra`` adds aggregate columns (counts) before the metrics. Cumulative metrics are
    counted from the beginning and joined to the range's rows (every row, for a total)."""
    since = [m for m in metrics if METRICS[m].cumulative]
    if not since:
        return _grouped(q, metrics, groups, extra)
    whole = library(q, q.end)
    if len(since) == len(metrics):
        return _grouped(whole, metrics, groups, extra)
    now = [m for m in metrics if m not in since]
    names = [name for name, _ in groups]
    counts = [e.rsplit(" AS ", 1)[1] for e in extra]
    left = _grouped(q, now, groups, extra)
    if names:
        on = " AND ".join(f"l.{n} IS NOT DISTINCT FROM r.{n}" for n in names)
        join = f"LEFT JOIN ({_grouped(whole, since, groups)}) r ON {on}"
        counted = [f"l.{c}" for c in counts]
    else:  # one row each
        join = f"CROSS JOIN ({_grouped(whole, since, groups, extra)}) r"
        counted = [f"l.{c} + r.{c} AS {c}" for c in counts]
    values = [f"l.{m}" if m in now else f"coalesce(r.{m}, 0) AS {m}" for m in metrics]
    select = [f"l.{n}" for n in names] + counted + values
    return f"SELECT {', '.join(select)}\nFROM ({left}) l\n{join}"


def _grouped(
    q: KavaQuery, metrics: list[str], groups: list[tuple[str, str]], extra: tuple[str, ...] = ()
) -> str:
    inner, post = _aggregates(metrics)
    needs_entry = any(METRICS[m].entry for m in metrics)
    join = (
        "\nLEFT JOIN entries en ON en.partner_id = f.partner_id AND en.id = f.entry_id"
        if needs_entry
        else ""
    )
    select = [f"{sql} AS {name}" for name, sql in groups] + list(extra) + inner
    group_by = f"\nGROUP BY {', '.join(str(i + 1) for i in range(len(groups)))}" if groups else ""
    sql = (
        f"SELECT {', '.join(select)}\nFROM ({source(q)}) f{join}\n"
        f"WHERE {_where(q, metrics, _object_key(q))}{group_by}"
    )
    if post:
        sql = f"SELECT *, {', '.join(post)} FROM ({sql})"
    return sql


def table_dimension(q: KavaQuery) -> Dimension | None:
    r = q.report
    if q.object_ids and r.drilldown is not None:
        return r.drilldown
    if q.friendly and r.friendly is not None:
        return r.friendly
    return r.dimension


# The entities a dimension's columns read, joined to the grouped row ``g`` (in this order: the
# creator is the entry's).
_JOINS: tuple[tuple[frozenset[str], str], ...] = (
    (
        frozenset({ENTRY_JOIN, CREATOR_JOIN}),
        "LEFT JOIN entries en ON en.partner_id = g.partner_id AND en.id = g.entry_id",
    ),
    (
        frozenset({CREATOR_JOIN}),
        "LEFT JOIN users cr ON cr.partner_id = en.partner_id AND cr.id = en.creator_user_id",
    ),
    (
        frozenset({CATEGORY_JOIN}),
        "LEFT JOIN categories cat ON cat.partner_id = g.partner_id "
        "AND CAST(cat.id AS VARCHAR) = g.playback_context",
    ),
    (
        frozenset({OWNER_JOIN}),
        "LEFT JOIN users ow ON ow.partner_id = g.partner_id AND ow.id = g.owner_id",
    ),
    (
        frozenset({USER_JOIN}),
        "LEFT JOIN users u ON u.partner_id = g.partner_id AND u.id = g.user_id",
    ),
)


def _joins(dimension: Dimension) -> str:
    return "\n".join(sql for wanted_by, sql in _JOINS if wanted_by & dimension.joins)


def _keys(dimension: Dimension) -> list[str]:
    keys = list(dimension.keys)
    if dimension.joins and "partner_id" not in keys:
        keys.append("partner_id")  # entities are looked up per partner
    return keys


@dataclass(frozen=True)
class TableQuery:
    rows: str  # the page, each row ending with the number of rows of all pages
    count: str  # that number alone (for a page beyond the last)
    headers: tuple[str, ...]


def table(
    q: KavaQuery, columns: tuple[str, ...], order: tuple[str, bool], size: int, index: int
) -> TableQuery:
    """A dimension report's page of rows, and the number of rows of all pages."""
    dimension = table_dimension(q)
    assert dimension is not None
    metrics = [metric_of(c) for c in columns]
    keys = _keys(dimension)
    inner = grouped(q, metrics, [(k, f"f.{k}") for k in keys])
    select = [f"{sql} AS {lit_name(h)}" for h, sql in dimension.columns]
    select += [f"g.{m}" for m in metrics]
    by, descending = order
    direction = "DESC" if descending else "ASC"
    ordering = [f"{by} {direction} NULLS LAST", *(f"g.{k}" for k in keys)]
    root = _root(q, by)
    if root:
        inner = f"SELECT * FROM ({inner}) WHERE {root} > 0"
    select.append("count(*) OVER () AS _total")  # counted before LIMIT: no second query
    rows = (
        f"SELECT {', '.join(select)}\nFROM ({inner}) g\n{_joins(dimension)}\n"
        f"ORDER BY {', '.join(ordering)}\nLIMIT {size} OFFSET {(index - 1) * size}"
    )
    count = f"SELECT count(*) FROM ({inner})"
    headers = (*dimension.headers, *(header_of(c) for c in columns))
    return TableQuery(rows, count, headers)


def _root(q: KavaQuery, order_by: str) -> str | None:
    """A join's root metric: the one ordered by, else the first."""
    roots = q.report.join_roots
    if not roots:
        return None
    ordered = order_by.removeprefix("g.")
    return ordered if ordered in roots else roots[0]


def lit_name(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def order_column(q: KavaQuery, wanted: str | None, columns: tuple[str, ...]) -> tuple[str, bool]:
    """The ORDER BY target for Kaltura's ``order`` (``-count_plays``, ``+name``) or the default;
    a header the report does not have falls back to the default, as in Kaltura."""
    text = (wanted or "").strip()
    descending = not text.startswith("+")
    name = text.lstrip("+-")
    for column in columns:
        if name and header_of(column) == name:
            return f"g.{metric_of(column)}", descending
    dimension = table_dimension(q)
    if name and dimension is not None:
        for header, _ in dimension.columns:
            if header == name:
                return lit_name(header), descending
    return f"g.{q.report.default_order()}", True


def totals(q: KavaQuery, metrics: list[str]) -> str:
    """One row: the metrics over the whole range, then how many fact rows matched."""
    return grouped(q, metrics, [], ("count(*) AS _matched",))


def by_date(q: KavaQuery, metrics: list[str]) -> str:
    """Rows of (label, metrics…) per date bucket of the query's interval, by label."""
    return _labelled(q, grouped(q, metrics, [("local", local_bucket(q))])) + "\nORDER BY 1"


def by_minute(q: KavaQuery, metrics: list[str]) -> str:
    """Rows of (unix minute, metrics…) for a minute timeline."""
    return grouped(q, metrics, [("minute", "epoch(f.bucket)::BIGINT")])


def by_dimension(q: KavaQuery, metrics: list[str], key: str) -> str:
    """Rows of (value, metrics…) per value of one dimension key, most plays first."""
    first = metrics[0]
    return grouped(q, metrics, [("value", f"f.{key}")]) + f"\nORDER BY {first} DESC, 1"


def by_date_and_dimension(q: KavaQuery, metrics: list[str], key: str) -> str:
    """Rows of (label, value, metrics…) per date bucket and value of one dimension key."""
    inner = grouped(q, metrics, [("local", local_bucket(q)), ("value", f"f.{key}")])
    return _labelled(q, inner) + f"\nORDER BY 1, {metrics[0]} DESC, 2"


_ROLLUPS = {
    Rollup.SUM: "coalesce(sum({c}), 0)",
    Rollup.MEAN: "avg({c})",
    Rollup.MAX: "max({c})",
    Rollup.LAST: "arg_max({c}, day)",
    Rollup.MONTHLY_MEANS: "sum({c})",  # of each month's mean spread over its days
}


def usage_interval(q: KavaQuery) -> str:
    """A usage report's periods: months or years when asked, else days (§3.4)."""
    return q.interval if q.interval in ("months", "years") else "days"


def _with_needs(metrics: list[str]) -> list[str]:
    found = dict.fromkeys(metrics)
    for name in metrics:
        found.update(dict.fromkeys(METRICS[name].needs))
    return list(found)


def usage(q: KavaQuery, metrics: list[str], by_period: bool = True) -> str:
    """A usage report (Kaltura's join graphs, §3.4): the metrics of every local day of the
    range, running metrics as the day's running total from the beginning, rolled up by each
    metric's rollup per period (:func:`usage_interval`) or, without ``by_period``, over the
    whole range. Rows of (label, metrics…) by label, or one row of the metrics."""
    days = replace(q, interval="days")
    wanted = _with_needs(metrics)
    plain = [m for m in wanted if not (METRICS[m].running or METRICS[m].post or METRICS[m].empty)]
    runs = list(dict.fromkeys(r for m in wanted if (r := METRICS[m].running)))
    daily_metrics = list(dict.fromkeys([*plain, *(m for run in runs for m in run)]))
    daily = (
        _grouped(days, daily_metrics, [("day", local_bucket(days))])
        if daily_metrics
        else "SELECT NULL::TIMESTAMP AS day WHERE false"
    )
    nets = list(dict.fromkeys(net for net, _ in runs))
    base = _grouped(library(q, q.start), nets, []) if nets else "SELECT 1 AS _one"
    local = f"INTERVAL ({q.offset}) MINUTE"
    first = f"date_trunc('day', {_ts(q.start)} - {local})"
    last = f"date_trunc('day', make_timestamp({q.end * 1_000_000 - 1}) - {local})"
    unit = usage_interval(q)
    period = (
        ("d.day" if unit == "days" else f"date_trunc('{unit[:-1]}', d.day)")
        if by_period
        else "NULL::TIMESTAMP"
    )
    values = [f"coalesce(x.{m}, 0) AS {m}" for m in plain]
    values += [
        f"b.{net} + sum(coalesce(x.{net}, 0)) OVER (ORDER BY d.day) + coalesce(x.{removed}, 0)"
        f" AS _run{i}"
        for i, (net, removed) in enumerate(runs)
    ]
    monthly = ["*"]  # the days, with each month's mean spread over its days where needed
    rolled = []
    for m in wanted:
        metric = METRICS[m]
        if metric.running is not None:
            column = f"_run{runs.index(metric.running)}"
        elif m in plain:
            column = m
        else:  # post and empty metrics come after
            continue
        if metric.rollup is Rollup.MONTHLY_MEANS:
            w = "OVER (PARTITION BY period, month)"
            monthly.append(f"avg({column}) {w} / count(*) {w} AS _mm_{m}")
            column = f"_mm_{m}"
        rolled.append(f"{_ROLLUPS[metric.rollup].format(c=column)} AS {m}")
    final = []
    for m in metrics:
        metric = METRICS[m]
        final.append(
            f"NULL AS {m}"
            if metric.empty
            else f"{_DUCKDB.expr(metric.expr)} AS {m}"
            if metric.post
            else m
        )
    label = [f"strftime(period, '{label_pattern(replace(q, interval=unit))}') AS label"]
    return f"""WITH daily AS (
{daily}
), base AS (
{base}
), days AS (
SELECT unnest(range({first}, {last} + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS day
), valued AS (
SELECT {", ".join(["d.day", f"{period} AS period", "date_trunc('month', d.day) AS month", *values])}
FROM days d LEFT JOIN daily x ON x.day = d.day CROSS JOIN base b
), monthly AS (
SELECT {", ".join(monthly)} FROM valued
), rolled AS (
SELECT {", ".join(["period", *rolled])} FROM monthly GROUP BY period
)
SELECT {", ".join((label if by_period else []) + final)} FROM rolled ORDER BY period"""


def report_dimension_key(report: KavaReport, drilled: bool) -> str:
    dimension = report.drilldown if drilled and report.drilldown else report.dimension
    assert dimension is not None
    return dimension.keys[0]
