"""The embedded engine: one DuckDB file, one write connection, a cursor per reader thread.

DuckDB's MVCC lets readers run beside the writer without blocking it; a reader sees a batch
either wholly or not at all. A commit is durable when it returns: DuckDB syncs its write-ahead
log to disk before acknowledging the commit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vantage.sql.duckdb import DuckDB
from vantage.sql.render import Dialect


class StoreLockedError(RuntimeError):
    """Another process holds the store file open for writing."""


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection that never draws DuckDB's progress bar (a long query, a migration's backfill
    or a report over years, would draw it into the server's output); a session setting."""
    con.execute("SET enable_progress_bar = false")
    return con


class DuckDBEngine:
    dialect: Dialect = DuckDB()

    def __init__(self, path: str | Path, *, memory_limit: str = "512MB", threads: int = 2) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "threads": threads,
            # Lets DuckDB write a large append with all threads; every query that needs an
            # order says ORDER BY, so nothing relies on insertion order.
            "preserve_insertion_order": False,
            # A hash join builds on the side the plan puts right (the compilers put the
            # smaller, looked-up side there). DuckDB's swap, by its estimates of filtered
            # scans of room_events, built on three million poll answers instead of their
            # polls and ran out of memory beside the report's sort.
            "disabled_optimizers": "build_side_probe_side",
        }
        try:
            self._con = duckdb.connect(str(self.path), config=config)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"{self.path} is in use by another Vantage process (a running server?)"
                ) from exc
            raise
        _quiet(self._con)
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def _reader(self) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = _quiet(self._con.cursor())
            self._local.cursor = cur
            with self._cursors_lock:
                self._cursors.append(cur)
        return cur

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._reader().execute(sql, list(params)).fetchall()

    def query_batches(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        cur = _quiet(self._con.cursor())  # its own: the caller may run other queries meanwhile
        try:
            yield from cur.sql(sql, params=list(params)).to_arrow_reader(batch_rows)
        finally:
            cur.close()

    @contextmanager
    def write(self) -> Iterator[_DuckDBWriteSession]:
        with self._write_lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield _DuckDBWriteSession(self._con)
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def checkpoint(self) -> None:
        with self._write_lock:
            self._con.execute("CHECKPOINT")

    def close(self) -> None:
        """Fold the write-ahead log into the file, then close: a store closed cleanly leaves no
        ``.wal`` behind. DuckDB checkpoints on close only once no cursor or stream holds the
        database, so the checkpoint is explicit."""
        with self._cursors_lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        try:
            self.checkpoint()
        finally:
            self._con.close()


class _DuckDBWriteSession:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    @contextmanager
    def _registered(self, tables: dict[str, pa.Table]) -> Iterator[None]:
        for name, data in tables.items():
            self._con.register(name, data)
        try:
            yield
        finally:
            for name in tables:
                self._con.unregister(name)

    def execute(
        self, sql: str, params: Sequence[Any] = (), **tables: pa.Table
    ) -> list[tuple[Any, ...]]:
        with self._registered(tables):
            return self._con.execute(sql, list(params)).fetchall()

    def append(self, table: str, data: pa.Table) -> int:
        self.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _append_data", _append_data=data)
        return data.num_rows

    def query_arrow(self, sql: str, params: Sequence[Any] = (), **tables: pa.Table) -> pa.Table:
        with self._registered(tables):
            return self._con.sql(sql, params=list(params)).to_arrow_table()
