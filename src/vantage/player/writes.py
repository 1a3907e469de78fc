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

import functools
from collections.abc import Collection

import pyarrow as pa

from vantage.player import facts, lookups
from vantage.player.derive import (
    EntryKey,
    PlayKey,
    PlayState,
    PlayView,
    derive,
    latest_views,
)
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, agg, fn
from vantage.sql.plan import Select, Table
from vantage.store import compaction
from vantage.store.appends import DuplicateRule, Target
from vantage.store.engine import WriteSession

TABLE = "player_events"
SLACK_US = 86_400 * 1_000_000


RULE = DuplicateRule(
    ("partner_id", "session_id", "entry_id", "event_index", "event_type_id", "position"),
    "received_at",
    SLACK_US,
)
EVERY_PLAY_LOOKED_UP = 2**63 - 1
"""A ``PlayState`` start no time reaches: it remembers nothing it may trust."""


class BeaconWrites:
    """The ``player_events`` append target of one writer: beacons stored with their derived
    columns (vantage.player.derive, worked out in Python) and their hourly facts, in one
    transaction.

    With ``remember``, the target is its store's only writer of beacons: it keeps the plays of
    the last hour in memory (a ``PlayState`` starting after the latest view stored when it first
    writes) and looks up only the plays it does not hold; what a batch adds to the state counts
    once its transaction committed. Without it, every play is looked up in the store. Beacons
    vouched new (the demo's) start their plays: nothing is looked up."""

    def __init__(self, *, remember: bool) -> None:
        self._remember = remember
        self._state: PlayState | None = None
        self._pending: list[pa.Table] = []
        self.target = Target(TABLE, RULE, insert=self._insert, settled=self._settled)

    def _plays(self, tx: WriteSession) -> PlayState:
        if self._state is None:
            start = EVERY_PLAY_LOOKED_UP
            if self._remember:
                ((latest,),) = tx.execute(_DIALECT.sql(_LATEST_VIEW))
                start = 0 if latest is None else int(latest) + 1
            self._state = PlayState(complete_from=start)
        return self._state

    def _insert(self, tx: WriteSession, rows: pa.Table, fresh: bool) -> None:
        plays = self._plays(tx)
        previous = {} if fresh else plays.previous(rows, functools.partial(_latest, tx))
        derived = derive(rows, previous, _durations(tx, rows))
        stored = rows
        for name in derived.column_names:
            stored = stored.append_column(name, derived.column(name))
        # Arrow has no 128-bit integer: coverage comes as DECIMAL(38, 0), stored as a HUGEINT
        tx.execute(
            "CREATE TEMP TABLE _stored AS "
            "SELECT * REPLACE (CAST(coverage AS HUGEINT) AS coverage) FROM _incoming",
            _incoming=stored,
        )
        tx.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM _stored")
        tx.execute(facts.insert_facts_sql("_stored"))
        tx.execute(facts.mark_dirty_sql("_stored"))
        tx.execute("DROP TABLE _stored")
        if self._remember:
            self._pending.append(stored)

    def _settled(self, committed: bool) -> None:
        if committed and self._state is not None:
            for stored in self._pending:
                self._state.record(latest_views(stored, stored.select(["coverage"])))
        self._pending.clear()


_DIALECT = DuckDB()
_LATEST_VIEW = Select(
    (("t", agg("max", fn("unix_micros", Col("received_at", "b")))),),
    Table(TABLE),
    "b",
    where=Col("event_type_id", "b").eq(facts.VIEW),
)


def _latest(
    tx: WriteSession, keys: Collection[PlayKey], since_us: int, until_us: int
) -> dict[PlayKey, PlayView]:
    found = tx.execute(_DIALECT.sql(lookups.latest_views(keys, since_us, until_us)))
    wanted = set(keys)
    return {
        (partner, session, entry): PlayView(at, index, play_time_sum, coverage)
        for partner, session, entry, at, index, play_time_sum, coverage in found
        if (partner, session, entry) in wanted
    }


def _durations(tx: WriteSession, rows: pa.Table) -> dict[EntryKey, int | None]:
    # A set of the pairs, not an Arrow group-by: that runs on Arrow's thread pool, and handing
    # work to other threads cost more than the work (a busy server's writer waited on them).
    partners, entries = rows.column("partner_id").to_pylist(), rows.column("entry_id").to_pylist()
    keys = set(zip(partners, entries, strict=True))
    found = tx.execute(_DIALECT.sql(lookups.durations(keys)))
    return {(p, e): d for p, e, d in found if (p, e) in keys}


COMPACT_ROWS = 50_000
"""Fact rows merged in one write transaction at most (unless one hour holds more). A round
holds its rows and their merge in DuckDB memory, about 2.4 kB a row (120 MB, measured on the
10-million-beacon demo): well inside the default memory limit beside the server's readers."""


def compact_facts(tx: WriteSession, before_us: int, max_rows: int = COMPACT_ROWS) -> int:
    """Merge the fact rows of the oldest hours before ``before_us`` (unix µs) that gained rows,
    about ``max_rows`` of them; answer how many hours were merged (0: none is left). Callers
    commit each round and call again, so no transaction grows with the store."""
    return compaction.compact(tx, facts.FACTS, before_us, max_rows)


TARGET = BeaconWrites(remember=False).target
"""The target that looks every play up (for writes that are not the store's one writer)."""
