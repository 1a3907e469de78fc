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


def to_arrow(beacons: Sequence[Beacon], received: Received | Sequence[Received]) -> pa.Table:
    """The beacons as rows; ``received`` is one for all of them (one request) or one each."""
    n = len(beacons)
    each = [received] * n if isinstance(received, Received) else list(received)
    arrays: dict[str, pa.Array] = {
        "event_type": pa.array([BY_ID[b.event_type_id].name for b in beacons], pa.string()),
        "received_at": pa.array([r.at_us for r in each], pa.timestamp("us")),
        "client_ip": pa.array([r.client_ip for r in each], pa.string()),
        "user_agent": pa.array([r.user_agent for r in each], pa.string()),
        "domain": pa.array([domain(b.referrer) for b in beacons], pa.string()),
    }
    for group, struct in (("place", Place), ("agent", Agent)):
        for f in msgspec.structs.fields(struct):
            values = [getattr(getattr(r, group), f.name) for r in each]
            arrays[f.name] = pa.array(values, pa.string())
    for col in _FIELD_COLUMNS:
        arrays[col.name] = pa.array([getattr(b, col.attr) for b in beacons], col.arrow)
    return pa.Table.from_arrays([arrays[c.name] for c in COLUMNS], schema=ARROW_SCHEMA)
