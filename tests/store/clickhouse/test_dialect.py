"""The ClickHouse engines write plans in the ClickHouse dialect, reading exactly the schema's
versioned (ReplacingMergeTree) tables as of their latest rows."""

from __future__ import annotations

from vantage.sql.expr import Col
from vantage.sql.plan import read
from vantage.store.clickhouse.engine import VERSIONED_TABLES, ChDBEngine


def test_the_versioned_tables_are_the_replacing_ones(chdb: ChDBEngine) -> None:
    rows = chdb.query(
        "SELECT name FROM system.tables WHERE database = currentDatabase() "
        "AND engine = 'ReplacingMergeTree'"
    )
    assert {name for (name,) in rows} == VERSIONED_TABLES


def test_a_query_with_a_long_list_of_values_runs(chdb: ChDBEngine) -> None:
    # about 1 MB of SQL text: a report filtered by 30,000 entry ids
    ids = [f"1_{i:08d}" for i in range(30_000)]
    plan = read("entries", ["id"], Col("id", "t").isin(ids))
    assert chdb.query(chdb.dialect.sql(plan)) == []
