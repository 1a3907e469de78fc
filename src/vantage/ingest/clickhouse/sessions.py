"""Room sessions kept current by session events, on ClickHouse: the rules of
``vantage.store.room_events`` (its two ``INSERT … ON CONFLICT`` statements) worked out in
Python over the stored row, read ``FINAL``, and written as the row's next version.

Per session, from a batch's stored ``sessionStarted`` events: the earliest start, and the
entry and host of the earliest; from its ``sessionEnded`` events: the latest end, and the entry
of the latest. A new session takes its entry from its starts when it has any, else from its
ends; a stored session keeps its entry. The start is the earlier of stored and new, the end the
later; the first host named stays. Of events tying on time, the first in the batch counts.

Merging the same events again changes nothing, so a batch whose events failed to insert after
its sessions were written may be stored again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from vantage.ingest.clickhouse.inserts import ClickHouse
from vantage.ingest.clickhouse.reads import by_keys

TABLE = "room_sessions"
STARTED, ENDED = "sessionStarted", "sessionEnded"

SessionKey = tuple[int, str]
"""partner_id, session id."""


@dataclass(frozen=True)
class Session:
    entry_id: str
    start_time: dt.datetime | None
    end_time: dt.datetime | None
    host_user_id: str | None


@dataclass
class _Seen:
    """What a batch's events of one type say of one session: the time they count (earliest
    start, latest end) and the entry and user of the event at that time."""

    time: dt.datetime
    entry_id: str
    user_id: str


def updated_sessions(engine: ClickHouse, events: pa.Table) -> pa.Table | None:
    """The next version of every session the stored ``events`` start or end (None: none)."""
    kinds = events.column("event_type")
    of_sessions = events.filter(pc.is_in(kinds, value_set=pa.array([STARTED, ENDED])))
    if not of_sessions.num_rows:
        return None
    starts: dict[SessionKey, _Seen] = {}
    ends: dict[SessionKey, _Seen] = {}
    for row in of_sessions.select(
        ["event_type", "partner_id", "session_id", "entry_id", "user_id", "time"]
    ).to_pylist():
        key = (row["partner_id"], row["session_id"])
        seen = _Seen(row["time"], row["entry_id"], row["user_id"])
        if row["event_type"] == STARTED:
            if key not in starts or seen.time < starts[key].time:
                starts[key] = seen
        elif key not in ends or seen.time > ends[key].time:
            ends[key] = seen
    sessions = _stored(engine, [*starts, *ends])
    for key, start in starts.items():
        sessions[key] = _started(sessions.get(key), start)
    for key, end in ends.items():
        sessions[key] = _ended(sessions.get(key), end)
    touched = list(dict.fromkeys([*starts, *ends]))
    return pa.table(
        {
            "partner_id": pa.array([p for p, _ in touched], pa.int64()),
            "id": pa.array([s for _, s in touched], pa.string()),
            "entry_id": pa.array([sessions[k].entry_id for k in touched], pa.string()),
            "start_time": pa.array([sessions[k].start_time for k in touched], pa.timestamp("us")),
            "end_time": pa.array([sessions[k].end_time for k in touched], pa.timestamp("us")),
            "host_user_id": pa.array([sessions[k].host_user_id for k in touched], pa.string()),
        }
    )


def _started(stored: Session | None, start: _Seen) -> Session:
    if stored is None:
        return Session(start.entry_id, start.time, None, start.user_id)
    earliest = start.time if stored.start_time is None else min(stored.start_time, start.time)
    host = start.user_id if stored.host_user_id is None else stored.host_user_id
    return replace(stored, start_time=earliest, host_user_id=host)


def _ended(stored: Session | None, end: _Seen) -> Session:
    if stored is None:
        return Session(end.entry_id, None, end.time, None)
    latest = end.time if stored.end_time is None else max(stored.end_time, end.time)
    return replace(stored, end_time=latest)


def _stored(engine: ClickHouse, keys: list[SessionKey]) -> dict[SessionKey, Session]:
    columns = ("partner_id", "id", "entry_id", "start_time", "end_time", "host_user_id")
    rows = by_keys(engine, TABLE, columns, keys)
    return {(p, i): Session(entry, start, end, host) for p, i, entry, start, end, host in rows}
