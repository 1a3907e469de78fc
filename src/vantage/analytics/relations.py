"""Relations and joins the compilers of room reports, activity reports and the dashboard's
session panels share: the caller's entries as reports see them, and the conditions of a
report's filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from vantage.analytics.room_reports import Filter
from vantage.sql.expr import Cast, Col, Expr, Type, array, fn
from vantage.sql.plan import Join, JoinKind, Query, Select, Table


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
