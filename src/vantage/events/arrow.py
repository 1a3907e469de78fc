"""Validated events → one Arrow table in the store's column layout (the writer's input)."""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from vantage.events.columns import ARROW_SCHEMA, COLUMNS
from vantage.events.decode import DecodedBatch
from vantage.events.vocabulary import RoomEvent, type_name

_FIELD_COLUMNS = [c for c in COLUMNS if c.attr and c.name != "time"]


@cache
def _has(cls: type[RoomEvent], attr: str) -> bool:
    return attr in cls.__struct_fields__


def to_arrow(batch: DecodedBatch, received_at_us: int) -> pa.Table:
    events = batch.events
    n = len(events)
    present = {type(e) for e in events}
    arrays: dict[str, pa.Array] = {
        "event_type": pa.array([type_name(type(e)) for e in events], pa.string()),
        "time": pa.array(batch.times_us, pa.int64()).cast(pa.timestamp("us")),
        "received_at": pa.repeat(pa.scalar(received_at_us, pa.timestamp("us")), n),
    }
    for col in _FIELD_COLUMNS:
        having = [cls for cls in present if _has(cls, col.attr)]
        if not having:  # most columns belong to types absent from a given batch
            arrays[col.name] = pa.nulls(n, col.arrow)
            continue
        if len(having) == len(present):
            values = [getattr(e, col.attr) for e in events]
        else:
            values = [getattr(e, col.attr, None) for e in events]
        arrays[col.name] = pa.array(values, col.arrow)
    return pa.Table.from_arrays([arrays[c.name] for c in COLUMNS], schema=ARROW_SCHEMA)
