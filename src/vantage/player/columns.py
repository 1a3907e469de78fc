"""The store columns of player beacons (``player_events``), derived from the vocabulary.

The event's name, then every declared field in order, then what the server adds: when the beacon
arrived, the client's address and user agent as received, and what enrichment derives from them
and the referrer (vantage.player.enrich). The migrations that create the table are written out by
hand; tests/store check them against this.
"""

from __future__ import annotations

import msgspec.inspect as mi
import pyarrow as pa

from vantage.events.columns import Column
from vantage.player.enrich import Agent, Place
from vantage.player.vocabulary import Beacon
from vantage.typemap import column_type, struct_fields


def _derive() -> tuple[Column, ...]:
    cols = [Column("event_type", "", "", pa.string(), "VARCHAR", True)]
    for f in struct_fields(Beacon):
        arrow, sql = column_type(f.type)
        # A field that must be sent but may be null (``sessionId``) is a nullable column.
        not_null = f.required and not _nullable(f.type)
        cols.append(Column(f.name, f.name, f.encode_name, arrow, sql, not_null))
    cols += [
        Column("received_at", "", "", pa.timestamp("us"), "TIMESTAMP", True),
        Column("client_ip", "", "", pa.string(), "VARCHAR", False),
        Column("user_agent", "", "", pa.string(), "VARCHAR", False),
    ]
    for f in (*struct_fields(Place), *struct_fields(Agent)):
        arrow, sql = column_type(f.type)
        cols.append(Column(f.name, "", "", arrow, sql, False))
    cols.append(Column("domain", "", "", pa.string(), "VARCHAR", False))
    return tuple(cols)


def _nullable(info: mi.Type) -> bool:
    return isinstance(info, mi.UnionType) and any(isinstance(t, mi.NoneType) for t in info.types)


COLUMNS: tuple[Column, ...] = _derive()
ARROW_SCHEMA = pa.schema([pa.field(c.name, c.arrow, nullable=not c.required) for c in COLUMNS])
