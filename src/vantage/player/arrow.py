"""Validated beacons → one Arrow table in ``player_events``' column layout (the writer's input)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from vantage.player.columns import ARROW_SCHEMA, COLUMNS
from vantage.player.vocabulary import BY_ID, Beacon

_FIELD_COLUMNS = [c for c in COLUMNS if c.attr]


@dataclass(frozen=True)
class Received:
    """What the server knows of a beacon's request, kept raw for enrichment."""

    at_us: int
    """Unix microseconds."""
    client_ip: str | None
    user_agent: str | None


def to_arrow(beacons: Sequence[Beacon], received: Received) -> pa.Table:
    n = len(beacons)
    arrays: dict[str, pa.Array] = {
        "event_type": pa.array([BY_ID[b.event_type_id].name for b in beacons], pa.string()),
        "received_at": pa.repeat(pa.scalar(received.at_us, pa.timestamp("us")), n),
        "client_ip": pa.repeat(pa.scalar(received.client_ip, pa.string()), n),
        "user_agent": pa.repeat(pa.scalar(received.user_agent, pa.string()), n),
    }
    for col in _FIELD_COLUMNS:
        arrays[col.name] = pa.array([getattr(b, col.attr) for b in beacons], col.arrow)
    return pa.Table.from_arrays([arrays[c.name] for c in COLUMNS], schema=ARROW_SCHEMA)
