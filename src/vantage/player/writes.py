"""Player beacons written through the store's writer: the append target of ``player_events``
(a resent beacon is stored once; derived columns and hourly facts in the same transaction) and
the compaction of the hourly facts.

The player numbers its sends within a session (``eventIndex``), but it starts again from 1
when it resets its analytics session (after 30 s without a view, or for the next entry of a
playlist) under the same ``sessionId``. So the number alone does not name a beacon: a copy is
one with the same partner, session, entry, index, event type and playhead position. Stored
beacons are compared within a day either side of the incoming ones' receive time, so a copy
that arrives more than a day after the first is stored again. Beacons without an index or a
position (application events), or without a session (NULL), are never duplicates.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from vantage.player import facts
from vantage.store.appends import DuplicateRule, Target
from vantage.store.engine import WriteSession

TABLE = "player_events"
SLACK_US = 86_400 * 1_000_000


def _insert(tx: WriteSession, rows: pa.Table, fresh: bool) -> None:
    """Store beacons with their derived columns, and add their facts, in one transaction.

    Only the derived columns are materialised (views and quartiles); the beacons go from the
    incoming Arrow data to the table once, and to the facts once. Beacons vouched new (the
    demo's) start their plays: no stored view is looked up."""
    low = high = 0
    if not fresh:  # the range of the views whose plays may continue stored ones
        views = rows.filter(pc.equal(rows.column("event_type_id"), facts.VIEW))
        if views.num_rows:
            bounds = pc.min_max(views.column("received_at").cast(pa.int64()))
            low, high = bounds["min"].as_py(), bounds["max"].as_py()
    numbered = rows.append_column("_row", pa.array(range(rows.num_rows), pa.int64()))
    tx.execute(
        f"CREATE TEMP TABLE _derived AS {facts.derive_sql('_incoming', None if fresh else TABLE)}",
        () if fresh else (low, high),
        _incoming=numbered,
    )
    stored = facts.with_derived_sql("_incoming", "_derived")
    tx.execute(f"CREATE TEMP TABLE _stored AS {stored}", _incoming=numbered)
    tx.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM _stored")
    tx.execute(facts.insert_facts_sql("_stored"))
    tx.execute(facts.mark_dirty_sql("_stored"))
    tx.execute("DROP TABLE _stored")
    tx.execute("DROP TABLE _derived")


COMPACT_ROWS = 50_000
"""Fact rows merged in one write transaction at most (unless one hour holds more). A round
holds its rows and their merge in DuckDB memory, about 2.4 kB a row (120 MB, measured on the
10-million-beacon demo): well inside the default memory limit beside the server's readers."""


def compact_facts(tx: WriteSession, before_us: int, max_rows: int = COMPACT_ROWS) -> int:
    """Merge the fact rows of the oldest hours before ``before_us`` (unix µs) that gained rows,
    about ``max_rows`` of them; answer how many hours were merged (0: none is left). Callers
    commit each round and call again, so no transaction grows with the store."""
    choose, count, *merge = facts.compact_sql()
    tx.execute(choose, (before_us, max_rows))
    ((hours,),) = tx.execute(count)
    for statement in merge:
        tx.execute(statement)
    return int(hours)


TARGET = Target(
    TABLE,
    DuplicateRule(
        ("partner_id", "session_id", "entry_id", "event_index", "event_type_id", "position"),
        "received_at",
        SLACK_US,
    ),
    insert=_insert,
)
