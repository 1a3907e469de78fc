"""Versioned schema of the store. Each migration runs once, in its own transaction.

Each migration is frozen SQL: a file ``NNNN_what.sql`` here, for version NNNN, whose first line
is ``-- description`` and whose statements each end with ``;`` at the end of a line. A file
with the line ``-- stepwise`` runs each statement in a transaction of its own, followed by a
checkpoint, and must make every statement safe to run again (``IF NOT EXISTS``): DuckDB holds
a column added to a large table in memory until the transaction ends and the checkpoint
writes it, so eight columns added to 35 million room events at once outgrow the default
300 MB; one at a time, they never do, and a migration stopped half-way resumes. No
migration is built from code, so changing the code that declares a table cannot rewrite what
stores have already been through. Migrations are history: never edit a file that has shipped
(a test holds their checksums); add the next version. The migrated tables must match their
live declarations (vantage.events.columns, vantage.player.columns, vantage.player.facts,
vantage.entities.model, vantage.store.lifecycle); tests check that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from vantage.store.engine import TransactionalEngine


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    stepwise: bool = False  # each statement commits (and is checkpointed) on its own


def _split(sql: str) -> tuple[str, ...]:
    """The statements of a migration file: each ends at a line ending in ``;``."""
    return tuple(s.strip() for s in re.split(r";[ \t]*$", sql, flags=re.MULTILINE) if s.strip())


def _load() -> tuple[Migration, ...]:
    files = sorted(
        (f for f in resources.files(__name__).iterdir() if f.name.endswith(".sql")),
        key=lambda f: f.name,
    )
    loaded = []
    for file in files:
        header, _, sql = file.read_text(encoding="utf-8").partition("\n")
        stepwise = re.search(r"^-- stepwise$", sql, flags=re.MULTILINE) is not None
        migration = Migration(int(file.name[:4]), header.removeprefix("-- "), _split(sql), stepwise)
        loaded.append(migration)
    return tuple(loaded)


MIGRATIONS = _load()

LATEST = MIGRATIONS[-1].version


class SchemaTooNewError(RuntimeError):
    pass


def current_version(engine: TransactionalEngine) -> int:
    exists = engine.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    )[0][0]
    if not exists:
        return 0
    return int(engine.query("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0])


def migrate(engine: TransactionalEngine) -> list[int]:
    """Bring the store up to ``LATEST``; return the versions applied."""
    version = current_version(engine)
    if version > LATEST:
        raise SchemaTooNewError(
            f"the store is at schema version {version}, newer than this Vantage ({LATEST})"
        )
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        if migration.stepwise:
            for statement in migration.statements:
                with engine.write() as tx:
                    tx.execute(statement)
                engine.checkpoint()
        with engine.write() as tx:
            tx.execute(
                """CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
                    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"""
            )
            for statement in () if migration.stepwise else migration.statements:
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                (migration.version, migration.description),
            )
        applied.append(migration.version)
    return applied
