"""The hourly room presence facts equal, month by month, the same aggregation over the raw
presence periods: on DuckDB (added per append, merged by the upkeep's compaction, and the
frozen backfill of migration 11) and on ClickHouse (the materialized view of migration 3,
through merges and retried inserts)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import msgspec
import pyarrow as pa
import pytest

from tests.conftest import SAMPLE_FIELDS
from vantage.events.arrow import to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Expr, Time, col, fn
from vantage.sql.plan import Table
from vantage.store import appends, room_events, room_presence
from vantage.store import migrations as duckdb_migrations
from vantage.store.clickhouse import migrations
from vantage.store.clickhouse.engine import ChDBEngine
from vantage.store.duckdb_engine import DuckDBEngine

NIGHT = dt.datetime(2024, 1, 31, 21, tzinfo=dt.UTC)  # hours of two months
MONTHS = (dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1))
MERGED = room_presence.combined(Table("room_presence"))
RAW = room_presence.aggregate(Table("room_events"))
BACKFILL = next(
    s for s in duckdb_migrations.MIGRATIONS[10].statements if "INSERT INTO room_presence" in s
).partition("INSERT INTO room_presence")[2]
VIEW = next(s for s in migrations.MIGRATIONS[2].statements if "TO room_presence AS" in s).partition(
    "TO room_presence AS"
)[2]


def _batch(seed: int, n: int = 150) -> pa.Table:
    """Presence periods (and a few joins, which the facts skip) of people in rooms through the
    night, some without a virtual event, engaged or not in every way."""
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for i in range(n):
        kind = "joinSession" if i % 10 == 0 else "viewPeriod"
        fields = dict(SAMPLE_FIELDS[kind])
        if kind == "viewPeriod":
            flags = ("tabFocused", "cameraOn", "fullScreen", "onStage")
            fields |= {f: rng.random() < 0.3 for f in flags}
            fields["viewTime"] = rng.choice([10, 10, 7.5, 2.25])
        session = rng.choice(["s1", "s2", "s3"])
        at = NIGHT + dt.timedelta(seconds=rng.randrange(0, 5 * 3600))
        events.append(
            {
                "type": kind,
                "eventId": f"{seed}-{i}",
                "partnerId": rng.choice([101, 102]),
                "entryId": rng.choice(["1_a", "1_b"]),
                "sessionId": session,
                **({"virtualEventId": 7} if rng.random() < 0.5 else {}),
                "userId": rng.choice(["ann", "bob", "cy"]),
                "time": at.timestamp(),
                **fields,
            }
        )
    window = TimeWindow.around(NIGHT, 400, 86_400)
    decoded = decode_batch(msgspec.json.encode(events), ndjson=False, window=window, max_events=n)
    return to_arrow(decoded, int(NIGHT.timestamp()) * 1_000_000)


BATCHES = [_batch(seed) for seed in range(4)]


def _of_month(column: str, month: dt.datetime) -> Expr:
    start = int(month.replace(tzinfo=dt.UTC).timestamp()) * 1_000_000
    return fn("trunc_time", "month", col(column)).eq(Time(start))


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=lambda row: [(v is None, v) for v in row])


@pytest.fixture(scope="module")
def duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine(tmp_path_factory.mktemp("duckdb") / "store.duckdb")
    duckdb_migrations.migrate(engine)
    for batch in (*BATCHES, BATCHES[2]):  # the last is sent again: its events are duplicates
        with engine.write() as tx:
            appends.append(tx, room_events.TARGET, batch)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def chdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChDBEngine]:
    engine = ChDBEngine(tmp_path_factory.mktemp("chdb"))
    migrations.migrate(engine)
    for i, batch in enumerate(BATCHES):
        engine.insert("room_events", batch, token=f"rooms-{i}")
        if i == 1:  # a merge folds rows of the same keys; the measures must not change
            engine.command("OPTIMIZE TABLE room_presence FINAL")
    engine.insert("room_events", BATCHES[2], token="rooms-2")  # a retry: adds nothing
    yield engine
    engine.close()


def _facts(engine: DuckDBEngine | ChDBEngine, month: dt.datetime) -> list[tuple[Any, ...]]:
    dialect = DuckDB() if isinstance(engine, DuckDBEngine) else ClickHouse()
    return _sorted(engine.query(dialect.sql(replace(MERGED, where=_of_month("f.bucket", month)))))


def _raw(engine: DuckDBEngine | ChDBEngine, month: dt.datetime) -> list[tuple[Any, ...]]:
    dialect = DuckDB() if isinstance(engine, DuckDBEngine) else ClickHouse()
    where = _of_month("time", month)
    return _sorted(engine.query(dialect.sql(replace(RAW, where=RAW.where & where))))


@pytest.mark.parametrize("month", MONTHS)
def test_duckdb_facts_equal_the_raw_periods_before_and_after_merging(
    duckdb: DuckDBEngine, month: dt.datetime
) -> None:
    raw = _raw(duckdb, month)
    assert raw and _facts(duckdb, month) == raw
    with duckdb.write() as tx:
        while room_presence.compact(tx, 2**62, max_rows=40):
            pass
    assert _facts(duckdb, month) == raw
    assert duckdb.query("SELECT count(*) FROM room_presence_dirty") == [(0,)]
    assert duckdb.query(  # merged: one row per keys
        "SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (view_time, periods, first_time, "
        "last_time) FROM room_presence)"
    ) == duckdb.query("SELECT count(*) FROM room_presence")


def test_a_resent_batch_adds_no_facts(duckdb: DuckDBEngine) -> None:
    periods = sum(b.column("event_type").to_pylist().count("viewPeriod") for b in BATCHES)
    assert duckdb.query("SELECT sum(periods) FROM room_presence") == [(periods,)]


@pytest.mark.parametrize("month", MONTHS)
def test_the_frozen_backfill_is_the_declaration(duckdb: DuckDBEngine, month: dt.datetime) -> None:
    sql = f"SELECT * FROM ({BACKFILL}) f WHERE date_trunc('month', bucket) = ?"
    rows = duckdb.query(sql, (month,))
    assert _sorted(rows) == _raw(duckdb, month)


@pytest.mark.parametrize("month", MONTHS)
def test_clickhouse_facts_equal_the_raw_periods(chdb: ChDBEngine, month: dt.datetime) -> None:
    assert chdb.query("SELECT count() FROM room_events") == [(sum(b.num_rows for b in BATCHES),)]
    raw = _raw(chdb, month)
    assert raw and _facts(chdb, month) == raw
    # the view's own SELECT, as the schema froze it, is the declaration
    frozen = chdb.query(
        f"SELECT * FROM ({VIEW}) WHERE toStartOfMonth(bucket) = toDate('{month:%Y-%m-%d}')"
    )
    assert _sorted(frozen) == raw


def test_both_engines_hold_the_same_facts(duckdb: DuckDBEngine, chdb: ChDBEngine) -> None:
    for month in MONTHS:
        assert _facts(duckdb, month) == _facts(chdb, month)
