"""Room presence facts: the presence periods (``viewPeriod`` events, one every 10 seconds per
person in a room) summed per hour, so that reports over months of classes read a row per person
and hour instead of 360.

One declaration gives the facts of raw events (``aggregate``), the merge of fact rows
(``combined``), and Kaltura's meeting engagement rule. A fact row is one partner, hour of the
event's time, room, session, person, virtual event and engagement (engaged or not); its
measures re-aggregate exactly (sums, counts, the earliest and the latest time), so fact rows
not yet merged count once, and the facts of whole hours equal the same aggregation over the raw
events. Reports read whole hours from here and the hours cut by their range from the events
(vantage.analytics.room_compiler).

DuckDB adds the facts of each append in its transaction (vantage.store.room_events) and merges
the hours that gained rows in the server's upkeep (vantage.store.compaction); ClickHouse fills
the same table from a materialized view and merges it by itself. Both migrations are frozen
SQL; tests check them against this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Agg, Col, Expr, Type, agg, any_of, col, count, fn
from vantage.sql.plan import Relation, Select, Table
from vantage.store import compaction
from vantage.store.engine import WriteSession

TABLE = "room_presence"
DIRTY_TABLE = "room_presence_dirty"
"""Hours whose facts gained rows since they were last merged (DuckDB only)."""
EVENT_TYPE = "viewPeriod"

PRESENT = col("event_type").eq(EVENT_TYPE)
MEETING_ENGAGED = any_of(col(c) for c in ("tab_focused", "full_screen", "camera_on", "on_stage"))
"""Kaltura's meeting engagement of a presence period: the tab focused, full screen, the camera on
or on stage."""


@dataclass(frozen=True)
class Key:
    name: str
    expr: Expr  # over room events
    type: Type


@dataclass(frozen=True)
class Measure:
    name: str
    expr: Agg  # over room events
    merge: str  # the aggregate that merges the measure of several fact rows
    type: Type


KEYS = (
    Key("partner_id", col("partner_id"), Type.INT),
    Key("bucket", fn("trunc_time", "hour", col("time")), Type.TIME),
    Key("entry_id", col("entry_id"), Type.TEXT),
    Key("session_id", col("session_id"), Type.TEXT),
    Key("user_id", col("user_id"), Type.TEXT),
    Key("virtual_event_id", col("virtual_event_id"), Type.INT),
    Key("engaged", fn("coalesce", MEETING_ENGAGED, False), Type.BOOL),
)
MEASURES = (
    Measure("view_time", agg("sum", col("view_time")), "sum", Type.FLOAT),
    Measure("periods", count(), "sum", Type.INT),
    Measure("first_time", agg("min", col("time")), "min", Type.TIME),
    Measure("last_time", agg("max", col("time")), "max", Type.TIME),
)


def aggregate(source: Relation, where: Expr | None = None) -> Select:
    """The facts of the presence periods among the room events of ``source`` (its columns read
    unqualified), limited by ``where``."""
    condition = PRESENT if where is None else PRESENT & where
    columns = [(k.name, k.expr) for k in KEYS] + [(m.name, m.expr) for m in MEASURES]
    return Select(
        tuple(columns), source, where=condition, group_by=tuple(k.expr for k in KEYS)
    )


def combined(source: Relation, where: Expr | None = None) -> Select:
    """Fact rows of ``source`` (read as ``f``) merged into one row per distinct keys, exactly."""
    keys = tuple(Col(k.name, "f") for k in KEYS)
    columns: list[tuple[str, Expr]] = [(k.name, Col(k.name, "f")) for k in KEYS]
    columns += [(m.name, agg(m.merge, Col(m.name, "f"))) for m in MEASURES]
    return Select(tuple(columns), source, "f", where=where, group_by=keys)


def insert_sql(source: str) -> str:
    """The DuckDB statement adding the facts of the room events in the relation ``source``;
    the hours it adds to are then marked as awaiting a merge (``mark_dirty_sql``)."""
    return f"INSERT INTO {TABLE} BY NAME {DuckDB().sql(aggregate(Table(source)))}"


def mark_dirty_sql(source: str) -> str:
    """Record the hours of the presence periods in ``source`` as having new fact rows."""
    hours = Select(
        (("bucket", KEYS[1].expr),), Table(source), where=PRESENT, distinct=True
    )
    return f"INSERT INTO {DIRTY_TABLE} {DuckDB().sql(hours)} ON CONFLICT DO NOTHING"


FACTS = compaction.Facts(TABLE, DIRTY_TABLE, combined)
COMPACT_ROWS = 200_000
"""Fact rows merged in one write transaction at most (unless one hour holds more); a presence
fact row is about 150 bytes."""


def compact(tx: WriteSession, before_us: int, max_rows: int = COMPACT_ROWS) -> int:
    """Merge the facts of the oldest hours before ``before_us`` that gained rows (see
    vantage.store.compaction); answer how many hours were merged."""
    return compaction.compact(tx, FACTS, before_us, max_rows)
