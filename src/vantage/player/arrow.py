"""Validated beacons → one Arrow table in ``player_events``' column layout (the writer's input)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
import pyarrow as pa

from vantage.player.columns import ARROW_SCHEMA, COLUMNS
from vantage.player.enrich import NOWHERE, UNKNOWN_AGENT, Agent, Place, domain
from vantage.player.vocabulary import BY_ID, Beacon

_FIELD_COLUMNS = [c for c in COLUMNS if c.attr]  # in the order of Beacon's fields
# Structs are read whole as tuples and turned into columns at once: a getattr a value cost
# more than the rest of a batch's conversion.
_PLACE_NAMES = [f.name for f in msgspec.structs.fields(Place)]
_AGENT_NAMES = [f.name for f in msgspec.structs.fields(Agent)]


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
    for names, structs in (
        (_PLACE_NAMES, [r.place for r in each]),
        (_AGENT_NAMES, [r.agent for r in each]),
    ):
        for name, values in zip(names, _columns(structs, len(names)), strict=True):
            arrays[name] = pa.array(values, pa.string())
    for col, values in zip(_FIELD_COLUMNS, _columns(beacons, len(_FIELD_COLUMNS)), strict=True):
        arrays[col.name] = pa.array(values, col.arrow)
    return pa.Table.from_arrays([arrays[c.name] for c in COLUMNS], schema=ARROW_SCHEMA)


def _columns(structs: Sequence[msgspec.Struct], width: int) -> list[tuple[object, ...]]:
    """The structs' fields as columns (``width`` of them, empty ones for no structs)."""
    return list(zip(*map(msgspec.structs.astuple, structs), strict=True)) or [()] * width
