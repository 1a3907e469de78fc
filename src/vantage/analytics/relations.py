"""Relations and joins the compilers of room reports, activity reports and the dashboard's
session panels share: the caller's entries as reports see them, and the conditions of a
report's filters; and what the activity reports' builders share: a kind of room event in the
range (``events``), what other events say of it (``lookup``) and the joins between them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from vantage.analytics.period import time_at
from vantage.analytics.query import ReportQuery
from vantage.analytics.room_reports import Filter
from vantage.sql.expr import Cast, Col, Expr, Type, all_of, array, fn
from vantage.sql.plan import Join, JoinKind, Query, Select, Table

EVENT_COLUMNS = ("partner_id", "entry_id", "session_id", "user_id", "time")
"""What every row of ``events`` carries."""

Named = list[tuple[str, Query]]
"""The named relations of a plan's WITH, in order."""


class Filtered(Protocol):
    """Whose rows a query reads and what it narrows them by (a report's query, a dashboard
    panel's)."""

    @property
    def partner_ids(self) -> frozenset[int]: ...

    @property
    def filters(self) -> Mapping[Filter, tuple[str, ...]]: ...


def on(alias: str, other: str, key: Expr, id_column: str = "id") -> Expr:
    """``alias`` is the row of ``other``'s partner whose ``id_column`` is ``key``."""
    return Col("partner_id", alias).eq(Col("partner_id", other)) & Col(id_column, alias).eq(key)


def left(table: str | Query, alias: str, on: Expr) -> Join:
    return Join(JoinKind.LEFT, Table(table) if isinstance(table, str) else table, alias, on)


def entries(query: Filtered) -> Select:
    """Entries with their main room's virtual event when they have none of their own, and in
    their main room's categories as well as their own (breakouts)."""
    e, m = "e", "m"
    columns: list[tuple[str, Expr]] = [
        (c, Col(c, e))
        for c in ("partner_id", "id", "name", "parent_entry_id", "duration", "media_type")
    ]
    columns += [
        (
            "virtual_event_id",
            fn("coalesce", Col("virtual_event_id", e), Col("virtual_event_id", m)),
        ),
        (
            "category_ids",
            fn(
                "list_concat",
                Col("category_ids", e),
                fn("coalesce", Col("category_ids", m), array([], Type.INT)),
            ),
        ),
    ]
    return Select(
        tuple(columns),
        Table("entries"),
        e,
        joins=(left("entries", m, on(m, e, Col("parent_entry_id", e))),),
        where=Col("partner_id", e).isin(sorted(query.partner_ids)),
    )


def filter_conditions(query: Filtered, rows: str, entries: str) -> list[Expr]:
    """Conditions for the query's filters on a relation ``rows`` with entry, user and session
    columns, whose entry (of ``ents``) is joined as ``entries``."""
    r, en = rows, entries
    out = []
    for f, values in query.filters.items():
        ids = list(values)
        if f is Filter.ENTRY_IDS:
            out.append(Col("entry_id", r).isin(ids) | Col("parent_entry_id", en).isin(ids))
        elif f is Filter.PARENT_ENTRY_IDS:
            out.append(Col("parent_entry_id", en).isin(ids))
        elif f is Filter.USER_IDS:
            out.append(Col("user_id", r).isin(ids))
        elif f is Filter.SESSION_IDS:
            out.append(Col("session_id", r).isin(ids))
        elif f is Filter.VIRTUAL_EVENT_IDS:
            either = fn("coalesce", Col("virtual_event_id", r), Col("virtual_event_id", en))
            out.append(Cast(either, Type.TEXT).isin(ids))
        elif f is Filter.APP_GUIDS:
            out.append(Col("app_guid", r).isin(ids))
        else:  # categories
            wanted = array([int(v) for v in ids], Type.INT)
            out.append(fn("list_has_any", Col("category_ids", en), wanted))
    return out


def events(query: ReportQuery, types: Sequence[str], columns: Sequence[str]) -> Select:
    """Room events of ``types`` in the query's range that pass its filters; their virtual event
    is their room's when they name none."""
    r, en = "r", "en"
    return Select(
        (
            *((c, Col(c, r)) for c in dict.fromkeys((*EVENT_COLUMNS, *columns))),
            (
                "virtual_event_id",
                fn("coalesce", Col("virtual_event_id", r), Col("virtual_event_id", en)),
            ),
        ),
        Table("room_events"),
        r,
        joins=(left("ents", en, on(en, r, Col("entry_id", r))),),
        where=all_of(
            [
                Col("partner_id", r).isin(sorted(query.partner_ids)),
                Col("time", r).ge(time_at(query.start)),
                Col("time", r).lt(time_at(query.end)),
                Col("event_type", r).isin(list(types)),
                *filter_conditions(query, r, en),
            ]
        ),
    )


def lookup(
    query: ReportQuery,
    event_type: str,
    keys: Sequence[str],
    columns: Sequence[tuple[str, Expr]],
    after_start: bool = False,
    before_end: bool = False,
    where: Expr | None = None,
) -> Select:
    """The partner's events of one type grouped by ``keys``, at any time unless bounded: what
    always follows a row's event (a like, a moderation action) never precedes the range's
    start, and what always precedes it (a poll's launch) never follows its end."""
    x = "x"
    wanted = [
        Col("partner_id", x).isin(sorted(query.partner_ids)),
        Col("event_type", x).eq(event_type),
    ]
    if after_start:
        wanted.append(Col("time", x).ge(time_at(query.start)))
    if before_end:
        wanted.append(Col("time", x).lt(time_at(query.end)))
    if where is not None:
        wanted.append(where)
    groups = [("partner_id", Col("partner_id", x)), *((k, Col(k, x)) for k in keys)]
    return Select(
        (*groups, *columns),
        Table("room_events"),
        x,
        where=all_of(wanted),
        group_by=tuple(e for _, e in groups),
    )


def looked_up(column: str) -> Col:
    """A column of the events a ``lookup`` reads."""
    return Col(column, "x")


def person(alias: str, row: str, user_column: str = "user_id") -> Join:
    return left("users", alias, on(alias, row, Col(user_column, row)))


def matching(alias: str, row: str, *columns: str) -> Expr:
    """``alias`` is ``row``'s by partner and ``columns``."""
    return all_of(Col(c, alias).eq(Col(c, row)) for c in ("partner_id", *columns))


Built = tuple[str, tuple[Join, ...], Expr | None, tuple[Expr, ...]]
"""The final select's source relation, its joins, its condition and its tie-breaking keys."""


def tie_keys(alias: str, *columns: str) -> tuple[Expr, ...]:
    return tuple(Col(c, alias) for c in ("partner_id", *columns))
