"""Custom report + query → SQL text and parameters. Pure: nothing here touches a store.

The query has three layers: ``ev``, the room events of the caller's partners in the date range
that pass the report's filters (only the event types its metrics read); ``g``, one row per
grain key with the metrics; and the final select, which joins the entities that describe a row
and orders it. A session-grained report starts from the sessions overlapping the date range
instead, so that a session nobody attended still has its row. A report that adds player views
(3007) joins ``g`` with ``pv``, the same rows from the analytics core's player facts
(vantage.kava.compiler: exact for any range), filtered by the same conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from vantage.kava import compiler as kava_compiler
from vantage.kava import query as kava_query
from vantage.kava.catalog import REPORTS as KAVA_REPORTS
from vantage.reports.catalog import Column, CustomReport, Filter, Grain
from vantage.reports.metrics import ATTRIBUTES, METRICS
from vantage.reports.params import ReportQuery
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, Expr

_DUCKDB = DuckDB()


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: list[Any]
    headers: list[str]


# Entries with their main room's virtual event when they have none of their own, and in
# their main room's categories as well as their own (breakouts).
_ENTRIES = """
    SELECT e.partner_id, e.id, e.name, e.parent_entry_id, e.duration, e.media_type,
           coalesce(e.virtual_event_id, m.virtual_event_id) AS virtual_event_id,
           list_concat(e.category_ids, coalesce(m.category_ids, [])) AS category_ids
    FROM entries e
    LEFT JOIN entries m ON m.partner_id = e.partner_id AND m.id = e.parent_entry_id
    WHERE e.partner_id IN (SELECT unnest($partners))
"""


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
_PLAYER_VIEWS = replace(KAVA_REPORTS[13], playback_types=())


def compile_report(report: CustomReport, query: ReportQuery) -> Compiled:
    keys = report.grain.keys
    metrics = sorted({name for c in report.columns for name in _names(c) if name in METRICS})
    event_types = sorted({t for m in metrics for t in METRICS[m].event_types})
    params: dict[str, Any] = {
        "partners": sorted(query.partner_ids),
        "start": query.start_us,
        "end": query.end_us,
    }
    conditions = _filter_conditions(query, params, event_alias="r", entry_alias="en")
    # Partner ids (integers) and event types (the catalog's constants) are written into the
    # SQL as literals: DuckDB then filters them while scanning, before any join.
    partners = ", ".join(str(int(p)) for p in sorted(query.partner_ids)) or "NULL"
    types = ", ".join(f"'{t}'" for t in event_types)
    join = (
        "LEFT JOIN ents en ON en.partner_id = r.partner_id AND en.id = r.entry_id"
        if _ENTRY_FILTERS & set(query.filters)
        else ""
    )
    ctes = [
        f"ents AS ({_ENTRIES})",
        f"""ev AS (
            SELECT r.* FROM room_events r
            {join}
            WHERE r.partner_id IN ({partners})
              AND r.time >= make_timestamp($start) AND r.time < make_timestamp($end)
              AND r.event_type IN ({types})
              {"".join(f" AND {c}" for c in conditions)}
        )""",
        # the rows of the room events: ``g`` itself, or a part of it (_with_player_views)
        f"""{"rooms" if report.player_views else "g"} AS (
            SELECT partner_id, {", ".join(keys)}
                   {"".join(f", {_DUCKDB.expr(METRICS[m].expr)} AS {m}" for m in metrics)},
                   arg_min(entry_id, time) AS first_entry_id,
                   min(time) AS first_time, max(time) AS last_time
            FROM ev GROUP BY ALL
        )""",
    ]
    if report.player_views:
        ctes += _with_player_views(report, query, params, metrics)
    if report.grain is Grain.SESSION:
        if Filter.USER_IDS in report.filters:
            raise ValueError(f"report {report.id}: a session row has no user to filter by")
        ctes += _session_rows(query, params)
        source = "k LEFT JOIN g USING (partner_id, session_id)"
        metric_alias = "g"
    else:
        source = "g AS k"
        metric_alias = "k"
    names = {name for c in report.columns for name in _names(c)}
    with_session = report.grain is Grain.SESSION or bool(names & _SESSION_ATTRIBUTES)
    if with_session:
        ctes.append(_session_facts("k" if report.grain is Grain.SESSION else "g"))
    selects = [f"{_expr(c, keys, metric_alias)} AS {_quote(c.header)}" for c in report.columns]
    joins = []
    if with_session:
        joins += [
            "LEFT JOIN s ON s.partner_id = k.partner_id AND s.session_id = k.session_id",
            "LEFT JOIN users h ON h.partner_id = s.partner_id AND h.id = s.host_user_id",
        ]
    entry = "k.entry_id" if "entry_id" in keys else "s.entry_id" if with_session else None
    if entry is not None:
        joins += [
            f"LEFT JOIN ents e ON e.partner_id = k.partner_id AND e.id = {entry}",
            "LEFT JOIN entries p ON p.partner_id = e.partner_id AND p.id = e.parent_entry_id",
        ]
    if "user_id" in keys:
        joins.append("LEFT JOIN users u ON u.partner_id = k.partner_id AND u.id = k.user_id")
    headers = report.headers
    order = ", ".join(f"{headers.index(h) + 1} NULLS LAST" for h in report.order)
    where = " AND ".join(report.implicit) if report.implicit else "true"
    sql = (
        "WITH "
        + ",\n".join(ctes)
        + f"\nSELECT {', '.join(selects)}\nFROM {source}\n"
        + "\n".join(joins)
        + f"\nWHERE {where}\nORDER BY {order}"
    )
    return Compiled(*_positional(sql, params), headers)


def _names(column: Column) -> tuple[str, ...]:
    return column.ref if isinstance(column.ref, tuple) else (column.ref,)


def _expr(column: Column, keys: tuple[str, ...], metric_alias: str) -> str:
    parts = []
    for name in _names(column):
        if name in keys or name in ("entry_id", "user_id", "session_id"):
            parts.append(f"k.{name}" if name in keys else f"s.{name}")
        elif name in METRICS:
            ref = f"{metric_alias}.{name}"
            parts.append(f"coalesce({ref}, 0)" if METRICS[name].zero else ref)
        else:
            parts.append(ATTRIBUTES[name])
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def _filter_conditions(
    query: ReportQuery, params: dict[str, Any], *, event_alias: str, entry_alias: str
) -> list[str]:
    """SQL conditions for the query's filters on a relation with entry, user and session."""
    r, en = event_alias, entry_alias
    column = {
        Filter.ENTRY_IDS: f"({r}.entry_id IN (SELECT unnest($entry_ids)) "
        f"OR {en}.parent_entry_id IN (SELECT unnest($entry_ids)))",
        Filter.PARENT_ENTRY_IDS: f"{en}.parent_entry_id IN (SELECT unnest($parent_entry_ids))",
        Filter.USER_IDS: f"{r}.user_id IN (SELECT unnest($user_ids))",
        Filter.SESSION_IDS: f"{r}.session_id IN (SELECT unnest($session_ids))",
        Filter.VIRTUAL_EVENT_IDS: f"CAST(coalesce({r}.virtual_event_id, {en}.virtual_event_id) "
        "AS VARCHAR) IN (SELECT unnest($virtual_event_ids))",
        Filter.CATEGORY_IDS: f"list_has_any({en}.category_ids, $cat_ids::BIGINT[])",
    }
    out = []
    for f, values in query.filters.items():
        params[f.value] = [int(v) for v in values] if f is Filter.CATEGORY_IDS else list(values)
        out.append(column[f])
    return out


def _with_player_views(
    report: CustomReport, query: ReportQuery, params: dict[str, Any], metrics: list[str]
) -> list[str]:
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
    # The facts count whole seconds: the range's partial seconds at either end are included.
    start, end = query.start_us // 1_000_000, -(-query.end_us // 1_000_000)
    values = {"fromDate": start, "toDate": end - 1}  # KAVA's toDate includes its own second
    q = kava_query.build(_PLAYER_VIEWS, query.partner_ids, values, None, {})
    groups: list[tuple[str, Expr]] = [
        (k, Col(k, "f")) for k in ("partner_id", *keys, "virtual_event_id")
    ]
    views = _DUCKDB.sql(kava_compiler.grouped(q, sorted(set(shares.values())), groups))
    conditions = _filter_conditions(query, params, event_alias="v", entry_alias="en")
    joined = ", ".join(("partner_id", *keys))
    sums = [f"coalesce(rooms.{m}, 0) + coalesce(pv.{m}, 0) AS {m}" for m in metrics]
    return [
        f"""pv AS (
            SELECT v.partner_id, {", ".join(f"v.{k}" for k in keys)}
                   {"".join(f", sum(v.{p}) AS {m}" for m, p in shares.items())}
            FROM ({views}) v
            LEFT JOIN ents en ON en.partner_id = v.partner_id AND en.id = v.entry_id
            WHERE v.user_id IS NOT NULL {"".join(f" AND {c}" for c in conditions)}
            GROUP BY ALL
        )""",
        f"""g AS (
            SELECT {joined}, {", ".join(sums)},
                   rooms.first_entry_id, rooms.first_time, rooms.last_time
            FROM rooms FULL JOIN pv USING ({joined})
        )""",
    ]


def _session_rows(query: ReportQuery, params: dict[str, Any]) -> list[str]:
    """``k``: sessions overlapping the range, as stored or as seen in the events."""
    conditions = _filter_conditions(query, params, event_alias="x", entry_alias="en")
    extra = "".join(f" AND {c}" for c in conditions)
    return [
        f"""k AS (
            SELECT x.partner_id, x.session_id FROM (
                SELECT rs.partner_id, rs.id AS session_id, rs.entry_id,
                       NULL::BIGINT AS virtual_event_id
                FROM room_sessions rs
                WHERE rs.partner_id IN (SELECT unnest($partners))
                  AND rs.start_time < make_timestamp($end)
                  AND coalesce(rs.end_time, rs.start_time) >= make_timestamp($start)
            ) x
            LEFT JOIN ents en ON en.partner_id = x.partner_id AND en.id = x.entry_id
            WHERE true {extra}
            UNION
            SELECT partner_id, session_id FROM ev WHERE session_id IS NOT NULL
        )"""
    ]


def _session_facts(rows: str) -> str:
    """``s``: each session's room, times and host; they fall back to the first and last event
    the report read when no session event or admin record gave them."""
    return f"""s AS (
        SELECT k.partner_id, k.session_id,
               coalesce(rs.entry_id, seen.entry_id) AS entry_id,
               coalesce(rs.start_time, seen.first_time) AS start_time,
               coalesce(rs.end_time, seen.last_time) AS end_time,
               rs.host_user_id
        FROM (SELECT DISTINCT partner_id, session_id FROM {rows}) k
        LEFT JOIN room_sessions rs ON rs.partner_id = k.partner_id AND rs.id = k.session_id
        LEFT JOIN (
            SELECT partner_id, session_id, arg_min(first_entry_id, first_time) AS entry_id,
                   min(first_time) AS first_time, max(last_time) AS last_time
            FROM g WHERE session_id IS NOT NULL GROUP BY ALL
        ) seen ON seen.partner_id = k.partner_id AND seen.session_id = k.session_id
    )"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _positional(sql: str, named: dict[str, Any]) -> tuple[str, list[Any]]:
    """$name placeholders → DuckDB's $1, $2 … (each name bound once, however often used)."""
    order = [name for name in named if f"${name}" in sql]
    for i, name in sorted(enumerate(order, 1), key=lambda p: -len(p[1])):
        sql = sql.replace(f"${name}", f"${i}")
    return sql, [named[name] for name in order]
