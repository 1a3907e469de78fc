"""Reading stored room events back in their wire shape (``GET /api/v1/events``).

This is the collector's JSON twin: what went in comes out the same, so operators can check
what was kept and tests can prove a round trip. Filters are exact matches; results are ordered
by time and capped at ``MAX_PAGE`` per request.
"""

from __future__ import annotations

from typing import Any

from vantage.events.columns import COLUMNS
from vantage.events.vocabulary import BY_NAME
from vantage.store.engine import Engine
from vantage.timeconv import unix_seconds

MAX_PAGE = 10_000
FILTERS = {  # query parameter → column
    "entryId": "entry_id",
    "sessionId": "session_id",
    "userId": "user_id",
    "type": "event_type",
    "eventId": "event_id",
}
_WIRE = {c.name: c.wire for c in COLUMNS if c.wire}
_FIELDS_OF = {name: set(cls.__struct_fields__) for name, cls in BY_NAME.items()}
_SELECT = ", ".join(c.name for c in COLUMNS if c.wire)


def list_events(
    engine: Engine,
    partner_ids: set[int],
    filters: dict[str, str],
    *,
    since: float | None = None,
    until: float | None = None,
    limit: int = 1_000,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    where = ["partner_id IN (SELECT unnest(?))"]
    params: list[Any] = [sorted(partner_ids)]
    for name, value in filters.items():
        where.append(f"{FILTERS[name]} = ?")
        params.append(value)
    if since is not None:
        where.append("time >= make_timestamp(?)")
        params.append(round(since * 1_000_000))
    if until is not None:
        where.append("time < make_timestamp(?)")
        params.append(round(until * 1_000_000))
    clause = " AND ".join(where)
    total = engine.query(f"SELECT count(*) FROM room_events WHERE {clause}", params)[0][0]
    rows = engine.query(
        f"SELECT {_SELECT} FROM room_events WHERE {clause} "
        "ORDER BY time, partner_id, event_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    names = [c.name for c in COLUMNS if c.wire]
    return [_wire(dict(zip(names, row, strict=True))) for row in rows], int(total)


def _wire(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the event that was sent: its type's fields, unset optional ones left out."""
    event_type = row["event_type"]
    fields = _FIELDS_OF.get(event_type, set())
    out: dict[str, Any] = {"type": event_type}
    for column, value in row.items():
        if column == "event_type" or column not in fields or value is None:
            continue
        if column == "time":
            value = unix_seconds(value)
        out[_WIRE[column]] = value
    return out
