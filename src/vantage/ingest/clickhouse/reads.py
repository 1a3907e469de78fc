"""Reading stored rows for a write, through engine-neutral plans (vantage.sql): the ClickHouse
dialect reads entity tables as of each key's latest version (``FINAL``), so a write sees the
rows that the store's reads see."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from vantage.ingest.clickhouse.inserts import ClickHouse
from vantage.sql.expr import col
from vantage.sql.plan import Select, Table
from vantage.store.engine import rows

Key = tuple[int, Any]
"""A partner and an id within it."""


KEYS_PER_READ = 1_000
"""Keys one read asks for at most: a plan writes them into the SQL text, which ClickHouse caps
(``max_query_size``, 256 KiB by default), and a key's id may be 128 characters long."""


def by_keys(
    engine: ClickHouse, table: str, columns: Sequence[str], keys: Collection[Key]
) -> list[tuple[Any, ...]]:
    """``columns`` (``partner_id`` and ``id`` among them) of the rows of ``table`` whose
    (``partner_id``, ``id``) is one of ``keys``."""
    wanted = sorted(set(keys))
    found = []
    for start in range(0, len(wanted), KEYS_PER_READ):
        found += _by_keys(engine, table, columns, wanted[start : start + KEYS_PER_READ])
    return found


def _by_keys(
    engine: ClickHouse, table: str, columns: Sequence[str], keys: list[Key]
) -> list[tuple[Any, ...]]:
    wanted = set(keys)
    where = col("partner_id").isin(sorted({p for p, _ in wanted})) & col("id").isin(
        sorted({i for _, i in wanted})
    )
    found = rows(engine, Select(tuple((c, col(c)) for c in columns), Table(table), where=where))
    partner, id_ = columns.index("partner_id"), columns.index("id")
    return [row for row in found if (row[partner], row[id_]) in wanted]
