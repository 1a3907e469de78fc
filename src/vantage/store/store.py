"""Opening a store: the engine, its schema brought up to date, and its single writer."""

from __future__ import annotations

from dataclasses import dataclass

from vantage.config import Settings
from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.engine import WriteSession
from vantage.store.migrations import migrate
from vantage.store.writer import Writer


@dataclass
class Store:
    engine: DuckDBEngine
    writer: Writer

    @classmethod
    def open(cls, settings: Settings) -> Store:
        engine = DuckDBEngine(
            settings.store_file, memory_limit=settings.memory_limit, threads=settings.threads
        )
        try:
            migrate(engine)
        except BaseException:
            engine.close()
            raise
        return cls(engine, Writer(engine, group_rows=settings.writer_group_rows))

    def close(self) -> None:
        self.writer.close()
        self.engine.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        rows = self.engine.query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.writer.submit(lambda tx: write_meta(tx, key, value)).result()


def write_meta(tx: WriteSession, key: str, value: str) -> None:
    tx.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
