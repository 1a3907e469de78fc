"""Player beacons on ClickHouse: their derived columns worked out before the insert
(vantage.player.derive, on every engine), with no transaction around
the work; the insert into ``player_events`` feeds the hourly facts through the schema's
materialized view, exactly, and a retry adds nothing to either (vantage.ingest.clickhouse.inserts).

Each play's previous view comes from a ``PlayState`` the single writer keeps, or from the
store for plays it cannot answer: the latest stored view in the window, as vantage.player.lookups
picks it (latest ``received_at``, then ``event_index`` with NULL lowest).
"""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa

from vantage.ingest.clickhouse.inserts import ClickHouse
from vantage.ingest.clickhouse.reads import by_keys
from vantage.player import facts
from vantage.player.derive import EntryKey, PlayKey, PlayState, PlayView, derive, latest_views

TABLE = "player_events"

_LATEST_VIEWS = f"""
SELECT partner_id, session_id, entry_id, toUnixTimestamp64Micro(received_at), event_index,
       play_time_sum, coverage
FROM {TABLE}
WHERE event_type_id = {facts.VIEW}
  AND received_at BETWEEN fromUnixTimestamp64Micro({{p0:Int64}}, 'UTC')
                      AND fromUnixTimestamp64Micro({{p1:Int64}}, 'UTC')
  AND (partner_id, session_id, entry_id) IN {{p2:Array(Tuple(Int64, String, String))}}
ORDER BY partner_id, session_id, entry_id,
         received_at DESC, event_index DESC NULLS LAST
LIMIT 1 BY partner_id, session_id, entry_id
"""


def play_state(engine: ClickHouse, *, sole_writer: bool) -> PlayState:
    """The state of a writer starting now. Where it is the store's sole writer of beacons,
    every view stored after the latest one stored now will pass through it; otherwise no time
    is complete, and every play is looked up."""
    if not sole_writer:
        return PlayState(complete_from=2**63 - 1)
    ((latest,),) = engine.query(
        f"SELECT max(toUnixTimestamp64Micro(received_at)) FROM {TABLE} "
        f"WHERE event_type_id = {facts.VIEW}"
    )
    return PlayState(complete_from=0 if latest is None else latest + 1)


def with_derived(engine: ClickHouse, state: PlayState, rows: pa.Table, *, fresh: bool) -> pa.Table:
    """``rows`` as stored: with ``play_time``, ``coverage`` and ``new_percentiles``. Beacons
    vouched new (``fresh``) continue no stored play."""
    previous = {} if fresh else state.previous(rows, lambda keys, s, e: _latest(engine, keys, s, e))
    derived = derive(rows, previous, _durations(engine, rows))
    for name in derived.column_names:
        rows = rows.append_column(name, derived.column(name))
    return rows


def record(state: PlayState, stored: pa.Table) -> None:
    """Remember the plays of beacons now durable (``stored`` as ``with_derived`` gave them)."""
    state.record(latest_views(stored, stored.select(["coverage"])))


def _latest(
    engine: ClickHouse, keys: Collection[PlayKey], start: int, end: int
) -> dict[PlayKey, PlayView]:
    found = engine.query(_LATEST_VIEWS, [start, end, sorted(keys)])
    return {
        (partner, session, entry): PlayView(at, index, play_time_sum, coverage)
        for partner, session, entry, at, index, play_time_sum, coverage in found
    }


def _durations(engine: ClickHouse, rows: pa.Table) -> dict[EntryKey, int | None]:
    """The durations of the batch's entries that are stored (None: stored without one)."""
    distinct = rows.select(["partner_id", "entry_id"]).group_by(["partner_id", "entry_id"])
    pairs = distinct.aggregate([])
    keys = list(zip(*(pairs.column(c).to_pylist() for c in pairs.column_names), strict=True))
    found = by_keys(engine, "entries", ("partner_id", "id", "duration"), keys)
    return {(p, e): d for p, e, d in found}
