"""One migrated chDB store per test module (chDB runs one engine per process), and the
HTTP adapter over the same engine through clickhouse-connect's in-process chDB client."""

from __future__ import annotations

from collections.abc import Iterator

import clickhouse_connect
import pytest

from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.clickhouse.migrations import migrate


@pytest.fixture(scope="module")
def chdb_directory(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A directory for the module's one chDB store (chDB runs one per process)."""
    return str(tmp_path_factory.mktemp("chdb"))


@pytest.fixture(scope="module")
def chdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChDBEngine]:
    engine = ChDBEngine(tmp_path_factory.mktemp("chdb"))
    try:
        migrate(engine)
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="module")
def clickhouse(chdb: ChDBEngine) -> Iterator[ClickHouseEngine]:
    """``ClickHouseEngine`` as it runs against a server, here over the module's chDB store."""
    engine = ClickHouseEngine(
        clickhouse_connect.get_client(interface="chdb", path=str(chdb.directory))
    )
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(params=["chdb", "clickhouse"])
def engine(request: pytest.FixtureRequest) -> ChDBEngine | ClickHouseEngine:
    """Each of the two adapters, in turn."""
    engine: ChDBEngine | ClickHouseEngine = request.getfixturevalue(request.param)
    return engine
