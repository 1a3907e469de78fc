"""Compiling a KAVA query to an engine-neutral plan (vantage.sql): no engine, no SQL text;
vantage.analytics.run writes the plan in its engine's dialect and runs it.

The facts a query reads are the hourly ``player_facts`` for the whole hours of its range and
the same aggregation of the raw beacons for the rest (a range that starts or ends inside an
hour, a time zone that is not a whole number of hours, or minute and ten-second intervals).
Both have the same columns and meaning (vantage.player.facts), so every number is exact.

Cumulative and running metrics (vantage.analytics.metrics) are of the library, the entry
lifecycle: they read it from the beginning of the store (:data:`BEGINNING`), whatever other
sources the report has.

Times come back as timestamps (the start of a local date bucket, or of a minute); Kaltura's
date labels are written from them by vantage.analytics.run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vantage.analytics import lifecycle_facts, room_facts
from vantage.analytics.dimensions import JOINS, Dimension, g
from vantage.analytics.metrics import METRICS, events_of, f
from vantage.analytics.period import HOUR, Period, time_at
from vantage.analytics.query import ReportQuery
from vantage.analytics.report_types import LIBRARY, ReportType, Source, header_of, metric_of
from vantage.player import facts
from vantage.sql.expr import (
    Agg,
    Cast,
    Col,
    Expr,
    Lit,
    Null,
    Order,
    Over,
    Type,
    all_of,
    col,
    count,
    fn,
)
from vantage.sql.plan import Join, JoinKind, Query, Select, Table, Union
from vantage.sql.prune import pruned

DAY = 86_400
BEGINNING = 0
"""Where cumulative metrics start counting (Kaltura's base date is 2013-12-01)."""
FINE_SECONDS = {"minutes": 60, "ten_minutes": 600, "ten_seconds": 10}
QUARTER_HOUR = 900
PLAYER_COLUMNS: dict[str, Type] = {
    **{k.name: k.type for k in facts.KEYS},
    **{m.name: m.type for m in facts.MEASURES},
}


def _span(column: Col, start: int, end: int) -> Expr:
    return column.ge(time_at(start)) & column.lt(time_at(end))


def _partners(q: ReportQuery) -> list[int]:
    return sorted(q.partner_ids)


# --- the facts a query reads -----------------------------------------------------------


def _raw(q: ReportQuery, start: int, end: int, seconds: int) -> Select:
    """The facts of the raw beacons of a part of the range, per ``seconds`` of time."""
    received = Col("received_at", facts.B)
    where = Col("partner_id", facts.B).isin(_partners(q)) & _span(received, start, end)
    bucket = fn("bucket_time", seconds, received)
    return facts.aggregate(Table("player_events"), bucket=bucket, where=where)


def _stored(q: ReportQuery, start: int, end: int) -> Select:
    """The stored hourly facts of whole hours of the range."""
    columns = tuple((name, Col(name, "h")) for name in PLAYER_COLUMNS)
    where = Col("partner_id", "h").isin(_partners(q)) & _span(Col("bucket", "h"), start, end)
    return Select(columns, Table("player_facts"), "h", where=where)


def _fine(q: ReportQuery) -> int | None:
    """The time resolution (seconds) the query needs below whole hours, if any."""
    if q.report_type.minute_timeline:
        return FINE_SECONDS["minutes"]
    fine = FINE_SECONDS.get(q.interval)
    if fine:
        return fine
    return QUARTER_HOUR if q.offset % 60 else None


def _player(q: ReportQuery) -> list[Select]:
    fine = _fine(q)
    if fine:
        return [_raw(q, q.start, q.end, fine)]
    whole = q.period.whole_hours
    if whole is None:
        return [_raw(q, q.start, q.end, HOUR)]
    first, last = whole
    parts = [_stored(q, first, last)]
    if q.start < first:
        parts.append(_raw(q, q.start, first, HOUR))
    if last < q.end:
        parts.append(_raw(q, last, q.end, HOUR))
    return parts


def _aligned(parts: list[tuple[Query, dict[str, Type]]]) -> tuple[Query, dict[str, Type]]:
    """One relation of the rows of every part: the union of their columns, NULL where a part
    lacks one (as DuckDB's UNION BY NAME, written out for every engine)."""
    if len(parts) == 1:
        return parts[0]
    every: dict[str, Type] = {}
    for _, columns in parts:
        every.update({n: t for n, t in columns.items() if n not in every})
    selects = [
        Select(
            # each column cast to its type: the engines' own types of the parts may differ
            # (ClickHouse's counts of raw beacons are unsigned, the stored ones signed)
            tuple((n, Cast(Col(n, "p"), t) if n in columns else Null(t)) for n, t in every.items()),
            part,
            "p",
        )
        for part, columns in parts
    ]
    return Union(tuple(selects)), every


def source(q: ReportQuery) -> tuple[Query, dict[str, Type]]:
    """The facts of the query's partners and range from the report's sources, as one
    relation and its columns; player facts get the entry's owner when the report groups by
    it."""
    r = q.report_type
    parts: list[tuple[Query, dict[str, Type]]] = []
    if Source.PLAYER in r.sources:
        player, columns = _aligned([(p, PLAYER_COLUMNS) for p in _player(q)])
        if "owner_id" in _all_keys(r):
            owner = Col("creator_user_id", "o")
            on = Col("partner_id", "o").eq(Col("partner_id", "p")) & Col("id", "o").eq(
                Col("entry_id", "p")
            )
            player = Select(
                (*((n, Col(n, "p")) for n in columns), ("owner_id", owner)),
                player,
                "p",
                joins=(Join(JoinKind.LEFT, Table("entries"), "o", on),),
            )
            columns = {**columns, "owner_id": Type.TEXT}
        parts.append((player, columns))
    where = col("partner_id").isin(_partners(q)) & _span(col("time"), q.start, q.end)
    if Source.ROOMS in r.sources:
        # the entries' condition (a category's rooms) also before the room events are
        # aggregated, where it spares reading the partner's other rooms (entry_id is a key)
        among = _among_entries(q)
        parts += _rooms(q, where if among is None else where & among)
    if Source.LIFECYCLE in r.sources:
        seconds = _fine(q) or HOUR
        parts.append((lifecycle_facts.aggregate(where, seconds), lifecycle_facts.COLUMN_TYPES))
    return _aligned(parts)


def _rooms(q: ReportQuery, where: Expr) -> list[tuple[Query, dict[str, Type]]]:
    """Room facts: presence of the hours the range holds whole from the hourly presence facts,
    the rest from the room events (as the player's facts and beacons, ``_player``); with the
    person's client when the report groups by it."""
    types = room_facts.COLUMN_TYPES
    fine = _fine(q)
    whole = q.period.whole_hours
    parts: list[tuple[Query, dict[str, Type]]]
    if fine or whole is None:
        parts = [(room_facts.aggregate(where, fine or HOUR), types)]
    else:
        parts = [
            (room_facts.aggregate(where, HOUR, whole), types),
            (room_facts.presence(_partners(q), whole), room_facts.PRESENCE_TYPES),
        ]
    if not _room_clients(q.report_type):
        return parts
    return [_with_client(q, part, columns) for part, columns in parts]


def _among_entries(q: ReportQuery) -> Expr | None:
    """The entries' condition (a category's rooms) on room events' own ``entry_id``, applied
    before they are aggregated: it spares reading the partner's other rooms."""
    if not q.conditions.entries:
        return None
    return _entries_where(q, all_of(q.conditions.entries), col("entry_id"))


def _room_clients(r: ReportType) -> bool:
    """Whether the report's room facts carry the person's client (it groups by it)."""
    return Source.ROOMS in r.sources and bool(_all_keys(r) & set(room_facts.CLIENT))


def _with_client(
    q: ReportQuery, part: Query, columns: dict[str, Type]
) -> tuple[Query, dict[str, Type]]:
    """Room facts with the client of each person's latest join of the room up to the range's
    end (a fact of a person who never joined there with one has none)."""
    on = all_of(Col(k, "c").eq(Col(k, "r")) for k in ("partner_id", "entry_id", "user_id"))
    # the facts are of the query's entries only, so their joins are all that are looked up
    clients = room_facts.clients(_partners(q), q.end, _among_entries(q))
    client = Join(JoinKind.LEFT, clients, "c", on)
    select = Select(
        (*((n, Col(n, "r")) for n in columns), *((k, Col(k, "c")) for k in room_facts.CLIENT)),
        part,
        "r",
        joins=(client,),
    )
    return select, {**columns, **dict.fromkeys(room_facts.CLIENT, Type.TEXT)}


def _all_keys(r: ReportType) -> set[str]:
    return {k for d in (r.dimension, r.drilldown, r.friendly) if d is not None for k in d.keys}


def local_bucket(q: ReportQuery, column: Expr | None = None) -> Expr:
    """The start of a bucket's date label period, in the query's time zone."""
    local = fn("add_seconds", column or f("bucket"), -q.offset * 60)
    unit = {"days": "day", "hours": "hour", "months": "month", "years": "year"}.get(q.interval)
    return fn("trunc_time", unit, local) if unit else local


def date_header(q: ReportQuery) -> str:
    return {"months": "month_id", "years": "year_id"}.get(q.interval, "date_id")


# --- which fact rows count -------------------------------------------------------------

SOURCE_KEYS: dict[Source, frozenset[str] | None] = {
    Source.PLAYER: None,  # every fact key
    Source.ROOMS: room_facts.COLUMNS,
    Source.LIFECYCLE: lifecycle_facts.COLUMNS,
}


def _keys_of(s: Source, r: ReportType) -> frozenset[str] | None:
    """The fact keys a source's rows have in a report (None: every key)."""
    if s is Source.ROOMS and _room_clients(r):
        return room_facts.COLUMNS | set(room_facts.CLIENT)
    return SOURCE_KEYS[s]


def _on_sources(condition: Expr, key: str, r: ReportType) -> Expr | None:
    """A filter on ``key`` for the rows of the sources that have it; the others' rows pass
    (Kaltura drops a filter on a dimension a data source does not have)."""
    sources = r.sources
    lacking = [s for s in sources if (keys := _keys_of(s, r)) is not None and key not in keys]
    if len(lacking) == len(sources):
        return None
    if not lacking:
        return condition
    return condition | f("fact_source").isin([s.value for s in lacking])


def _entries_where(q: ReportQuery, condition: Expr, entry: Col | None = None) -> Expr:
    """Fact rows (or, with ``entry``, the rows whose entry column it is) of the entries
    (``x``) of the query's partners that meet ``condition``."""
    x = Col("partner_id", "x").isin(_partners(q)) & condition
    ids = Select((("id", Col("id", "x")),), Table("entries"), "x", where=x)
    return (entry or f("entry_id")).isin(ids)


def _where(q: ReportQuery, metrics: list[str], object_key: str | None) -> Expr:
    partners = _partners(q)
    found = [f("partner_id").isin(partners)]
    sources = q.report_type.sources
    if q.playback_types and Source.PLAYER in sources:  # other sources' rows have none
        playback = f("playback_type").isin(q.playback_types)
        found.append(playback | f("fact_source").not_null() if len(sources) > 1 else playback)
    for events in (events_of(metrics), q.report_type.events):
        if events:  # counts are never negative; greatest() skips a source's missing ones
            counts = [f(facts.count_column(e)) for e in events]
            found.append(fn("greatest", *counts).gt(0))
    found += [c for key, x in q.conditions.facts if (c := _on_sources(x, key, q.report_type))]
    if q.conditions.entries:
        found.append(_entries_where(q, all_of(q.conditions.entries)))
    if q.report_type.entry_media_types:
        media = Col("media_type", "x").isin(q.report_type.entry_media_types)
        found.append(_entries_where(q, media))
    if q.object_ids and object_key == "partner_id":  # ids not of the caller's match nothing
        found.append(f("partner_id").isin([int(v) for v in q.object_ids if v.isdigit()]))
    elif q.object_ids and object_key:
        found.append(f(object_key).isin(q.object_ids))
    elif q.report_type.caller_by_default and len(q.partner_ids) > 1:
        # the caller: the one partner of the query whose parent is not among them
        parent = Col("parent_partner_id", "pa")
        caller = Col("id", "pa").isin(partners) & (parent.is_null() | ~parent.isin(partners))
        callers = Select((("id", Col("id", "pa")),), Table("partners"), "pa", where=caller)
        found.append(f("partner_id").isin(callers))
    return all_of(found)


def _object_key(q: ReportQuery) -> str | None:
    r = q.report_type
    if r.object_key:
        return r.object_key
    if r.dimension is None:
        return "entry_id"
    return r.dimension.keys[0]


# --- metrics per group -----------------------------------------------------------------

Groups = list[tuple[str, Expr]]


def library(q: ReportQuery, end: int) -> ReportQuery:
    """The query over the entry lifecycle alone, from the beginning of the store to ``end``."""
    period = Period(BEGINNING, end, q.offset)
    return replace(q, report=replace(q.report_type, sources=LIBRARY), period=period)


def grouped(q: ReportQuery, metrics: list[str], groups: Groups, matched: bool = False) -> Select:
    """Rows of ``metrics`` per ``groups`` ((name, expression over ``f``)), post metrics
    included; ``matched`` adds ``_matched``, how many fact rows matched, before the metrics.
    Cumulative metrics are counted from the beginning and joined to the range's rows (every
    row, for a total)."""
    since = [m for m in metrics if METRICS[m].cumulative]
    if not since:
        return _grouped(q, metrics, groups, matched)
    whole = library(q, q.end)
    if len(since) == len(metrics):
        return _grouped(whole, metrics, groups, matched)
    now = [m for m in metrics if m not in since]
    names = [name for name, _ in groups]
    left = _grouped(q, now, groups, matched)
    right = _grouped(whole, since, groups, matched and not names)
    if names:
        on = all_of(Col(n, "l").same(Col(n, "r")) for n in names)
        join = Join(JoinKind.LEFT, right, "r", on)
        counted: list[tuple[str, Expr]] = [("_matched", Col("_matched", "l"))] if matched else []
    else:  # one row each
        join = Join(JoinKind.CROSS, right, "r")
        both = Col("_matched", "l") + Col("_matched", "r")
        counted = [("_matched", both)] if matched else []
    values = [(m, Col(m, "l") if m in now else fn("coalesce", Col(m, "r"), 0)) for m in metrics]
    columns = [(n, Col(n, "l")) for n in names] + counted + values
    return Select(tuple(columns), left, "l", joins=(join,))


def _grouped(q: ReportQuery, metrics: list[str], groups: Groups, matched: bool) -> Select:
    inner: dict[str, Expr] = {}
    post: dict[str, Expr] = {}
    for name in metrics:
        metric = METRICS[name]
        if metric.post:
            for needed in metric.needs:
                inner.setdefault(needed, METRICS[needed].expr)
            post[name] = metric.expr
        else:
            inner[name] = metric.expr
    joins: tuple[Join, ...] = ()
    if any(METRICS[m].entry for m in metrics):
        on = Col("partner_id", "en").eq(f("partner_id")) & Col("id", "en").eq(f("entry_id"))
        joins = (Join(JoinKind.LEFT, Table("entries"), "en", on),)
    relation, _ = source(q)
    columns = [*groups, *([("_matched", count())] if matched else []), *inner.items()]
    select = pruned(
        Select(
            tuple(columns),
            relation,
            "f",
            joins=joins,
            where=_where(q, metrics, _object_key(q)),
            group_by=tuple(x for _, x in groups),
        )
    )
    if not post:
        return select
    kept = [(n, Col(n, "i")) for n, _ in columns]
    return Select((*kept, *post.items()), select, "i")


# --- getTable ----------------------------------------------------------------------------


def table_dimension(q: ReportQuery) -> Dimension | None:
    r = q.report_type
    if q.object_ids and r.drilldown is not None:
        return r.drilldown
    if q.friendly and r.friendly is not None:
        return r.friendly
    return r.dimension


def _keys(dimension: Dimension) -> list[str]:
    keys = list(dimension.keys)
    if dimension.joins and "partner_id" not in keys:
        keys.append("partner_id")  # entities are looked up per partner
    return keys


@dataclass(frozen=True)
class TableQuery:
    rows: Query  # the page, each row ending with the number of rows of all pages
    count: Query  # that number alone (for a page beyond the last)
    headers: tuple[str, ...]


@dataclass(frozen=True)
class OrderBy:
    """What a table is ordered by: a metric of the grouped rows, or a dimension column."""

    target: Expr | None  # None: a column that is the same on every row (rows keep key order)
    descending: bool


def table(
    q: ReportQuery, columns: tuple[str, ...], order: OrderBy, size: int, index: int
) -> TableQuery:
    """A dimension report's page of rows, and the number of rows of all pages."""
    dimension = table_dimension(q)
    assert dimension is not None
    metrics = [metric_of(c) for c in columns]
    keys = _keys(dimension)
    inner = _table_rows(q, metrics, keys, order)
    selected = [x for _, x in dimension.columns] + [g(m) for m in metrics]
    select = [(f"c{i}", x) for i, x in enumerate(selected)]
    select.append(("_total", Over(Agg("count", ()))))  # counted before LIMIT: no second query
    first = () if order.target is None else (Order(order.target, order.descending),)
    ordering = (*first, *(Order(g(k)) for k in keys))
    rows = Select(
        tuple(select),
        inner,
        "g",
        joins=tuple(join for wanted_by, join in JOINS if wanted_by & dimension.joins),
        order_by=ordering,
        limit=size,
        offset=(index - 1) * size,
    )
    counted = Select((("n", count()),), inner, "c")
    headers = (*dimension.headers, *(header_of(c) for c in columns))
    return TableQuery(rows, counted, headers)


def _table_rows(q: ReportQuery, metrics: list[str], keys: list[str], order: OrderBy) -> Query:
    """Every row of a dimension report's table, of every page: keys, then metrics."""
    inner: Query = grouped(q, metrics, [(k, f(k)) for k in keys])
    root = _root(q, order.target)
    if not root:
        return inner
    names = [*keys, *dict.fromkeys(metrics)]
    return Select(tuple((n, Col(n, "r")) for n in names), inner, "r", where=Col(root, "r").gt(0))


def above_zero(q: ReportQuery, headers: list[str]) -> Select:
    """One row: how many rows the report's table has (of every page, in its default order),
    then for each of ``headers`` (its columns) how many of those rows have a value above 0."""
    dimension = table_dimension(q)
    assert dimension is not None
    columns = q.report_type.table
    metrics = {header_of(c): metric_of(c) for c in columns}
    order = order_column(q, None, columns)
    rows = _table_rows(q, list(dict.fromkeys(metrics.values())), _keys(dimension), order)
    counted = [(h, count(Col(metrics[h], "a").gt(0))) for h in headers]
    return Select((("rows", count()), *counted), rows, "a")


def _root(q: ReportQuery, target: Expr | None) -> str | None:
    """A join's root metric: the one ordered by, else the first."""
    roots = q.report_type.join_roots
    if not roots:
        return None
    ordered = target.name if isinstance(target, Col) and target.table == "g" else None
    return ordered if ordered in roots else roots[0]


def order_column(q: ReportQuery, wanted: str | None, columns: tuple[str, ...]) -> OrderBy:
    """The order for Kaltura's ``order`` (``-count_plays``, ``+name``) or the default; a
    header the report does not have falls back to the default, as in Kaltura."""
    text = (wanted or "").strip()
    descending = not text.startswith("+")
    name = text.lstrip("+-")
    for column in columns:
        if name and header_of(column) == name:
            return OrderBy(g(metric_of(column)), descending)
    dimension = table_dimension(q)
    if name and dimension is not None:
        for header, x in dimension.columns:
            if header == name:
                return OrderBy(None if isinstance(x, Lit) else x, descending)
    return OrderBy(g(q.report_type.default_order()), True)


# --- getTotal and getGraphs ------------------------------------------------------------


def totals(q: ReportQuery, metrics: list[str]) -> Select:
    """One row: how many fact rows matched, then the metrics over the whole range."""
    return grouped(q, metrics, [], matched=True)


def same_rows(a: ReportQuery, a_metrics: list[str], b: ReportQuery, b_metrics: list[str]) -> bool:
    """Whether the totals of ``a_metrics`` of ``a`` and of ``b_metrics`` of ``b`` aggregate
    the same fact rows, so that one select answers both (``totals`` of all the metrics)."""
    if any(METRICS[m].cumulative for m in (*a_metrics, *b_metrics)):
        return False  # they read the library from the beginning: another relation
    return source(a) == source(b) and _where(a, a_metrics, _object_key(a)) == _where(
        b, b_metrics, _object_key(b)
    )


def one_row(parts: list[Select]) -> Select:
    """The columns of one-row selects side by side, ``name`` of the i-th as ``p<i>_<name>``:
    several answers planned and run as one statement."""
    aliases = [f"p{i}" for i in range(len(parts))]
    columns = tuple(
        (f"{a}_{n}", Col(n, a)) for a, part in zip(aliases, parts, strict=True) for n in part.names
    )
    joins = tuple(
        Join(JoinKind.CROSS, part, a) for a, part in zip(aliases[1:], parts[1:], strict=True)
    )
    return Select(columns, parts[0], aliases[0], joins=joins)


def by_date(q: ReportQuery, metrics: list[str]) -> Select:
    """Rows of (local date bucket, metrics…) per date bucket of the query's interval, by time."""
    return _ordered(grouped(q, metrics, [("local", local_bucket(q))]), [Order(Col("local"))])


def by_minute(q: ReportQuery, metrics: list[str]) -> Select:
    """Rows of (unix minute, metrics…) for a minute timeline."""
    return grouped(q, metrics, [("minute", fn("unix_seconds", f("bucket")))])


def by_dimension(q: ReportQuery, metrics: list[str], key: str) -> Select:
    """Rows of (value, metrics…) per value of one dimension key, most plays first."""
    rows = grouped(q, metrics, [("value", f(key))])
    return _ordered(rows, [Order(Col(metrics[0]), True), Order(Col("value"))])


def by_date_and_dimension(q: ReportQuery, metrics: list[str], key: str) -> Select:
    """Rows of (local date bucket, value, metrics…) per date bucket and value of one key."""
    rows = grouped(q, metrics, [("local", local_bucket(q)), ("value", f(key))])
    order = [Order(Col("local")), Order(Col(metrics[0]), True), Order(Col("value"))]
    return _ordered(rows, order)


def _ordered(rows: Select, order: list[Order]) -> Select:
    """``rows`` ordered by their own output columns (unqualified names in ``order``)."""
    named = [(n, Col(n, "o")) for n in rows.names]
    by = [replace(o, expr=Col(o.expr.name, "o")) for o in order if isinstance(o.expr, Col)]
    return Select(tuple(named), rows, "o", order_by=tuple(by))


def report_dimension_key(report: ReportType, drilled: bool) -> str:
    dimension = report.drilldown if drilled and report.drilldown else report.dimension
    assert dimension is not None
    return dimension.keys[0]
