"""The migrations are frozen SQL files, and the live declarations still agree with them."""

from __future__ import annotations

import hashlib
import itertools
from importlib import resources

import duckdb

from vantage.ingest.store import Store
from vantage.player import facts
from vantage.sql.duckdb import DuckDB
from vantage.store import migrations

# Never edit a migration that has shipped: stores have already run it, and editing it would make
# fresh stores differ from them. Add the next version instead, with its checksum here.
SHIPPED = {
    "0001_entities_room_events.sql": "0e190238f2a35bcc1a256dedba3a2f72",
    "0002_player_events.sql": "e9df7c481727fdd2ce684ef9128986c2",
    "0003_player_enrichment.sql": "c73289aac9cb42bf803138fe5a4ad4d4",
    "0004_player_view_periods.sql": "c9dae033ffbc1b7ed381a6c7d612e9d4",
    "0005_player_derived_columns_and_facts.sql": "b795a73051a2b82c27495bcd0016e4f3",
    "0006_entry_lifecycle.sql": "f0489071879ea949ca9efab79eac484b",
    "0007_entry_sizes.sql": "ef48e223596292ad16c5ebc11f2e14ad",
    "0008_player_facts_dirty.sql": "10a7114295cc22b0ff78221fc6c761b4",
    "0009_player_finite_numbers.sql": "eb329eb7f5938e4d1f49ca114bd93391",
    "0010_entry_source.sql": "1da53332d3685fa1bfd74381ae38a04f",
    "0011_room_presence.sql": "f82d24b1a04e0f4b5324ff04eef988b9",
    "0012_chat_and_collaboration_fields.sql": "9ca27ffdaefa86383fe1077720321a74",
    "0013_recordings_and_join_clients.sql": "dc9a70ac986d3c2ccf2b2841f57f6279",
}


def _files() -> dict[str, str]:
    package = resources.files(migrations.__name__)
    return {
        f.name: f.read_text(encoding="utf-8") for f in package.iterdir() if f.name.endswith(".sql")
    }


def test_no_shipped_migration_has_changed() -> None:
    # read_text reads any line ending as "\n", so a checkout's line endings do not matter
    got = {name: hashlib.sha256(sql.encode()).hexdigest()[:32] for name, sql in _files().items()}
    assert got == SHIPPED


def test_the_migrations_are_the_files_in_version_order() -> None:
    assert [m.version for m in migrations.MIGRATIONS] == list(range(1, migrations.LATEST + 1))
    for migration, name in zip(migrations.MIGRATIONS, sorted(_files()), strict=True):
        assert name.startswith(f"{migration.version:04d}_")
        assert migration.description and not migration.description.startswith("-")


def test_each_split_statement_is_one_statement() -> None:
    for migration in migrations.MIGRATIONS:
        for statement in migration.statements:
            assert len(duckdb.extract_statements(statement)) == 1, (migration.version, statement)


def test_migrations_do_not_import_live_code() -> None:
    source = (resources.files(migrations.__name__) / "__init__.py").read_text(encoding="utf-8")
    imported = [line for line in source.splitlines() if line.startswith(("import", "from"))]
    assert [line for line in imported if "vantage" in line] == [
        "from vantage.store.engine import TransactionalEngine"
    ]


def _columns(connection: duckdb.DuckDBPyConnection | Store, table: str) -> list[tuple[str, ...]]:
    sql = (
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position"
    )
    if isinstance(connection, Store):
        return [tuple(row) for row in connection.engine.query(sql, (table,))]
    return [tuple(row) for row in connection.execute(sql, (table,)).fetchall()]


def test_the_live_facts_table_is_the_migrated_one(store: Store) -> None:
    declared = [(c.name, c.sql_type, "YES") for c in (*facts.KEYS, *facts.MEASURES)]
    assert _columns(store, "player_facts") == declared
    assert _columns(store, facts.DIRTY_TABLE) == [("bucket", "TIMESTAMP", "NO")]


def test_the_live_derived_columns_are_the_migrated_ones(store: Store) -> None:
    stored = _columns(store, "player_events")[-len(facts.DERIVED) :]
    assert stored == [(d.name, d.sql_type, "YES") for d in facts.DERIVED]


def test_the_view_periods_engagement_is_the_live_one(store: Store) -> None:
    # every combination of the modes a beacon may send, unknown among them
    modes = list(itertools.product((None, 1, 2), repeat=3))
    values = ", ".join(
        f"('view', 99, 101, '1_a', 's', {i}, TIMESTAMP '2024-08-01', "
        + ", ".join("NULL" if m is None else str(m) for m in combo)
        + ")"
        for i, combo in enumerate(modes)
    )
    with store.engine.write() as tx:
        tx.execute(
            "INSERT INTO player_events (event_type, event_type_id, partner_id, entry_id, "
            f"session_id, event_index, received_at, sound_mode, tab_mode, screen_mode) "
            f"VALUES {values}"
        )
    view = store.engine.query(
        "SELECT event_index, engagement, user_engagement FROM player_view_periods ORDER BY 1"
    )
    live = store.engine.query(
        f"SELECT event_index, {DuckDB().expr(facts.ENGAGEMENT)}, "
        f"{DuckDB().expr(facts.USER_ENGAGEMENT)} FROM player_events {facts.B} "
        f"WHERE event_type_id = {facts.VIEW} ORDER BY 1"
    )
    assert len(view) == len(modes) and view == live
