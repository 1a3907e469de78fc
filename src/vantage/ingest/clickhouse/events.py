"""Appending room events and player beacons on ClickHouse, as ``vantage.store.appends`` does on
DuckDB: rows holding a NaN or an infinity refused whole, duplicates dropped by the target's
rule, the rest stored with what they keep current (room sessions; beacons' derived columns and,
through the materialized view, their facts).

What a batch changes besides its own rows is inserted first: room sessions merge the same
events to the same row however often, so a batch whose own insert failed afterwards can be
sent again.
"""

from __future__ import annotations

import pyarrow as pa

from vantage.ingest.clickhouse import beacons, sessions
from vantage.ingest.clickhouse.duplicates import duplicates, without
from vantage.ingest.clickhouse.inserts import ClickHouse, insert
from vantage.player import writes
from vantage.player.derive import PlayState
from vantage.store import room_events
from vantage.store.appends import Target, refuse_non_finite


def store_room_events(engine: ClickHouse, rows: pa.Table, *, dedupe: bool) -> pa.Array:
    """Store room events; return the row numbers dropped as duplicates."""
    dropped = _checked(engine, room_events.TARGET, rows, dedupe)
    stored = without(rows, dropped)
    if stored.num_rows:
        updated = sessions.updated_sessions(engine, stored)
        if updated is not None:
            insert(engine, sessions.TABLE, updated)
        insert(engine, room_events.TABLE, stored)
    return dropped


def store_beacons(
    engine: ClickHouse, state: PlayState, rows: pa.Table, *, dedupe: bool
) -> pa.Array:
    """Store player beacons with their derived columns (their facts follow); return the row
    numbers dropped as duplicates. Beacons stored without ``dedupe`` are vouched new."""
    dropped = _checked(engine, writes.TARGET, rows, dedupe)
    stored = without(rows, dropped)
    if stored.num_rows:
        derived = beacons.with_derived(engine, state, stored, fresh=not dedupe)
        insert(engine, writes.TABLE, derived)
        beacons.record(state, derived)  # only now: its views are durable
    return dropped


def _checked(engine: ClickHouse, target: Target, rows: pa.Table, dedupe: bool) -> pa.Array:
    refuse_non_finite(target.table, rows)
    if not dedupe:
        return pa.array([], pa.int64())
    return duplicates(engine, target.table, target.duplicates, rows)
