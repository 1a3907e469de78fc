"""The store columns of room events, derived from the vocabulary.

One wide table holds every room event: the common fields, then each type-specific field once
(fields of the same name in different types share a column), then the server's receive time.
The migration that creates the table is written out by hand; tests/store check it against this.
A column a later migration adds stands after ``received_at``, where ``ALTER TABLE … ADD COLUMN``
puts it, in the order of ``ADDED_LATER``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from vantage.events.vocabulary import EVENT_TYPES, RoomEvent, type_name
from vantage.typemap import column_type, struct_fields

# Columns added after the table was created, in the order their migrations added them.
ADDED_LATER: tuple[str, ...] = (
    # 0012_chat_and_collaboration_fields.sql
    "visual_type",
    "visual_icon",
    "group_poll_id",
    "group_poll_name",
    "scheduling_type",
    "labels",
    "app_guid",
    "job_role",
    # 0013_recordings_and_join_clients.sql
    "device",
)
# Fields a type gained later that share a column another type's field already had: the column
# stays where it was made (joinSession's ``country`` is registered's column).
SHARED_LATER: frozenset[tuple[str, str]] = frozenset({("joinSession", "country")})


@dataclass(frozen=True)
class Column:
    name: str  # store column
    attr: str  # struct attribute it comes from
    wire: str  # JSON field name
    arrow: pa.DataType
    sql: str
    required: bool


def _derive() -> tuple[Column, ...]:
    cols: dict[str, Column] = {
        "event_type": Column("event_type", "", "type", pa.string(), "VARCHAR", True)
    }
    common_required = {f.name for f in struct_fields(RoomEvent) if f.required}
    fields = [(cls, f) for cls in EVENT_TYPES for f in struct_fields(cls)]
    # the shared-later fields last (a stable sort), so that the column's place is its first
    # owner's
    fields.sort(key=lambda x: (type_name(x[0]), x[1].name) in SHARED_LATER)
    for _, f in fields:
        arrow, sql = column_type(f.type)
        required = f.name in common_required
        col = Column(f.name, f.name, f.encode_name, arrow, sql, required)
        seen = cols.get(f.name)
        if seen is None:
            cols[f.name] = col
        elif (seen.arrow, seen.sql) != (col.arrow, col.sql):
            raise TypeError(f"field {f.name} has two types: {seen.sql} and {col.sql}")
    later = [cols.pop(name) for name in ADDED_LATER]
    cols["received_at"] = Column("received_at", "", "", pa.timestamp("us"), "TIMESTAMP", True)
    return (*cols.values(), *later)


COLUMNS: tuple[Column, ...] = _derive()
ARROW_SCHEMA = pa.schema([pa.field(c.name, c.arrow, nullable=not c.required) for c in COLUMNS])
