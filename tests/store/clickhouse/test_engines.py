"""The ClickHouse engines answer as DuckDB does: the same values in the same Python and Arrow
types, standard NULL semantics, exact distinct counts, bound parameters; chDB from many threads."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import clickhouse_connect
import pyarrow as pa
import pytest

from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.duckdb_engine import DuckDBEngine

AT = "2024-02-29 23:59:59.123456"

# (what, DuckDB's SQL, ClickHouse's SQL): each pair gives one value of that kind.
LITERALS = [
    ("bigint", "CAST(9007199254740993 AS BIGINT)", "CAST(9007199254740993 AS BIGINT)"),
    ("integer", "CAST(-7 AS INTEGER)", "CAST(-7 AS INTEGER)"),
    ("smallint", "CAST(300 AS SMALLINT)", "CAST(300 AS SMALLINT)"),
    ("double", "CAST(0.1 AS DOUBLE)", "CAST(0.1 AS DOUBLE)"),
    ("varchar", "'héllo, «world»'", "'héllo, «world»'"),
    ("boolean", "true", "true"),
    ("null", "CAST(NULL AS BIGINT)", "CAST(NULL AS Nullable(Int64))"),
    ("varchar list", "['a', 'b']", "['a', 'b']"),
    ("bigint list", "[CAST(1 AS BIGINT), 2]", "[CAST(1 AS BIGINT), 2]"),
    ("timestamp", f"TIMESTAMP '{AT}'", f"toDateTime64('{AT}', 6, 'UTC')"),
    # dateTrunc keeps DateTime64; toStartOfHour gives a DateTime, which Arrow carries as uint32
    (
        "hour",
        f"date_trunc('hour', TIMESTAMP '{AT}')",
        f"dateTrunc('hour', toDateTime64('{AT}', 6))",
    ),
    ("hugeint", "(1::HUGEINT << 100) | 5", "bitOr(bitShiftLeft(toUInt128(1), 100), toUInt128(5))"),
]


@pytest.fixture(scope="module")
def duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine(tmp_path_factory.mktemp("duckdb") / "store.duckdb")
    yield engine
    engine.close()


def test_literal_values_equal_duckdbs(
    duckdb: DuckDBEngine, engine: ChDBEngine | ClickHouseEngine
) -> None:
    expected = duckdb.query("SELECT " + ", ".join(d for _, d, _ in LITERALS))
    got = engine.query("SELECT " + ", ".join(c for _, _, c in LITERALS))
    assert got == expected
    assert expected[0][9] == dt.datetime(2024, 2, 29, 23, 59, 59, 123456)  # naive UTC
    assert expected[0][11] == (1 << 100) | 5


def test_batches_carry_duckdbs_arrow_types(
    duckdb: DuckDBEngine, engine: ChDBEngine | ClickHouseEngine
) -> None:
    columns = [2, 3, 9, 11]  # an integer, a double, a timestamp, a HUGEINT / UInt128
    expected = next(duckdb.query_batches("SELECT " + ", ".join(LITERALS[i][1] for i in columns)))
    got = next(engine.query_batches("SELECT " + ", ".join(LITERALS[i][2] for i in columns)))
    assert got.schema.types[2:] == expected.schema.types[2:]
    assert [c.to_pylist() for c in got.columns] == [c.to_pylist() for c in expected.columns]


def test_batches_hold_at_most_batch_rows(engine: ChDBEngine | ClickHouseEngine) -> None:
    sizes = [b.num_rows for b in engine.query_batches("SELECT * FROM numbers(10)", batch_rows=4)]
    assert sizes == [4, 4, 2]


def test_uint128_batches_keep_nulls_and_values_across_slices(
    engine: ChDBEngine | ClickHouseEngine,
) -> None:
    sql = "SELECT if(number % 2 = 0, NULL, bitShiftLeft(toUInt128(number), 90)) FROM numbers(5)"
    batches = list(engine.query_batches(sql, batch_rows=2))
    got = [v and int(v) for b in batches for v in b.column(0).to_pylist()]
    assert got == [None if n % 2 == 0 else n << 90 for n in range(5)]
    assert got == [v for (v,) in engine.query(sql)]


STANDARD_SQL = [
    # an empty aggregate is NULL; counts are 0
    "SELECT sum(x), max(x), avg(x), count(*), count(DISTINCT x) FROM (SELECT 1 AS x) t WHERE x > 1",
    # an unmatched LEFT JOIN side is NULL, not 0 or ''
    "SELECT a.x, b.x, b.y FROM (SELECT 1 AS x) a "
    "LEFT JOIN (SELECT 2 AS x, 'y' AS y) b ON a.x = b.x",
    # CAST keeps NULL a NULL
    "SELECT CAST(x AS BIGINT) FROM (SELECT CAST(NULL AS VARCHAR) AS x) t",
]


@pytest.mark.parametrize("sql", STANDARD_SQL)
def test_null_semantics_are_duckdbs(
    sql: str, duckdb: DuckDBEngine, engine: ChDBEngine | ClickHouseEngine
) -> None:
    assert engine.query(sql) == duckdb.query(sql)


def test_distinct_counts_are_exact(engine: ChDBEngine | ClickHouseEngine) -> None:
    # ClickHouse's default, uniq, is approximate at this size
    assert engine.query("SELECT count(DISTINCT number) FROM numbers(200000)") == [(200_000,)]


def test_parameters_bind_by_position(
    duckdb: DuckDBEngine, engine: ChDBEngine | ClickHouseEngine
) -> None:
    values: list[Any] = [41, None, dt.datetime(2024, 1, 2, 3, 4, 5, 6), ["it's", "a\\b"], True]
    expected = duckdb.query(
        "SELECT ?::BIGINT + 1, ?::VARCHAR, ?::TIMESTAMP, ?::VARCHAR[], ?", values
    )
    got = engine.query(
        "SELECT {p0:Int64} + 1, {p1:Nullable(String)}, {p2:DateTime64(6, 'UTC')}, "
        "{p3:Array(String)}, {p4:Bool}",
        values,
    )
    assert got == expected


def test_a_parameter_without_its_placeholder_is_refused(
    engine: ChDBEngine | ClickHouseEngine,
) -> None:
    with pytest.raises(ValueError, match=r"\['p1'\]"):
        engine.query("SELECT {p0:Int64}", [1, 2])


def test_chdb_runs_queries_streams_and_inserts_from_many_threads_at_once(
    chdb: ChDBEngine,
) -> None:
    chdb.command("CREATE TABLE threads (n Int64) ENGINE = MergeTree ORDER BY n")
    failures: list[object] = []

    def read(i: int) -> None:
        for _ in range(10):
            got = chdb.query("SELECT sum(number) + {p0:Int64} FROM numbers(100000)", [i])
            if got != [(4_999_950_000 + i,)]:
                failures.append(got)

    def stream() -> None:
        rows = sum(b.num_rows for b in chdb.query_batches("SELECT * FROM numbers(300000)"))
        if rows != 300_000:
            failures.append(rows)

    def write(i: int) -> None:
        for j in range(5):
            chdb.insert("threads", pa.table({"n": pa.array([i * 10 + j], pa.int64())}), f"t{i}-{j}")

    def guarded(work: Any, *args: Any) -> None:
        try:
            work(*args)
        except Exception as exc:  # reported below, with the others
            failures.append(exc)

    workers = [threading.Thread(target=guarded, args=(read, i)) for i in range(6)]
    workers += [threading.Thread(target=guarded, args=(stream,)) for _ in range(2)]
    workers += [threading.Thread(target=guarded, args=(write, i)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert failures == []
    assert chdb.query("SELECT count() FROM threads") == [(20,)]


LIFECYCLE = """
import sys
from vantage.store.clickhouse.engine import ChDBEngine, ChDBInUseError
first = ChDBEngine(sys.argv[1] + "/a")
try:
    ChDBEngine(sys.argv[1] + "/b")
except ChDBInUseError as refused:
    print("refused:", refused)
first.close()
second = ChDBEngine(sys.argv[1] + "/b")
print("reopened:", second.query("SELECT 1"))
second.close()
"""


def test_one_chdb_engine_per_process_and_close_releases_it(tmp_path: Path) -> None:
    # its own process: this one's engine is the module's store
    done = subprocess.run(
        [sys.executable, "-c", LIFECYCLE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert f"refused: a chDB store is already open in this process ({tmp_path}/a)" in done.stdout
    assert "reopened: [(1,)]" in done.stdout


def test_a_server_url_becomes_the_client_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    made: dict[str, Any] = {}

    def get_client(**kw: Any) -> Any:
        made.update(kw)
        return object()

    monkeypatch.setattr(clickhouse_connect, "get_client", get_client)
    ClickHouseEngine.connect("clickhouses://vantage:s%3Acret@ch1.example/analytics")
    assert made == {
        "host": "ch1.example",
        "port": 8443,
        "username": "vantage",
        "password": "s:cret",
        "database": "analytics",
        "secure": True,
        # no server session: threads share the client, each request carries the settings
        "autogenerate_session_id": False,
    }


def test_only_a_server_url_names_a_server() -> None:
    with pytest.raises(ValueError, match="clickhouse://"):
        ClickHouseEngine.connect("chdb:var/chdb")
