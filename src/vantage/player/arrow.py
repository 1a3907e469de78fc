"""Validated beacons → one Arrow table in ``player_events``' column layout (the writer's input)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import pyarrow as pa

from vantage.player.columns import ARROW_SCHEMA, COLUMNS
from vantage.player.enrich import NOWHERE, UNKNOWN_AGENT, Agent, Place, domain
from vantage.player.vocabulary import BY_ID, Beacon

_FIELD_COLUMNS = [c for c in COLUMNS if c.attr]


@dataclass(frozen=True)
class Received:
    """What the server knows of a beacon's request: as received, and enriched."""

    at_us: int
    """Unix microseconds."""
    client_ip: str | None
    user_agent: str | None
    place: Place = NOWHERE
    agent: Agent = UNKNOWN_AGENT


def to_arrow(beacons: Sequence[Beacon], received: Received) -> pa.Table:
    n = len(beacons)
    arrays: dict[str, pa.Array] = {
        "event_type": pa.array([BY_ID[b.event_type_id].name for b in beacons], pa.string()),
        "received_at": pa.repeat(pa.scalar(received.at_us, pa.timestamp("us")), n),
        "client_ip": pa.repeat(pa.scalar(received.client_ip, pa.string()), n),
        "user_agent": pa.repeat(pa.scalar(received.user_agent, pa.string()), n),
        "domain": pa.array([domain(b.referrer) for b in beacons], pa.string()),
    }
    enriched = msgspec.structs.asdict(received.place) | msgspec.structs.asdict(received.agent)
    for name, value in enriched.items():
        arrays[name] = pa.repeat(pa.scalar(value, pa.string()), n)
    for col in _FIELD_COLUMNS:
        arrays[col.name] = pa.array([getattr(b, col.attr) for b in beacons], col.arrow)
    return pa.Table.from_arrays([arrays[c.name] for c in COLUMNS], schema=ARROW_SCHEMA)
