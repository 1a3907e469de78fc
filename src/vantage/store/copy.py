"""Copying a DuckDB store's whole history into a ClickHouse store (``vantage store copy``).

**What is copied.** Every table the ClickHouse schema stores (its ``MergeTree`` tables, read
from ``system.tables``), column for column, from the DuckDB table of the same name: entities,
room events, player events, entry lifecycle, metadata. Not copied, on purpose:

- tables a materialized view fills (``player_facts``, ``room_presence``): the view rebuilds them
  from the events the copy inserts (``player_events``, ``room_events``), and verification checks
  that they add up to DuckDB's;
- ``schema_migrations`` on either side: each engine's own migration history;
- ``player_facts_dirty``, ``room_presence_dirty``: the hours awaiting DuckDB's compaction of its
  facts; ClickHouse merges the facts' parts by itself.

Any other difference between the two schemas (a table or a column one side lacks) is a
``SchemaMismatchError`` naming it: the copy never drops data silently.

**Batches.** A table is read in ranges of DuckDB's ``rowid`` (``batch_rows`` ids each): batch N
holds the rows whose rowid is in [N × batch_rows, (N + 1) × batch_rows). A range is a streamed
scan that DuckDB prunes to its row groups, so memory stays flat whatever the table's size and no
sort is needed (sorting a million wide rows by their key took 1 GB and failed under a lower
memory limit). Batch N is the same rows on every run as long as the store is the same rows at
the same rowids, which is what the fingerprint says.

**Fingerprint.** A hash of every copied table's row count, largest rowid and the sum of the
hashes of (rowid, row), with the batch size: any change to the source (a row added, changed,
removed or moved by a checkpoint) gives another fingerprint.

**Tokens.** Batch N of table T is inserted with the deduplication token
``vantage-copy:<fingerprint>:<T>:<N>``, so a batch sent again (its acknowledgement lost) adds
nothing, to the table or to the facts its view feeds, and a copy of a changed store is never
taken for a repeat of an older one.

**Resume.** After each batch the copy appends (fingerprint, table, batches done, rows done) to
``copy_progress`` in the target; a run that finds its fingerprint there starts each table after
its last recorded batch. Only the batch in flight when a run stopped is sent again, so resuming
relies on the target's deduplication for that one batch, well within the
``non_replicated_deduplication_window`` of 1000 blocks the schema keeps.

**Whose rows.** A target whose tables hold rows of another copy, or of its own ingest, is
refused (``TargetInUseError``) unless ``force``: then its copied tables, the tables their views
fill and ``copy_progress`` are emptied and the copy starts from the first batch. An empty target,
or one that holds only this copy's rows, needs no ``force``.

**Verification.** Once every table is copied: each table's row count in ClickHouse (``FINAL``
for a ``ReplacingMergeTree``, whose rows are replaced only when parts merge) equals DuckDB's, and
each view-filled table's summed measures (its ``SimpleAggregateFunction(sum, …)`` columns) per
partner equal the sums of DuckDB's table of the same name: integers exactly, floats to a
relative 1e-9 (the two engines add in different orders). A difference is a ``VerificationError``
naming the table and both numbers.

**Types.** DuckDB's Arrow for each column is what ClickHouse's Arrow input reads into the
column's type, so batches are inserted as read: a ``HUGEINT`` comes as ``decimal128(38, 0)``,
read into ``UInt128`` value for value; ``JSON`` comes as a string; a ``TIMESTAMP`` as a naive
``timestamp[us]``, read as UTC; a NULL list becomes an empty ``Array`` (ClickHouse has no
``Nullable(Array)``, and its schema says a NULL list is stored empty).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.clickhouse.migrations import migrate
from vantage.store.duckdb_engine import DuckDBEngine

ClickHouse = ChDBEngine | ClickHouseEngine

BATCH_ROWS = 100_000

# DuckDB tables ClickHouse lacks on purpose, with the reason.
DUCKDB_ONLY = {
    "schema_migrations": "each engine keeps its own migration history",
    "player_facts_dirty": "hours awaiting DuckDB's compaction; ClickHouse merges by itself",
    "room_presence_dirty": "hours awaiting DuckDB's compaction; ClickHouse merges by itself",
}
PROGRESS = "copy_progress"
# The target's own bookkeeping, never copied into.
TARGET_ONLY = frozenset({"schema_migrations", PROGRESS})
# Relative difference allowed between two engines' sums of the same floats.
FLOAT_TOLERANCE = 1e-9


class CopyError(RuntimeError):
    """The copy cannot go on; the message says why, for the person running it."""


class SchemaMismatchError(CopyError):
    """The two stores' tables or columns differ where no difference is expected."""


class TargetInUseError(CopyError):
    """The target holds rows that are not this copy's."""


class VerificationError(CopyError):
    """A count or a sum in the target differs from the source's."""


@dataclass(frozen=True)
class TablePlan:
    """One table to copy: its columns (ClickHouse's writable ones, DuckDB has the same) and
    its size in the source."""

    name: str
    columns: tuple[str, ...]
    rows: int
    last_rowid: int  # -1 for an empty table
    replacing: bool  # a ReplacingMergeTree: counted with FINAL

    def batches(self, batch_rows: int) -> int:
        return (self.last_rowid + batch_rows) // batch_rows


@dataclass(frozen=True)
class TableCopied:
    name: str
    rows: int  # the table's rows in the source
    sent: int  # rows this run inserted (the rest were copied by an earlier run)
    seconds: float


def _quoted(name: str) -> str:
    """An identifier both engines read as written (double quotes are standard SQL in both)."""
    return '"' + name.replace('"', '""') + '"'


def _clickhouse_tables(target: ClickHouse) -> tuple[dict[str, str], set[str]]:
    """(name → engine of every table to copy into, names of tables views fill)."""
    tables = dict(
        target.query(
            "SELECT name, engine FROM system.tables "
            "WHERE database = currentDatabase() AND engine LIKE '%MergeTree'"
        )
    )
    filled = {
        name
        for (name,) in target.query(
            "SELECT target_table FROM system.tables "
            "WHERE database = currentDatabase() AND engine = 'MaterializedView'"
        )
    }
    copied = {n: e for n, e in tables.items() if n not in filled and n not in TARGET_ONLY}
    return copied, filled


def _columns(engine: ClickHouse | DuckDBEngine, sql: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for table, column in engine.query(sql):
        found.setdefault(table, []).append(column)
    return {table: tuple(columns) for table, columns in found.items()}


def _size(source: DuckDBEngine, table: str) -> tuple[int, int]:
    """(rows, largest rowid or -1)."""
    rows, last = source.query(f"SELECT count(*), max(rowid) FROM {_quoted(table)}")[0]
    return int(rows), -1 if last is None else int(last)


def plan(source: DuckDBEngine, target: ClickHouse) -> tuple[list[TablePlan], list[str]]:
    """The tables to copy, and the view-filled tables to verify; ``SchemaMismatchError`` if the
    schemas differ other than on purpose."""
    copied, filled = _clickhouse_tables(target)
    target_columns = _columns(
        target,
        "SELECT table, name FROM system.columns WHERE database = currentDatabase() "
        "AND default_kind NOT IN ('MATERIALIZED', 'ALIAS') ORDER BY table, position",
    )
    source_columns = _columns(
        source,
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_catalog, table_schema, table_name) "
        "WHERE t.table_type = 'BASE TABLE' AND t.table_schema = current_schema() "
        "ORDER BY c.table_name, c.ordinal_position",
    )
    unexpected = source_columns.keys() - copied.keys() - filled - DUCKDB_ONLY.keys()
    if unexpected:
        raise SchemaMismatchError(
            f"the DuckDB store has tables ClickHouse lacks: {', '.join(sorted(unexpected))}"
        )
    plans = []
    for name in sorted(copied):
        if name not in source_columns:
            raise SchemaMismatchError(f"the DuckDB store has no table {name}")
        _same_columns(name, source_columns[name], target_columns[name])
        rows, last = _size(source, name)
        replacing = copied[name].startswith("Replacing")
        plans.append(TablePlan(name, target_columns[name], rows, last, replacing))
    for name in filled & source_columns.keys():
        _same_columns(name, source_columns[name], target_columns[name])
    return plans, sorted(filled & source_columns.keys())


def _same_columns(table: str, source: Sequence[str], target: Sequence[str]) -> None:
    for column in source:
        if column not in target:
            raise SchemaMismatchError(f"{table}.{column} is in the DuckDB store, not in ClickHouse")
    for column in target:
        if column not in source:
            raise SchemaMismatchError(f"{table}.{column} is in ClickHouse, not in the DuckDB store")


def fingerprint(source: DuckDBEngine, tables: Sequence[TablePlan], batch_rows: int) -> str:
    """The source's identity for this copy: the same rows at the same rowids, the same batches."""
    digest = hashlib.sha256(f"batch_rows={batch_rows}".encode())
    for table in tables:
        (content,) = source.query(
            f"SELECT coalesce(sum(hash(rowid, t)), 0) FROM {_quoted(table.name)} AS t"
        )[0]
        digest.update(f"\n{table.name} {table.rows} {table.last_rowid} {content}".encode())
    return digest.hexdigest()[:24]


@dataclass
class StoreCopy:
    """One copy of a DuckDB store into a ClickHouse store: ``prepare``, then ``copy`` each of
    ``tables``, then ``verify``."""

    source: DuckDBEngine
    target: ClickHouse
    tables: list[TablePlan]
    filled: list[str]  # tables the target's views fill, verified by their sums
    source_id: str  # the source's fingerprint
    batch_rows: int

    @classmethod
    def prepare(
        cls,
        source: DuckDBEngine,
        target: ClickHouse,
        *,
        force: bool = False,
        batch_rows: int = BATCH_ROWS,
    ) -> StoreCopy:
        """Bring the target's schema up to date, plan the copy and claim the target for it:
        resume this source's copy, or empty the target and start one (see the module)."""
        if target.cluster is not None:
            raise CopyError(
                f"the copy goes into one ClickHouse server, not a cluster ({target.cluster.name}): "
                "copy into one server, then move its tables into the cluster with ClickHouse's "
                "own tools (see docs/scale-out.md)"
            )
        migrate(target)
        tables, filled = plan(source, target)
        copy = cls(
            source, target, tables, filled, fingerprint(source, tables, batch_rows), batch_rows
        )
        copy._claim(force)
        return copy

    def _claim(self, force: bool) -> None:
        sources = {s for (s,) in self.target.query(f"SELECT DISTINCT source FROM {PROGRESS}")}
        names = [t.name for t in self.tables] + self.filled
        held = [n for n in names if self.target.query(f"SELECT count() FROM {_quoted(n)}")[0][0]]
        ours = sources == {self.source_id}
        if held and ours and not force:
            return  # resume
        if held and not force:
            raise TargetInUseError(
                f"the ClickHouse store already holds rows ({', '.join(held)}) that are not this "
                "store's copy; copy into an empty store, or force the copy (--force) to empty "
                "it first"
            )
        for name in [*names, PROGRESS]:
            self.target.command(f"TRUNCATE TABLE {_quoted(name)}")
        # Recorded before any row is sent, so a copy stopped in its first batch is still ours.
        for table in self.tables:
            self._record(table, 0, 0)

    def _record(self, table: TablePlan, batches: int, rows: int) -> None:
        progress = pa.table(
            {
                "source": [self.source_id],
                "table_name": [table.name],
                "batches": pa.array([batches], pa.uint64()),
                "rows_copied": pa.array([rows], pa.uint64()),
            }
        )
        self.target.insert(PROGRESS, progress, token=self._token(f"progress-{table.name}", batches))

    def _token(self, table: str, batch: int) -> str:
        return f"vantage-copy:{self.source_id}:{table}:{batch}"

    def done(self, table: TablePlan) -> tuple[int, int]:
        """(batches, rows) of ``table`` copied so far."""
        found = self.target.query(
            f"SELECT max(batches), argMax(rows_copied, batches) FROM {PROGRESS} "
            "WHERE source = {p0:String} AND table_name = {p1:String}",
            [self.source_id, table.name],
        )[0]
        return (0, 0) if found[0] is None else (int(found[0]), int(found[1]))

    def copy(self, table: TablePlan, progress: Callable[[int], None]) -> TableCopied:
        """Copy ``table``'s batches not yet copied; ``progress`` hears the rows copied so far
        after each batch."""
        started = time.monotonic()
        first, rows = self.done(table)
        progress(rows)
        sent = 0
        select = (
            f"SELECT {', '.join(_quoted(c) for c in table.columns)} FROM {_quoted(table.name)} "
            "WHERE rowid >= ? AND rowid < ?"
        )
        for batch in range(first, table.batches(self.batch_rows)):
            start = batch * self.batch_rows
            read = list(
                self.source.query_batches(select, (start, start + self.batch_rows), self.batch_rows)
            )
            count = sum(b.num_rows for b in read)
            if count:  # a range may be empty: rowids of deleted rows are not reused
                data = pa.Table.from_batches(read)
                self.target.insert(table.name, data, token=self._token(table.name, batch))
            rows += count
            sent += count
            self._record(table, batch + 1, rows)
            progress(rows)
        return TableCopied(table.name, table.rows, sent, time.monotonic() - started)

    def verify(self) -> None:
        """``VerificationError`` unless every count and every view-filled sum is the source's."""
        for table in self.tables:
            final = " FINAL" if table.replacing else ""
            got = self.target.query(f"SELECT count() FROM {_quoted(table.name)}{final}")[0][0]
            if got != table.rows:
                raise VerificationError(
                    f"{table.name}: {got:,} rows in ClickHouse, {table.rows:,} in the DuckDB store"
                )
        for name in self.filled:
            self._verify_sums(name)

    def _verify_sums(self, table: str) -> None:
        measures = [
            column
            for (column,) in self.target.query(
                "SELECT name FROM system.columns WHERE database = currentDatabase() "
                "AND table = {p0:String} AND type LIKE 'SimpleAggregateFunction(sum,%' "
                "ORDER BY position",
                [table],
            )
        ]
        sums = ", ".join(f"sum({_quoted(m)})" for m in measures)
        sql = f"SELECT partner_id, {sums} FROM {_quoted(table)} GROUP BY partner_id"
        target = {row[0]: row[1:] for row in self.target.query(sql)}
        source = {row[0]: row[1:] for row in self.source.query(sql)}
        if target.keys() != source.keys():
            raise VerificationError(
                f"{table}: partners {sorted(target)} in ClickHouse, {sorted(source)} in the "
                "DuckDB store"
            )
        for partner, expected in source.items():
            for measure, want, got in zip(measures, expected, target[partner], strict=True):
                if not _equal(want, got):
                    raise VerificationError(
                        f"{table}.{measure} of partner {partner}: {got} in ClickHouse, {want} in "
                        "the DuckDB store"
                    )


def _equal(want: object, got: object) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return math.isclose(want, got, rel_tol=FLOAT_TOLERANCE)
    return want == got
