"""A store opened for Vantage: the engine that answers reads and the ingest that writes, on
the engine the ``engine`` setting names (vantage.store.locator): the embedded DuckDB file by
default, embedded ClickHouse (chDB) on a directory, or a ClickHouse server or cluster."""

from __future__ import annotations

from dataclasses import dataclass

from vantage.config import Settings
from vantage.ingest import Ingest
from vantage.ingest.clickhouse import ClickHouseIngest
from vantage.ingest.duckdb import DuckDBIngest
from vantage.sql.expr import Col, agg
from vantage.sql.plan import Select, Table
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.clickhouse.migrations import migrate as migrate_clickhouse
from vantage.store.engine import Engine, rows
from vantage.store.locator import ChDBLocator, DuckDBLocator, parse_locator
from vantage.store.store import open_duckdb
from vantage.store.writer import Writer


@dataclass
class Store:
    engine: Engine
    ingest: Ingest

    @classmethod
    def open(cls, settings: Settings) -> Store:
        where = parse_locator(settings.engine)
        if isinstance(where, DuckDBLocator):
            engine, writer = open_duckdb(
                where.path,
                memory_limit=settings.memory_limit,
                threads=settings.threads,
                group_rows=settings.writer_group_rows,
            )
            return cls(engine, DuckDBIngest(writer))
        clickhouse: ChDBEngine | ClickHouseEngine = (
            ChDBEngine(where.directory)
            if isinstance(where, ChDBLocator)
            else ClickHouseEngine.connect(settings.engine)
        )
        try:
            migrate_clickhouse(clickhouse)
            return cls(clickhouse, ClickHouseIngest(clickhouse))
        except BaseException:
            clickhouse.close()
            raise

    @property
    def writer(self) -> Writer:
        """The embedded DuckDB store's single writer (its tests and upkeep write through it)."""
        if not isinstance(self.ingest, DuckDBIngest):
            raise TypeError("only the embedded DuckDB store has a single writer")
        return self.ingest.writer

    def close(self) -> None:
        self.ingest.close()
        self.engine.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        """The last migration the store has run (each engine has its own)."""
        plan = Select((("v", agg("max", Col("version", "t"))),), Table("schema_migrations"), "t")
        return int(rows(self.engine, plan)[0][0] or 0)

    def meta(self, key: str) -> str | None:
        m = "m"
        plan = Select((("value", Col("value", m)),), Table("meta"), m, where=Col("key", m).eq(key))
        found = rows(self.engine, plan)
        return found[0][0] if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.ingest.set_meta(key, value).result()
