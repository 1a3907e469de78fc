"""Versioned schema of a ClickHouse store, as frozen SQL files run in order.

Each migration is a file ``NNNN_what.sql`` here, for version NNNN, whose first line is
``-- description`` and whose statements each end with ``;`` at the end of a line; no migration
is built from code, so changing code cannot rewrite what stores have run. ``schema_migrations``
records each version run with the checksum of its file: a store whose recorded checksum differs
from the file's was migrated by a different text, which is refused rather than guessed at.

ClickHouse DDL has no transactions: every statement is written to be run again (``IF NOT
EXISTS``), and a version is recorded only after all its statements ran, so a migration cut
short is completed by the next ``migrate``. Entity tables are read with ``FINAL`` (see
``0001_schema.sql``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import pyarrow as pa

from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.migrations import _split as statements  # the same file format as DuckDB's


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    checksum: str
    statements: tuple[str, ...]


def _migration(name: str, text: str) -> Migration:
    header, _, sql = text.partition("\n")
    checksum = hashlib.sha256(text.encode()).hexdigest()
    return Migration(int(name[:4]), header.removeprefix("-- "), checksum, statements(sql))


def _load() -> tuple[Migration, ...]:
    package = resources.files(__name__)
    names = sorted(f.name for f in package.iterdir() if f.name.endswith(".sql"))
    return tuple(_migration(n, package.joinpath(n).read_text(encoding="utf-8")) for n in names)


MIGRATIONS = _load()

LATEST = MIGRATIONS[-1].version

_HISTORY = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version Int32,
    description String,
    checksum String,
    applied_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = MergeTree
ORDER BY version
SETTINGS non_replicated_deduplication_window = 1000"""


class SchemaTooNewError(RuntimeError):
    pass


class MigrationChangedError(RuntimeError):
    """A version the store ran has a different text here than it had then."""


def applied(engine: ChDBEngine | ClickHouseEngine) -> dict[int, str]:
    """The versions the store has run, with the checksums of their files then."""
    engine.command(_HISTORY)
    rows = engine.query("SELECT version, any(checksum) FROM schema_migrations GROUP BY version")
    return dict(rows)


def migrate(engine: ChDBEngine | ClickHouseEngine) -> list[int]:
    """Bring the store up to ``LATEST``; return the versions applied."""
    done = applied(engine)
    if done and max(done) > LATEST:
        raise SchemaTooNewError(
            f"the store is at schema version {max(done)}, newer than this Vantage ({LATEST})"
        )
    ran = []
    for migration in MIGRATIONS:
        if migration.version in done:
            if done[migration.version] != migration.checksum:
                raise MigrationChangedError(
                    f"migration {migration.version} ({migration.description}) differs from the "
                    "text this store ran"
                )
            continue
        for statement in migration.statements:
            engine.command(statement)
        record = pa.table(
            {
                "version": pa.array([migration.version], pa.int32()),
                "description": [migration.description],
                "checksum": [migration.checksum],
            }
        )
        engine.insert("schema_migrations", record, token=f"migration-{migration.version}")
        ran.append(migration.version)
    return ran
