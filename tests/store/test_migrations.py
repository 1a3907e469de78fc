from __future__ import annotations

import pytest

from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.events.columns import COLUMNS
from vantage.player import columns as player_columns
from vantage.player import facts
from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.migrations import LATEST, SchemaTooNewError, current_version, migrate
from vantage.store.store import Store


def table_columns(store: Store, table: str) -> list[tuple[str, str]]:
    rows = store.engine.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        (table,),
    )
    return [(name, kind) for name, kind in rows]


def test_room_events_table_matches_the_vocabulary(store: Store) -> None:
    assert table_columns(store, "room_events") == [(c.name, c.sql) for c in COLUMNS]


def test_player_events_table_matches_the_vocabulary(store: Store) -> None:
    expected = [(c.name, c.sql) for c in player_columns.COLUMNS]
    expected += [(d.name, d.sql_type) for d in facts.DERIVED]
    assert table_columns(store, "player_events") == expected
    nullable = store.engine.query(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'player_events' AND is_nullable = 'NO' ORDER BY ordinal_position"
    )
    assert [n for (n,) in nullable] == [c.name for c in player_columns.COLUMNS if c.required]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_entity_tables_match_their_declarations(store: Store, name: str) -> None:
    kind = KINDS[name]
    assert table_columns(store, kind.table) == repository.columns(kind)


def test_migrate_is_idempotent_and_refuses_a_newer_store(store: Store) -> None:
    assert current_version(store.engine) == LATEST
    assert migrate(store.engine) == []
    store.engine.query("SELECT 1")  # still usable
    with store.engine.write() as tx:
        tx.execute(
            "INSERT INTO schema_migrations (version, description) VALUES (?, 'future')",
            (LATEST + 1,),
        )
    with pytest.raises(SchemaTooNewError):
        migrate(store.engine)


def test_a_second_writer_process_gets_a_clear_error(store: Store) -> None:
    import subprocess
    import sys

    code = (
        "from vantage.store.duckdb_engine import DuckDBEngine, StoreLockedError\n"
        f"try:\n    DuckDBEngine({str(store.engine.path)!r})\n"
        "except StoreLockedError as e:\n    print('locked:', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("locked:") and "another Vantage process" in out.stdout
    assert DuckDBEngine  # the engine class is what raised it


def test_player_facts_table_matches_its_declaration(store: Store) -> None:
    expected = [(k.name, k.sql_type) for k in facts.KEYS]
    expected += [(m.name, m.sql_type) for m in facts.MEASURES]
    assert table_columns(store, "player_facts") == expected
