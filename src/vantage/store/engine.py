"""The engine interface: what the rest of Vantage may ask of a store to read.

Callers build plans (vantage.sql); an engine writes them in its dialect and runs them from any
thread. Implemented by the embedded DuckDB engine (vantage.store.duckdb_engine), which also has
write transactions for its single writer (:class:`TransactionalEngine`), and by the ClickHouse
engines (vantage.store.clickhouse.engine), which take deduplicated inserts instead. Writing
goes through vantage.ingest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import pyarrow as pa

from vantage.sql.plan import Query
from vantage.sql.render import Dialect


class WriteSession(Protocol):
    """One open write transaction: everything done through it commits together or not at all."""

    def execute(
        self, sql: str, params: Sequence[Any] = (), **tables: pa.Table
    ) -> list[tuple[Any, ...]]:
        """Run a statement that may refer to ``tables`` (Arrow data) by name."""
        ...

    def append(self, table: str, data: pa.Table) -> int:
        """Insert ``data`` (columns matched by name) into ``table``; return rows added."""
        ...

    def query_arrow(self, sql: str, params: Sequence[Any] = (), **tables: pa.Table) -> pa.Table:
        """Run a query that may refer to ``tables`` by name; return its result as Arrow."""
        ...


def rows(engine: Engine, plan: Query) -> list[tuple[Any, ...]]:
    """The rows of a plan, written in the engine's dialect and run."""
    return engine.query(engine.dialect.sql(plan))


class Engine(Protocol):
    @property
    def dialect(self) -> Dialect:
        """How this engine writes a plan (vantage.sql) as SQL text."""
        ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query from any thread; sees only committed data."""
        ...

    def query_batches(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        """Stream a read-only query's result without holding it all in memory."""
        ...

    def close(self) -> None:
        """Release the store (the embedded DuckDB store makes every commit part of its files
        first, so there is no log to replay)."""
        ...


class TransactionalEngine(Engine, Protocol):
    """An engine with write transactions (DuckDB), written by one writer (vantage.store.writer)."""

    def write(self) -> AbstractContextManager[WriteSession]:
        """Open the write transaction; only the single writer calls this."""
        ...

    def checkpoint(self) -> None:
        """Write what committed transactions hold in memory into the store's file."""
        ...
