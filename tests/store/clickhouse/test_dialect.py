"""The ClickHouse engines write plans in the ClickHouse dialect, reading exactly the schema's
versioned (ReplacingMergeTree) tables as of their latest rows."""

from __future__ import annotations

from vantage.store.clickhouse.engine import VERSIONED_TABLES, ChDBEngine


def test_the_versioned_tables_are_the_replacing_ones(chdb: ChDBEngine) -> None:
    rows = chdb.query(
        "SELECT name FROM system.tables WHERE database = currentDatabase() "
        "AND engine = 'ReplacingMergeTree'"
    )
    assert {name for (name,) in rows} == VERSIONED_TABLES
