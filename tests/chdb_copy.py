"""The differential tests' second engine: a small store copied into chDB."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vantage.store.clickhouse.engine import ChDBEngine
from vantage.store.copy import StoreCopy
from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.engine import Engine


@contextmanager
def copied_into_chdb(source: Engine, where: Path) -> Iterator[ChDBEngine]:
    """A chDB engine in ``where`` holding every table of ``source``, copied as ``vantage store
    copy`` does and verified; closed when the block ends."""
    assert isinstance(source, DuckDBEngine), "a copy reads a DuckDB store"
    chdb = ChDBEngine(where)
    try:
        copy = StoreCopy.prepare(source, chdb)
        for table in copy.tables:
            copy.copy(table, lambda rows: None)
        copy.verify()
        yield chdb
    finally:
        chdb.close()
