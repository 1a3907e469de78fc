"""Room report + query → an engine-neutral plan (vantage.sql). Pure: nothing here touches a
store or writes SQL text; vantage.analytics.run writes the plan in its engine's dialect.

The query has three layers: ``ev``, the room events of the caller's partners in the date range
that pass the report's filters (only the event types its metrics read; presence in the hours
the range holds whole comes from the hourly presence facts, vantage.store.room_presence);
``g``, one row per grain key with the metrics; and the final select, which joins the entities
that describe a row and orders it. A session-grained report starts from the sessions
overlapping the date range instead, so that a session nobody attended still has its row. A
report that adds player views (3007) joins ``g`` with ``pv``, the same rows from the analytics
core's player facts (vantage.analytics.compiler: exact for any range), filtered by the same
conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vantage.analytics import compiler
from vantage.analytics.period import time_at
from vantage.analytics.query import ReportQuery
from vantage.analytics.relations import entries, filter_conditions, left, on
from vantage.analytics.report_types import REPORTS as REPORT_TYPES
from vantage.analytics.room_metrics import ATTRIBUTES, METRICS
from vantage.analytics.room_reports import Column, Filter, Grain, RoomReport
from vantage.events.columns import COLUMNS as ROOM_COLUMNS
from vantage.sql.expr import (
    Col,
    Expr,
    Lit,
    Not,
    Null,
    Order,
    Type,
    agg,
    all_of,
    col,
    fn,
)
from vantage.sql.plan import Join, JoinKind, Query, Select, Table, Union, With
from vantage.store import room_presence


@dataclass(frozen=True)
class Compiled:
    plan: Query
    headers: list[str]


# Attributes read from the session facts ``s``.
_SESSION_ATTRIBUTES = {
    "session_start_time",
    "session_end_time",
    "session_date",
    "session_duration",
    "session_host_user_id",
    "session_initiator",
}
# Filters that look at the event's entry (its main room, its virtual event, its categories).
_ENTRY_FILTERS = {
    Filter.ENTRY_IDS,
    Filter.PARENT_ENTRY_IDS,
    Filter.VIRTUAL_EVENT_IDS,
    Filter.CATEGORY_IDS,
}
# Player views per entry and user: Kaltura's per-user content report (13), every playback type.
_PLAYER_VIEWS = replace(REPORT_TYPES[13], playback_types=())
_SEEN = ("first_entry_id", "first_time", "last_time")


def compile_report(report: RoomReport, query: ReportQuery) -> Compiled:
    keys = report.grain.keys
    metrics = sorted({name for c in report.columns for name in _names(c) if name in METRICS})
    event_types = sorted({t for m in metrics for t in METRICS[m].event_types})
    events = _events(query, event_types)
    groups = [("partner_id", col("partner_id")), *((k, col(k)) for k in keys)]
    rows = Select(
        (
            *groups,
            *((m, METRICS[m].expr) for m in metrics),
            ("first_entry_id", agg("arg_min", col("entry_id"), col("time"))),
            ("first_time", agg("min", col("time"))),
            ("last_time", agg("max", col("last_time"))),
        ),
        Table("ev"),
        group_by=tuple(x for _, x in groups),
    )
    named: list[tuple[str, Query]] = [("ents", entries(query)), ("ev", events)]
    # the rows of the room events: ``g`` itself, or a part of it (_with_player_views)
    if report.player_views:
        named += [("rooms", rows), *_with_player_views(report, query, metrics)]
    else:
        named.append(("g", rows))
    if report.grain is Grain.SESSION:
        if Filter.USER_IDS in report.filters:
            raise ValueError(f"report {report.id}: a session row has no user to filter by")
        named.append(("k", _session_rows(query)))
        source: Table = Table("k")
        base_joins = [left("g", "g", on("g", "k", Col("session_id", "k"), "session_id"))]
        metric_alias = "g"
    else:
        source = Table("g")
        base_joins = []
        metric_alias = "k"
    names = {name for c in report.columns for name in _names(c)}
    with_session = report.grain is Grain.SESSION or bool(names & _SESSION_ATTRIBUTES)
    if with_session:
        named.append(("s", _session_facts("k" if report.grain is Grain.SESSION else "g")))
        base_joins += [
            left("s", "s", on("s", "k", Col("session_id", "k"), "session_id")),
            left("users", "h", on("h", "s", Col("host_user_id", "s"))),
        ]
    entry = (
        Col("entry_id", "k")
        if "entry_id" in keys
        else Col("entry_id", "s")
        if with_session
        else None
    )
    if entry is not None:
        base_joins += [
            left("ents", "e", on("e", "k", entry)),
            left("entries", "p", on("p", "e", Col("parent_entry_id", "e"))),
        ]
    if "user_id" in keys:
        base_joins.append(left("users", "u", on("u", "k", Col("user_id", "k"))))
    selected = [_expr(c, keys, metric_alias) for c in report.columns]
    headers = report.headers
    final = Select(
        tuple((f"c{i}", x) for i, x in enumerate(selected)),
        source,
        "k",
        joins=tuple(base_joins),
        where=all_of(report.implicit) if report.implicit else None,
        order_by=tuple(Order(selected[headers.index(h)]) for h in report.order),
    )
    return Compiled(With(tuple(named), final), headers)


_EV_TYPES = {
    "VARCHAR": Type.TEXT,
    "BIGINT": Type.INT,
    "DOUBLE": Type.FLOAT,
    "BOOLEAN": Type.BOOL,
    "TIMESTAMP": Type.TIME,
}
"""The plan type of each type of room-event column ``ev`` carries."""
_EV_COLUMNS = tuple(c for c in ROOM_COLUMNS if c.sql in _EV_TYPES)  # no metric reads lists
_FROM_FACTS: dict[str, Expr] = {
    "event_type": Lit(room_presence.EVENT_TYPE),
    "time": Col("first_time", "p"),
    "view_time": Col("view_time", "p"),
    "tab_focused": Col("engaged", "p"),
    **{k: Col(k, "p") for k in ("partner_id", "entry_id", "session_id", "user_id")},
    "virtual_event_id": Col("virtual_event_id", "p"),
}
"""A presence fact row read as one presence period of its measures (engaged or not)."""


def _events(query: ReportQuery, event_types: list[str]) -> Query:
    """``ev``: the room events of the query's partners and range that pass its filters, of
    ``event_types``; each ends at ``last_time``. Presence periods of the hours the range holds
    whole come from the presence facts (vantage.store.room_presence), as rows standing for all
    the periods of a person's hour that were engaged (or not), and of the hours cut by the
    range's ends from the events themselves."""
    r, p = "r", "p"
    joins: tuple[Join, ...] = ()
    if _ENTRY_FILTERS & set(query.filters):
        joins = (left("ents", "en", on("en", r, Col("entry_id", r))),)
    whole = query.period.whole_hours if room_presence.EVENT_TYPE in event_types else None
    wanted = Col("event_type", r).isin(event_types)
    if whole is not None:
        in_whole_hours = Col("time", r).ge(time_at(whole[0])) & Col("time", r).lt(time_at(whole[1]))
        wanted = wanted & Not(Col("event_type", r).eq(room_presence.EVENT_TYPE) & in_whole_hours)
    raw = Select(
        (*((c.name, Col(c.name, r)) for c in _EV_COLUMNS), ("last_time", Col("time", r))),
        Table("room_events"),
        r,
        joins=joins,
        where=all_of(
            [
                Col("partner_id", r).isin(sorted(query.partner_ids)),
                Col("time", r).ge(time_at(query.start)),
                Col("time", r).lt(time_at(query.end)),
                wanted,
                *filter_conditions(query, r, "en"),
            ]
        ),
    )
    if whole is None:
        return raw
    facts = Select(
        (
            *((c.name, _FROM_FACTS.get(c.name, Null(_EV_TYPES[c.sql]))) for c in _EV_COLUMNS),
            ("last_time", Col("last_time", p)),
        ),
        Table(room_presence.TABLE),
        p,
        joins=(left("ents", "en", on("en", p, Col("entry_id", p))),) if joins else (),
        where=all_of(
            [
                Col("partner_id", p).isin(sorted(query.partner_ids)),
                Col("bucket", p).ge(time_at(whole[0])),
                Col("bucket", p).lt(time_at(whole[1])),
                *filter_conditions(query, p, "en"),
            ]
        ),
    )
    return Union((raw, facts))


def _names(column: Column) -> tuple[str, ...]:
    return column.ref if isinstance(column.ref, tuple) else (column.ref,)


def _expr(column: Column, keys: tuple[str, ...], metric_alias: str) -> Expr:
    parts: list[Expr] = []
    for name in _names(column):
        if name in keys or name in ("entry_id", "user_id", "session_id"):
            parts.append(Col(name, "k") if name in keys else Col(name, "s"))
        elif name in METRICS:
            ref = Col(name, metric_alias)
            parts.append(fn("coalesce", ref, 0) if METRICS[name].zero else ref)
        else:
            parts.append(ATTRIBUTES[name])
    return parts[0] if len(parts) == 1 else fn("coalesce", *parts)


def _with_player_views(
    report: RoomReport, query: ReportQuery, metrics: list[str]
) -> list[tuple[str, Query]]:
    """``pv``, the player views of each entry and person, and ``g``, the room rows plus them
    (a player view has no session or attachment to be a row of, nor to filter by)."""
    keys = report.grain.keys
    if report.grain is not Grain.ENTRY_USER or Filter.SESSION_IDS in report.filters:
        raise ValueError(f"report {report.id}: player views are rows of an entry and a person")
    shares: dict[str, str] = {}
    for m in metrics:
        share = METRICS[m].player
        if share is None:
            raise ValueError(f"report {report.id}: {m} has no share of player views")
        shares[m] = share
    q = replace(query, report=_PLAYER_VIEWS, playback_types=())
    groups: list[tuple[str, Expr]] = [
        (k, Col(k, "f")) for k in ("partner_id", *keys, "virtual_event_id")
    ]
    views = compiler.grouped(q, sorted(set(shares.values())), groups)
    v = "v"
    grouped_by = [("partner_id", Col("partner_id", v)), *((k, Col(k, v)) for k in keys)]
    pv = Select(
        (*grouped_by, *((m, agg("sum", Col(p, v))) for m, p in shares.items())),
        views,
        v,
        joins=(left("ents", "en", on("en", v, Col("entry_id", v))),),
        where=all_of([Col("user_id", v).not_null(), *filter_conditions(query, v, "en")]),
        group_by=tuple(x for _, x in grouped_by),
    )
    joined = ("partner_id", *keys)
    both = all_of(Col(k, "rooms").eq(Col(k, "pv")) for k in joined)
    g = Select(
        (
            *((k, fn("coalesce", Col(k, "rooms"), Col(k, "pv"))) for k in joined),
            *(
                (m, fn("coalesce", Col(m, "rooms"), 0) + fn("coalesce", Col(m, "pv"), 0))
                for m in metrics
            ),
            *((c, Col(c, "rooms")) for c in _SEEN),
        ),
        Table("rooms"),
        "rooms",
        joins=(Join(JoinKind.FULL, Table("pv"), "pv", both),),
    )
    return [("pv", pv), ("g", g)]


def _session_rows(query: ReportQuery) -> Query:
    """``k``: sessions overlapping the range, as stored or as seen in the events."""
    rs = "rs"
    stored = Select(
        (
            ("partner_id", Col("partner_id", rs)),
            ("session_id", Col("id", rs)),
            ("entry_id", Col("entry_id", rs)),
            ("virtual_event_id", Null(Type.INT)),
        ),
        Table("room_sessions"),
        rs,
        where=all_of(
            [
                Col("partner_id", rs).isin(sorted(query.partner_ids)),
                Col("start_time", rs).lt(time_at(query.end)),
                fn("coalesce", Col("end_time", rs), Col("start_time", rs)).ge(time_at(query.start)),
            ]
        ),
    )
    x = "x"
    return Union(
        (
            Select(
                (("partner_id", Col("partner_id", x)), ("session_id", Col("session_id", x))),
                stored,
                x,
                joins=(left("ents", "en", on("en", x, Col("entry_id", x))),),
                where=all_of(filter_conditions(query, x, "en")),
            ),
            Select(
                (("partner_id", Col("partner_id", "e")), ("session_id", Col("session_id", "e"))),
                Table("ev"),
                "e",
                where=Col("session_id", "e").not_null(),
            ),
        ),
        distinct=True,
    )


def _session_facts(rows: str) -> Select:
    """``s``: each session's room, times and host; they fall back to the first and last event
    the report read when no session event or admin record gave them."""
    g = "gs"
    seen = Select(
        (
            ("partner_id", Col("partner_id", g)),
            ("session_id", Col("session_id", g)),
            ("entry_id", agg("arg_min", Col("first_entry_id", g), Col("first_time", g))),
            ("first_time", agg("min", Col("first_time", g))),
            ("last_time", agg("max", Col("last_time", g))),
        ),
        Table("g"),
        g,
        where=Col("session_id", g).not_null(),
        group_by=(Col("partner_id", g), Col("session_id", g)),
    )
    keys = Select(
        (("partner_id", Col("partner_id", "d")), ("session_id", Col("session_id", "d"))),
        Table(rows),
        "d",
        distinct=True,
    )
    k, rs, sn = "k", "rs", "seen"
    return Select(
        (
            ("partner_id", Col("partner_id", k)),
            ("session_id", Col("session_id", k)),
            ("entry_id", fn("coalesce", Col("entry_id", rs), Col("entry_id", sn))),
            ("start_time", fn("coalesce", Col("start_time", rs), Col("first_time", sn))),
            ("end_time", fn("coalesce", Col("end_time", rs), Col("last_time", sn))),
            ("host_user_id", Col("host_user_id", rs)),
        ),
        keys,
        k,
        joins=(
            left("room_sessions", rs, on(rs, k, Col("session_id", k))),
            left(seen, sn, on(sn, k, Col("session_id", k), "session_id")),
        ),
    )
