"""Opening the embedded DuckDB store: the engine, its schema brought up to date, and its
single writer. (vantage.ingest.store opens a store of any engine for the service.)"""

from __future__ import annotations

from pathlib import Path

from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.engine import WriteSession
from vantage.store.migrations import migrate
from vantage.store.writer import Writer


def open_duckdb(
    path: str | Path, *, memory_limit: str, threads: int, group_rows: int
) -> tuple[DuckDBEngine, Writer]:
    engine = DuckDBEngine(path, memory_limit=memory_limit, threads=threads)
    try:
        migrate(engine)
    except BaseException:
        engine.close()
        raise
    return engine, Writer(engine, group_rows=group_rows)


def write_meta(tx: WriteSession, key: str, value: str) -> None:
    tx.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
