"""Both engines, bare (no Vantage schema), to run rendered SQL on: DuckDB in memory and chDB.

chDB allows one data path per process at a time, so the chDB session lives for this package's
tests only and is closed after them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB
from vantage.sql.plan import Query

Run = Callable[[Query], list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    """chDB's values as DuckDB gives them: naive UTC times, 128-bit integers as ints."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, bytes) and len(value) == 16:
        return int.from_bytes(value, "little")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.fixture(scope="package")
def on_duckdb() -> Iterator[Run]:
    con = duckdb.connect()
    yield lambda q: con.execute(DuckDB().sql(q)).fetchall()
    con.close()


@pytest.fixture(scope="package")
def on_chdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    from chdb import session

    path: Path = tmp_path_factory.mktemp("chdb")
    s = session.Session(str(path))
    settings = " SETTINGS join_use_nulls = 1, session_timezone = 'UTC'"

    def run(q: Query) -> list[tuple[Any, ...]]:
        table = s.query(ClickHouse().sql(q) + settings, "ArrowTable")
        return [tuple(_plain(v) for v in row.values()) for row in table.to_pylist()]

    yield run
    s.close()
