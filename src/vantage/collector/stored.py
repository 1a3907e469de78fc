"""Reading stored room events back in their wire shape (``GET /api/v1/events``).

This is the collector's JSON twin: what went in comes out the same, so operators can check
what was kept and tests can prove a round trip. Filters are exact matches; results are ordered
by time and capped at ``MAX_PAGE`` per request.
"""

from __future__ import annotations

from typing import Any

from vantage.events.columns import COLUMNS
from vantage.events.vocabulary import BY_NAME
from vantage.sql.expr import Col, Time, all_of
from vantage.sql.plan import count_of, read
from vantage.store.engine import Engine, rows
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
_SHOWN = [c.name for c in COLUMNS if c.wire]


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
    where = [Col("partner_id", "t").isin(sorted(partner_ids))]
    where += [Col(FILTERS[name], "t").eq(value) for name, value in filters.items()]
    if since is not None:
        where.append(Col("time", "t").ge(Time(round(since * 1_000_000))))
    if until is not None:
        where.append(Col("time", "t").lt(Time(round(until * 1_000_000))))
    condition = all_of(where)
    (total,) = rows(engine, count_of("room_events", condition))[0]
    order = ("time", "partner_id", "event_id")
    page = read("room_events", _SHOWN, condition, order, limit, offset)
    return [_wire(dict(zip(_SHOWN, row, strict=True))) for row in rows(engine, page)], int(total)


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
