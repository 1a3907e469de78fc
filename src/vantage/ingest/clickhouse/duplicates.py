"""The duplicate rule of an append target (vantage.store.appends) on ClickHouse.

A row is a duplicate when a row with the same key is stored already, inside the incoming rows'
range of the rule's time column widened by its slack, or comes earlier in the batch; rows with
a NULL in their key never are. DuckDB answers this in one SQL statement inside its write
transaction; here the single writer reads the stored keys in the window (narrowed by the
incoming values of the key's text and integer columns) and compares in Python.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vantage.ingest.clickhouse.inserts import ClickHouse
from vantage.store.appends import DuplicateRule

_NARROWING = {pa.string(): "String", pa.int64(): "Int64"}
"""Key columns whose incoming values narrow the read of stored keys, by their ClickHouse type
(times are narrowed by the window; floats are compared only in Python)."""


def duplicates(engine: ClickHouse, table: str, rule: DuplicateRule, rows: pa.Table) -> pa.Array:
    """The row numbers of ``rows`` that are duplicates (as ``appends.append`` drops them)."""
    keyed = all(rows.column(c).null_count < rows.num_rows for c in rule.key)
    if not rows.num_rows or not keyed:  # a key column all NULL: no row can be a duplicate
        return pa.array([], pa.int64())
    incoming = _keys(rows, rule.key)
    stored = _stored_keys(engine, table, rule, rows)
    seen: set[tuple[Any, ...]] = set()
    dropped = []
    for row, key in enumerate(incoming):
        if None in key:
            continue
        if key in seen or key in stored:
            dropped.append(row)
        seen.add(key)
    return pa.array(dropped, pa.int64())


def _keys(rows: pa.Table, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Each row's key, times as unix microseconds (as the stored keys are read)."""
    values = []
    for name in columns:
        column = rows.column(name)
        if pa.types.is_timestamp(column.type):
            column = column.cast(pa.int64())
        values.append(column.to_pylist())
    return list(zip(*values, strict=True))


def _stored_keys(
    engine: ClickHouse, table: str, rule: DuplicateRule, rows: pa.Table
) -> set[tuple[Any, ...]]:
    bounds = pc.min_max(rows.column(rule.window).cast(pa.int64()))
    low, high = bounds["min"].as_py() - rule.slack_us, bounds["max"].as_py() + rule.slack_us
    params: list[Any] = [low, high]
    where = [
        f"{rule.window} BETWEEN fromUnixTimestamp64Micro({{p0:Int64}}, 'UTC') "
        "AND fromUnixTimestamp64Micro({p1:Int64}, 'UTC')"
    ]
    for name in rule.key:
        column = rows.column(name)
        if column.type in _NARROWING:
            values = pc.unique(column.drop_null()).to_pylist()
            where.append(f"{name} IN {{p{len(params)}:Array({_NARROWING[column.type]})}}")
            params.append(values)
    selected = ", ".join(
        f"toUnixTimestamp64Micro({name})" if _is_time(rows, name) else name for name in rule.key
    )
    sql = f"SELECT DISTINCT {selected} FROM {table} WHERE {' AND '.join(where)}"
    return set(engine.query(sql, params))


def _is_time(rows: pa.Table, name: str) -> bool:
    return bool(pa.types.is_timestamp(rows.column(name).type))


def without(rows: pa.Table, dropped: pa.Array) -> pa.Table:
    """``rows`` but the row numbers ``dropped``."""
    if not len(dropped):
        return rows
    keep = np.ones(rows.num_rows, bool)
    keep[dropped.to_numpy()] = False
    return rows.filter(pa.array(keep))
