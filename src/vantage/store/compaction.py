"""Merging hourly fact rows in DuckDB: each small commit adds its own fact rows for the hours it
touched and marks those hours dirty; a merge makes each dirty hour as small as after one bulk
load (one row per distinct keys), exactly, since every measure has a merging aggregate.

A round merges the oldest dirty hours before a time (the current hour keeps gaining rows) that
together hold at most ``max_rows`` fact rows, and at least one hour: whole hours keep the result
exact, and the bound keeps a round's memory and write transaction the same whatever the store's
size. Callers commit each round and call again until no hour is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, Expr, InQuery
from vantage.sql.plan import Relation, Select, Table
from vantage.store.engine import WriteSession


@dataclass(frozen=True)
class Facts:
    table: str  # fact rows with an hour column ``bucket``
    dirty_table: str  # hours (``bucket``, its primary key) that gained rows since merged
    combined: Callable[[Relation, Expr], Select]
    """Fact rows of a relation (read as ``f``) meeting a condition, merged per distinct keys."""

    def statements(self) -> tuple[str, ...]:
        """Choose the hours (parameters: before, unix µs; most rows), count them, merge them."""
        hours = InQuery(Col("bucket", "f"), Select((("bucket", Col("bucket")),), Table("_hours")))
        merged = DuckDB().sql(self.combined(Table(self.table), hours))
        sizes = (
            f"SELECT d.bucket, count(f.bucket) AS n FROM {self.dirty_table} d "
            f"LEFT JOIN {self.table} f ON f.bucket = d.bucket "
            "WHERE d.bucket < make_timestamp(?::BIGINT) GROUP BY d.bucket"
        )
        upto = "sum(n) OVER (ORDER BY bucket ROWS UNBOUNDED PRECEDING)"
        return (
            f"CREATE TEMP TABLE _hours AS SELECT bucket FROM (SELECT bucket, n, {upto} AS upto "
            f"FROM ({sizes})) WHERE upto <= ?::BIGINT OR upto = n",
            "SELECT count(*) FROM _hours",
            f"CREATE TEMP TABLE _merged AS {merged}",
            f"DELETE FROM {self.table} WHERE bucket IN (SELECT bucket FROM _hours)",
            f"INSERT INTO {self.table} BY NAME SELECT * FROM _merged",
            f"DELETE FROM {self.dirty_table} WHERE bucket IN (SELECT bucket FROM _hours)",
            "DROP TABLE _merged",
            "DROP TABLE _hours",
        )


def compact(tx: WriteSession, facts: Facts, before_us: int, max_rows: int) -> int:
    """One round: merge the fact rows of the oldest dirty hours before ``before_us`` (unix µs),
    about ``max_rows`` of them; answer how many hours were merged (0: none is left)."""
    choose, count, *merge = facts.statements()
    tx.execute(choose, (before_us, max_rows))
    ((hours,),) = tx.execute(count)
    for statement in merge:
        tx.execute(statement)
    return int(hours)
