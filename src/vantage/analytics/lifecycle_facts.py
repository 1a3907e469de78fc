"""The entry lifecycle (vantage.store.lifecycle) as facts, for the reports on what was added,
deleted and stored (Kaltura's ``entry-lifecycle`` and ``storage-usage`` sources: 17 USER_USAGE,
39 TOP_CONTENT_CONTRIBUTORS, 41 TOP_SOURCES, 60 SELF_SERVE_USAGE, 201 PARTNER_USAGE).

Aggregated when a report asks; ``owner_id`` is the entry's creator, the key the player facts
also get when a report groups plays by the owner of what was played.
"""

from __future__ import annotations

from vantage.sql.expr import Expr, Lit, Null, Type, agg, col, count, fn
from vantage.sql.plan import Select, Table
from vantage.store.lifecycle import (
    DURATION_CHANGE,
    PHYSICAL_ADD,
    PHYSICAL_DELETE,
    SIZE_CHANGE,
    TABLE,
)

COLUMNS = frozenset({"partner_id", "bucket", "entry_id", "owner_id", "entry_source"})
"""The keys of lifecycle facts (filters on any other fact key do not apply to them)."""

_TYPE = col("event_type")
_ADD = _TYPE.eq(PHYSICAL_ADD)
_DELETE = _TYPE.eq(PHYSICAL_DELETE)
_RESIZE = _TYPE.eq(SIZE_CHANGE)
_SIZE = col("size")

MEASURES: dict[str, Expr] = {
    "n_physicalAdd": count(_ADD),
    "n_physicalDelete": count(_DELETE),
    "n_durationChange": count(_TYPE.eq(DURATION_CHANGE)),
    "n_sizeChange": count(_RESIZE),
    "net_entries": agg("sum", col("delta")),
    "added_duration": agg("sum", col("duration"), where=_ADD),
    "deleted_duration": -agg("sum", col("duration"), where=_DELETE),
    "net_duration": agg("sum", col("duration")),
    # Storage grows with what is added and with entries that grow; it shrinks with what is
    # deleted and with entries that shrink.
    "added_size": agg("sum", _SIZE, where=_ADD | (_RESIZE & _SIZE.gt(0))),
    "deleted_size": -agg("sum", _SIZE, where=_DELETE | (_RESIZE & _SIZE.lt(0))),
    "net_size": agg("sum", _SIZE),
}


COLUMN_TYPES: dict[str, Type] = {
    "partner_id": Type.INT,
    "bucket": Type.TIME,
    "entry_id": Type.TEXT,
    "owner_id": Type.TEXT,
    "entry_source": Type.TEXT,
    "playback_type": Type.TEXT,
    "fact_source": Type.TEXT,
    **{
        name: Type.INT if name.startswith("n_") or name == "net_entries" else Type.FLOAT
        for name in MEASURES
    },
}
"""The columns of lifecycle facts and their types (``net_entries`` and counts are whole)."""


def aggregate(where: Expr, seconds: int) -> Select:
    """Lifecycle facts of the rows matching ``where`` per ``seconds`` of time."""
    keys: list[tuple[str, Expr]] = [
        ("partner_id", col("partner_id")),
        ("bucket", fn("bucket_time", seconds, col("time"))),
        ("entry_id", col("entry_id")),
        ("owner_id", col("creator_user_id")),
        ("entry_source", col("entry_source")),
    ]
    columns = [
        *keys,
        ("playback_type", Null(Type.TEXT)),
        ("fact_source", Lit("lifecycle")),
        *MEASURES.items(),
    ]
    return Select(tuple(columns), Table(TABLE), where=where, group_by=tuple(x for _, x in keys))
