"""Appending room events inside a write transaction: drop duplicates, insert, update sessions.

An event is a duplicate when an event with the same partner, ``eventId`` and time is already
stored or comes earlier in the same group. Only stored rows inside the incoming batch's time
range are compared, so DuckDB's per-row-group time zone maps skip almost all of the table.
Events without an id are never duplicates.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from vantage.store.engine import WriteSession

TABLE = "room_events"

_DUPLICATES = f"""
WITH keyed AS (
    SELECT _row, partner_id, event_id, time,
           row_number() OVER (PARTITION BY partner_id, event_id, time ORDER BY _row) AS nth
    FROM incoming
    WHERE event_id IS NOT NULL
)
SELECT _row FROM keyed WHERE nth > 1
UNION ALL
SELECT k._row FROM keyed k
WHERE k.nth = 1 AND EXISTS (
    SELECT 1 FROM {TABLE} r
    WHERE r.time BETWEEN ? AND ?
      AND r.partner_id = k.partner_id AND r.event_id = k.event_id AND r.time = k.time
)
"""

# Session events keep the room_sessions entity current: the earliest start, the latest end,
# and the first host named.
_SESSION_STARTS = """
INSERT INTO room_sessions (partner_id, id, entry_id, start_time, host_user_id)
SELECT partner_id, session_id, arg_min(entry_id, time), min(time), arg_min(user_id, time)
FROM stored WHERE event_type = 'sessionStarted'
GROUP BY partner_id, session_id
ON CONFLICT (partner_id, id) DO UPDATE SET
    start_time = least(coalesce(start_time, excluded.start_time), excluded.start_time),
    host_user_id = coalesce(host_user_id, excluded.host_user_id)
"""
_SESSION_ENDS = """
INSERT INTO room_sessions (partner_id, id, entry_id, end_time)
SELECT partner_id, session_id, arg_max(entry_id, time), max(time)
FROM stored WHERE event_type = 'sessionEnded'
GROUP BY partner_id, session_id
ON CONFLICT (partner_id, id) DO UPDATE SET
    end_time = greatest(coalesce(end_time, excluded.end_time), excluded.end_time)
"""
_SESSION_TYPES = pa.array(["sessionStarted", "sessionEnded"])


def append(tx: WriteSession, events: pa.Table, *, dedupe: bool = True) -> pa.Array:
    """Append ``events``; return the row numbers (into ``events``) dropped as duplicates."""
    dropped = pa.array([], pa.int64())
    if dedupe and events.num_rows and events.column("event_id").null_count < events.num_rows:
        dropped = _duplicates(tx, events)
        if len(dropped):
            keep = pc.invert(pc.is_in(pa.array(range(events.num_rows)), value_set=dropped))
            events = events.filter(keep)
    if events.num_rows:
        tx.append(TABLE, events)
        if pc.any(pc.is_in(events.column("event_type"), value_set=_SESSION_TYPES)).as_py():
            _update_sessions(tx, events)
    return dropped


def _duplicates(tx: WriteSession, events: pa.Table) -> pa.Array:
    incoming = events.select(["partner_id", "event_id", "time"]).append_column(
        "_row", pa.array(range(events.num_rows), pa.int64())
    )
    times = events.column("time")
    bounds = pc.min_max(times)
    found = tx.query_arrow(
        _DUPLICATES, (bounds["min"].as_py(), bounds["max"].as_py()), incoming=incoming
    )
    return found.column("_row").combine_chunks()


def _update_sessions(tx: WriteSession, stored: pa.Table) -> None:
    sessions = stored.filter(pc.is_in(stored.column("event_type"), value_set=_SESSION_TYPES))
    tx.execute(_SESSION_STARTS, stored=sessions)
    tx.execute(_SESSION_ENDS, stored=sessions)
