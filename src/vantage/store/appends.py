"""Appending a batch of rows to an event table inside a write transaction, duplicates dropped.

Each event table is a :class:`Target`: its name, its :class:`DuplicateRule` and what else must
change when rows are stored. A row is a duplicate when a row with the same key is already stored
or comes earlier in the same group; rows with a null in their key are never duplicates. Only
stored rows inside the incoming rows' range of the rule's time column (widened by its slack) are
compared, so DuckDB's per-row-group zone maps skip almost all of the table.

No table stores a NaN or an infinity: the decoders refuse them with the field's name, and rows
that reach a table by another path (the demo's generated tables) are refused here whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from vantage.store.engine import WriteSession


@dataclass(frozen=True)
class DuplicateRule:
    key: tuple[str, ...]
    """Columns that identify one event."""
    window: str
    """The time column stored rows are compared within."""
    slack_us: int = 0
    """How far beyond the incoming rows' range of ``window`` a stored duplicate may lie."""


@dataclass(frozen=True)
class Target:
    table: str
    duplicates: DuplicateRule
    after: Callable[[WriteSession, pa.Table], None] | None = None
    """Called with the rows stored, in the same transaction (keeps entities current)."""
    insert: Callable[[WriteSession, pa.Table, bool], None] | None = None
    """Stores the rows instead of a plain append (targets that derive columns or facts); its
    flag says whether the rows are vouched new (``dedupe=False``): they continue nothing
    stored."""
    settled: Callable[[bool], None] | None = None
    """Told once the transaction that stored rows ended: True when it committed (what the
    target remembers of them now holds), False when it rolled back (forget it)."""


class NonFiniteError(ValueError):
    """Rows hold a NaN or an infinity, which no event table stores."""


def append(tx: WriteSession, target: Target, rows: pa.Table, *, dedupe: bool = True) -> pa.Array:
    """Append ``rows``; return the row numbers (into ``rows``) dropped as duplicates."""
    refuse_non_finite(target.table, rows)
    rule = target.duplicates
    dropped = pa.array([], pa.int64())
    keyed = all(rows.column(c).null_count < rows.num_rows for c in rule.key)
    if dedupe and rows.num_rows and keyed:
        dropped = _duplicates(tx, target.table, rule, rows)
        if len(dropped):
            keep = pc.invert(pc.is_in(pa.array(range(rows.num_rows)), value_set=dropped))
            rows = rows.filter(keep)
    if rows.num_rows:
        if target.insert is not None:
            target.insert(tx, rows, not dedupe)
        else:
            tx.append(target.table, rows)
        if target.after is not None:
            target.after(tx, rows)
    return dropped


def refuse_non_finite(table: str, rows: pa.Table) -> None:
    """Refuse ``rows`` whole (``NonFiniteError``) when a float column holds a NaN or an
    infinity."""
    for field in rows.schema:
        if pa.types.is_floating(field.type):
            infinite = pc.invert(pc.is_finite(rows.column(field.name)))
            if pc.any(infinite).as_py():  # nulls are skipped: absent values are fine
                raise NonFiniteError(f"{table}.{field.name}: a value is not a finite number")


def _duplicates(tx: WriteSession, table: str, rule: DuplicateRule, rows: pa.Table) -> pa.Array:
    columns = list(dict.fromkeys((*rule.key, rule.window)))
    incoming = rows.select(columns).append_column(
        "_row", pa.array(range(rows.num_rows), pa.int64())
    )
    bounds = pc.min_max(rows.column(rule.window).cast(pa.int64()))
    low, high = bounds["min"].as_py() - rule.slack_us, bounds["max"].as_py() + rule.slack_us
    found = tx.query_arrow(_sql(table, rule), (low, high), incoming=incoming)
    return found.column("_row").combine_chunks()


def _sql(table: str, rule: DuplicateRule) -> str:
    key = ", ".join(rule.key)
    return f"""
WITH keyed AS (
    SELECT _row, {key},
           row_number() OVER (PARTITION BY {key} ORDER BY _row) AS nth
    FROM incoming
    WHERE {" AND ".join(f"{c} IS NOT NULL" for c in rule.key)}
)
SELECT _row FROM keyed WHERE nth > 1
UNION ALL
SELECT k._row FROM keyed k
WHERE k.nth = 1 AND EXISTS (
    SELECT 1 FROM {table} r
    WHERE r.{rule.window} BETWEEN make_timestamp(?) AND make_timestamp(?)
      AND {" AND ".join(f"r.{c} = k.{c}" for c in rule.key)}
)
"""
