"""The entry lifecycle rows of an entry write, worked out in Python: the rules of the table in
``vantage.store.lifecycle``'s docstring, row for row what its ``_changes_sql`` inserts on
DuckDB, for an engine whose write is not a transaction that can run that SQL.

(Once DuckDB's path builds its rows with this function too, it belongs in
``vantage.store.lifecycle`` beside the table it follows.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from vantage.store.lifecycle import (
    COLUMNS,
    DURATION_CHANGE,
    PHYSICAL_ADD,
    PHYSICAL_DELETE,
    SIZE_CHANGE,
)

_ARROW = {
    "BIGINT": pa.int64(),
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "DOUBLE": pa.float64(),
}
SCHEMA = pa.schema([pa.field(name, _ARROW[sql]) for name, sql in COLUMNS])

_ATTRIBUTES = ("media_type", "source_type", "creator_user_id", "kind", "entry_source")
"""What a row says of its entry besides its numbers: as written, or as counted."""

Row = Mapping[str, Any]
"""An entry as a row of ``entries`` (column → value)."""


def changes(
    incoming: Sequence[Row], stored: Mapping[tuple[int, str], Row], at: dt.datetime
) -> pa.Table:
    """The lifecycle rows of writing ``incoming`` (each key once) over ``stored`` (the stored
    entries among them, by partner and id) at ``at`` (naive UTC)."""
    out: list[dict[str, Any]] = []
    for new in incoming:
        old = stored.get((new["partner_id"], new["id"]))
        existed = old is not None
        was_live = old is not None and old["status"] != "deleted"
        is_live = new["status"] != "deleted"
        old_duration, old_size = _number(old, "duration"), _number(old, "size")
        new_duration, new_size = _number(new, "duration"), _number(new, "size")
        added = at if existed else (new["created_at"] or at)
        counted = old if old is not None else new  # the entry as it was counted
        if not was_live and (is_live or not existed):
            out.append(_row(new, added, PHYSICAL_ADD, 1, new_duration, new_size))
        if not is_live and (was_live or not existed):
            gone = (-_number(counted, "duration"), -_number(counted, "size"))
            out.append(_row(counted, max(at, added), PHYSICAL_DELETE, -1, *gone))
        if was_live and is_live and new_duration != old_duration:
            out.append(_row(new, at, DURATION_CHANGE, 0, new_duration - old_duration, 0.0))
        if was_live and is_live and new_size != old_size:
            out.append(_row(new, at, SIZE_CHANGE, 0, 0.0, new_size - old_size))
    return pa.Table.from_pylist(out, schema=SCHEMA)


def _row(
    entry: Row, time: dt.datetime, event: str, delta: int, duration: float, size: float
) -> dict[str, Any]:
    """A lifecycle row of ``entry`` (as written, or as counted)."""
    base = {"partner_id": entry["partner_id"], "entry_id": entry["id"], "time": time}
    numbers = {"event_type": event, "delta": delta, "duration": duration, "size": size}
    return base | numbers | {a: entry[a] for a in _ATTRIBUTES}


def _number(entry: Row | None, name: str) -> float:
    """A duration or size as the rows count it: missing is 0."""
    value = None if entry is None else entry[name]
    return 0.0 if value is None else float(value)
