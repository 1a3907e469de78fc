"""Both engines, bare (no Vantage schema), to run rendered SQL on: DuckDB in memory and chDB
(its engine adapter, with Vantage's session settings and DuckDB's Python types). chDB runs one
store per process, so this one is closed when the package's tests end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import pytest

from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB
from vantage.sql.plan import Query
from vantage.store.clickhouse.engine import ChDBEngine

Run = Callable[[Query], list[tuple[Any, ...]]]


@pytest.fixture(scope="package")
def on_duckdb() -> Iterator[Run]:
    con = duckdb.connect()
    yield lambda q: con.execute(DuckDB().sql(q)).fetchall()
    con.close()


@pytest.fixture(scope="package")
def on_chdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    engine = ChDBEngine(tmp_path_factory.mktemp("chdb"))
    yield lambda q: engine.query(ClickHouse().sql(q))
    engine.close()
