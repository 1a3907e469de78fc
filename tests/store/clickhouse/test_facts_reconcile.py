"""The hourly player facts the materialized view keeps equal, month by month, the same
aggregation over the raw beacons, on ClickHouse and on DuckDB (vantage.player.facts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pyarrow as pa
import pytest

from tests.store.clickhouse.beacons import beacons
from vantage.player import facts
from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Expr, Time, col, fn
from vantage.sql.plan import Table
from vantage.store import migrations as duckdb_migrations
from vantage.store.clickhouse import migrations
from vantage.store.clickhouse.engine import ChDBEngine
from vantage.store.duckdb_engine import DuckDBEngine

MERGED = facts.combined(Table("player_facts"))
# The view's own SELECT, as the schema froze it, run over every stored beacon at once.
RAW_FACTS = next(
    s for s in migrations.MIGRATIONS[0].statements if "TO player_facts AS" in s
).partition("TO player_facts AS")[2]

# Four deliveries over the night of 31 January: hours of two months.
BATCHES = [beacons(seed, 100, dt.datetime(2024, 1, 31, 19), 9) for seed in range(4)]
MONTHS = (dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1))


def _of_month(column: str, month: dt.datetime) -> Expr:
    start = int(month.replace(tzinfo=dt.UTC).timestamp()) * 1_000_000
    return fn("trunc_time", "month", col(column)).eq(Time(start))


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=lambda row: [(v is None, v) for v in row])


@pytest.fixture(scope="module")
def stored(chdb: ChDBEngine) -> ChDBEngine:
    for i, batch in enumerate(BATCHES):
        chdb.insert("player_events", batch, token=f"beacons-{i}")
        if i == 1:  # a merge folds rows of the same keys; the sums must not change
            chdb.command("OPTIMIZE TABLE player_facts FINAL")
    chdb.insert("player_events", BATCHES[2], token="beacons-2")  # a retry: adds nothing
    return chdb


@pytest.fixture(scope="module")
def duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine(tmp_path_factory.mktemp("duckdb") / "store.duckdb")
    duckdb_migrations.migrate(engine)
    with engine.write() as tx:
        tx.execute(
            "INSERT INTO player_events BY NAME SELECT * FROM beacons",
            beacons=pa.concat_tables(BATCHES),
        )
    yield engine
    engine.close()


def test_the_beacons_span_hours_of_two_months(stored: ChDBEngine) -> None:
    months = stored.query(
        "SELECT toYYYYMM(bucket), uniqExact(bucket) FROM player_facts GROUP BY 1 ORDER BY 1"
    )
    assert [m for m, _ in months] == [202401, 202402] and all(hours > 2 for _, hours in months)
    assert stored.query("SELECT count() FROM player_events") == [(400,)]


@pytest.mark.parametrize("month", MONTHS)
def test_facts_equal_the_raw_beacons_aggregated(
    month: dt.datetime, stored: ChDBEngine, duckdb: DuckDBEngine
) -> None:
    rollup = stored.query(ClickHouse().sql(replace(MERGED, where=_of_month("f.bucket", month))))
    frozen = stored.query(f"SELECT * FROM ({RAW_FACTS}) WHERE toYYYYMM(bucket) = {month:%Y%m}")
    # the live declaration, compiled for each engine
    raw = facts.aggregate(Table("player_events"), where=_of_month("b.received_at", month))
    live = stored.query(ClickHouse().sql(raw))
    on_duckdb = duckdb.query(DuckDB().sql(raw))
    assert len(rollup) > 50
    assert _sorted(rollup) == _sorted(frozen) == _sorted(live) == _sorted(on_duckdb)
