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

A cluster (vantage.store.clickhouse.cluster) runs its own frozen files, ``cluster_NNNN_*.sql``:
the same versions, tables and columns as a replicated table per shard under a ``Distributed``
table of the same name, every statement ``ON CLUSTER``; its history is such a pair of tables
too. The files name the cluster and database as ``${cluster}`` and ``${database}``, put in when
they run; the checksum is of the file as written. A store migrated as one layout and opened as
the other has run other texts, and is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import pyarrow as pa

from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.migrations import _split as statements  # the same file format as DuckDB's


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    checksum: str
    statements: tuple[str, ...]


def _migration(version: str, text: str) -> Migration:
    header, _, sql = text.partition("\n")
    checksum = hashlib.sha256(text.encode()).hexdigest()
    return Migration(int(version), header.removeprefix("-- "), checksum, statements(sql))


def _load(prefix: str) -> tuple[Migration, ...]:
    """The files ``<prefix>NNNN_what.sql``, in version order."""
    files = resources.files(__name__)
    named = sorted(
        (f.name.removeprefix(prefix), f)
        for f in files.iterdir()
        if f.name.startswith(prefix) and f.name.endswith(".sql") and f.name[len(prefix)].isdigit()
    )
    return tuple(_migration(name[:4], f.read_text(encoding="utf-8")) for name, f in named)


MIGRATIONS = _load("")
CLUSTER_MIGRATIONS = _load("cluster_")

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

_CLUSTER_HISTORY = (
    """CREATE TABLE IF NOT EXISTS ${database}.schema_migrations_local ON CLUSTER ${cluster} (
    version Int32,
    description String,
    checksum String,
    applied_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY version
SETTINGS replicated_deduplication_window = 1000""",
    """CREATE TABLE IF NOT EXISTS ${database}.schema_migrations ON CLUSTER ${cluster}
AS ${database}.schema_migrations_local
ENGINE = Distributed(${cluster}, ${database}, schema_migrations_local, version)""",
)


class SchemaTooNewError(RuntimeError):
    pass


class MigrationChangedError(RuntimeError):
    """A version the store ran has a different text here than it had then."""


def history(cluster: Cluster | None) -> tuple[str, ...]:
    """The statements that create the migration history, on one server or on ``cluster``."""
    if cluster is None:
        return (_HISTORY,)
    return tuple(cluster.render(statement) for statement in _CLUSTER_HISTORY)


def statements_of(migration: Migration, cluster: Cluster | None) -> tuple[str, ...]:
    """What ``migration`` runs on one server or on ``cluster``."""
    if cluster is None:
        return migration.statements
    return tuple(cluster.render(statement) for statement in migration.statements)


def applied(engine: ChDBEngine | ClickHouseEngine) -> dict[int, str]:
    """The versions the store has run, with the checksums of their files then."""
    # Only a store without a history runs DDL here: a cluster's ON CLUSTER statement waits for
    # every server, and a migrated store must open while a replica is down.
    if not engine.query("EXISTS TABLE schema_migrations")[0][0]:
        for statement in history(engine.cluster):
            engine.command(statement)
    rows = engine.query("SELECT version, any(checksum) FROM schema_migrations GROUP BY version")
    return dict(rows)


def migrate(engine: ChDBEngine | ClickHouseEngine) -> list[int]:
    """Bring the store up to ``LATEST``; return the versions applied."""
    done = applied(engine)
    if done and max(done) > LATEST:
        raise SchemaTooNewError(
            f"the store is at schema version {max(done)}, newer than this Vantage ({LATEST})"
        )
    layout = MIGRATIONS if engine.cluster is None else CLUSTER_MIGRATIONS
    ran = []
    for migration in layout:
        if migration.version in done:
            if done[migration.version] != migration.checksum:
                raise MigrationChangedError(
                    f"migration {migration.version} ({migration.description}) differs from the "
                    "text this store ran; a store migrated on one server and opened as a cluster "
                    "(?cluster= in the engine URL), or the other way round, ran the other's"
                )
            continue
        for statement in statements_of(migration, engine.cluster):
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
