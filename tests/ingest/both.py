"""A DuckDB store (its DuckDBIngest) and a chDB store (a ClickHouseIngest) fed the same
writes, and their tables read alike, for the tests that compare the two ingest implementations."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from vantage.ingest import Ingest
from vantage.ingest.clickhouse import ClickHouseIngest
from vantage.ingest.store import Store
from vantage.player import facts
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col
from vantage.sql.plan import Table
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine

WAIT_SECONDS = 30
"""How long a write may take before the test takes it for lost (a future never resolved)."""

Outcome = tuple[str, Any]
"""("ok", the result) or ("error", (its type, its message))."""


def outcome(future: Future[Any]) -> Outcome:
    try:
        return "ok", future.result(timeout=WAIT_SECONDS)
    except Exception as exc:
        return "error", (type(exc), str(exc))


@dataclass
class Both:
    store: Store
    chdb: ChDBEngine | ClickHouseEngine
    clickhouse: ClickHouseIngest

    @property
    def duckdb(self) -> Ingest:
        return self.store.ingest

    def restart_clickhouse(self, *, sole_writer: bool = True) -> None:
        """A new ``ClickHouseIngest`` (an empty memory of plays), as after a restart."""
        self.clickhouse.close()
        self.clickhouse = ClickHouseIngest(self.chdb, sole_writer=sole_writer)

    def write(self, call: Callable[[Ingest], Future[Any]]) -> tuple[Outcome, Outcome]:
        """``call`` on each ingest, in turn; what each answered."""
        return outcome(call(self.duckdb)), outcome(call(self.clickhouse))

    def same(self, call: Callable[[Ingest], Future[Any]]) -> Any:
        """``call`` on each; both must answer the same, which is returned."""
        on_duckdb, on_clickhouse = self.write(call)
        assert on_duckdb == on_clickhouse
        return on_duckdb[1]

    def rows(self, table: str, partner_id: int, *, final: bool = False) -> list[tuple[Any, ...]]:
        """Every column of ``table``'s rows of a partner (``partner_id`` or ``id`` of
        partners), sorted; the same from both stores, else the assertion shows both."""
        described = self.store.engine.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        columns = ", ".join(name for name, _ in described)
        # ClickHouse has no NULL list: its schema stores one empty.
        lists = [i for i, (_, kind) in enumerate(described) if kind.endswith("[]")]
        owner = "id" if table == "partners" else "partner_id"
        on_duckdb = [
            tuple([] if i in lists and v is None else v for i, v in enumerate(row))
            for row in self.store.engine.query(
                f"SELECT {columns} FROM {table} WHERE {owner} = ?", (partner_id,)
            )
        ]
        on_clickhouse = self.chdb.query(
            f"SELECT {columns} FROM {table} {'FINAL' if final else ''} "
            f"WHERE {owner} = {{p0:Int64}}",
            [partner_id],
        )
        assert sorted(on_duckdb, key=repr) == sorted(on_clickhouse, key=repr)
        return sorted(on_duckdb, key=repr)

    def facts(self, partner_id: int) -> list[tuple[Any, ...]]:
        """The partner's hourly facts, merged per keys; the same from both stores."""
        plan = facts.combined(Table("player_facts"), Col("partner_id", "f").eq(partner_id))
        on_duckdb = self.store.engine.query(DuckDB().sql(plan))
        on_clickhouse = self.chdb.query(self.chdb.dialect.sql(plan))
        assert sorted(on_duckdb, key=repr) == sorted(on_clickhouse, key=repr)
        return sorted(on_duckdb, key=repr)
