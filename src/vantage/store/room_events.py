"""The room-event append target: duplicates by (partner, ``eventId``, time), sessions kept
current, presence facts added (vantage.store.room_presence).

An event is a duplicate when an event with the same partner, ``eventId`` and time is already
stored or comes earlier in the same group (see vantage.store.appends); only stored events in the
incoming batch's time range are compared. Events without an id are never duplicates.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from vantage.store import room_presence
from vantage.store.appends import DuplicateRule, Target
from vantage.store.engine import WriteSession

TABLE = "room_events"

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


def _update_sessions(tx: WriteSession, stored: pa.Table) -> None:
    if not pc.any(pc.is_in(stored.column("event_type"), value_set=_SESSION_TYPES)).as_py():
        return
    sessions = stored.filter(pc.is_in(stored.column("event_type"), value_set=_SESSION_TYPES))
    tx.execute(_SESSION_STARTS, stored=sessions)
    tx.execute(_SESSION_ENDS, stored=sessions)


def _add_presence(tx: WriteSession, stored: pa.Table) -> None:
    periods = stored.filter(pc.equal(stored.column("event_type"), room_presence.EVENT_TYPE))
    if periods.num_rows:
        tx.execute(room_presence.insert_sql("stored"), stored=periods)
        tx.execute(room_presence.mark_dirty_sql("stored"), stored=periods)


def _after_append(tx: WriteSession, stored: pa.Table) -> None:
    _update_sessions(tx, stored)
    _add_presence(tx, stored)


TARGET = Target(
    TABLE, DuplicateRule(("partner_id", "event_id", "time"), window="time"), _after_append
)
