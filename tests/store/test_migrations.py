from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def test_migration_7_sizes_entries_and_rebuilds_the_player_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vantage.entities.model import Entry
    from vantage.store import migrations

    engine = DuckDBEngine(tmp_path / "v6.duckdb")
    try:
        with monkeypatch.context() as m:
            m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:6])
            m.setattr(migrations, "LATEST", 6)
            assert migrations.migrate(engine) == [1, 2, 3, 4, 5, 6]
        with engine.write() as tx:
            # the facts table as version 6 shipped it: without the new measure
            tx.execute("ALTER TABLE player_facts DROP COLUMN delivered_bytes")
            tx.execute(
                "INSERT INTO entries (partner_id, id, name, kind, duration, admin_tags, tags, "
                "category_ids, status) VALUES (101, '1_a', 'A', 'video', 50, [], [], [], 'ready')"
            )
            tx.execute(
                "INSERT INTO entry_lifecycle (partner_id, entry_id, time, event_type, delta, "
                "duration) VALUES (101, '1_a', TIMESTAMP '2024-08-01', 'physicalAdd', 1, 50)"
            )
            # two views (10 s at 800 kbit/s, 5 s without a bitrate) and a play, derived
            tx.execute(
                "INSERT INTO player_events (event_type, event_type_id, partner_id, entry_id, "
                "session_id, playback_type, average_bitrate, play_time, received_at) VALUES "
                "('view', 99, 101, '1_a', 's', 'vod', 800, 10, TIMESTAMP '2024-08-01 10:00:10'),"
                "('view', 99, 101, '1_a', 's', 'vod', NULL, 5, TIMESTAMP '2024-08-01 10:00:20'),"
                "('play', 3, 101, '1_a', 's', 'vod', NULL, NULL, TIMESTAMP '2024-08-01 10:00:00')"
            )
        assert migrations.migrate(engine) == [7, 8]
        assert engine.query("SELECT size FROM entries") == [(None,)]
        assert engine.query("SELECT event_type, size FROM entry_lifecycle") == [
            ("physicalAdd", 0.0)
        ]
        assert engine.query(
            "SELECT bucket, n_view, n_play, view_play_time, delivered_bytes FROM player_facts"
        ) == [(dt.datetime(2024, 8, 1, 10), 2, 1, 15.0, 800 * 125 * 10.0)]
        got = engine.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'player_facts' ORDER BY ordinal_position"
        )
        assert [c for (c,) in got] == [k.name for k in facts.KEYS] + [
            m.name for m in facts.MEASURES
        ]
        # the stored entry now gets a size: it grows from none
        entry = Entry(partner_id=101, id="1_a", name="A", kind="video", duration=50, size=2048)
        with engine.write() as tx:
            repository.upsert(tx, KINDS["entries"], [entry])
        assert engine.query(
            "SELECT event_type, delta, duration, size FROM entry_lifecycle ORDER BY time"
        )[1:] == [("sizeChange", 0, 0.0, 2048.0)]
    finally:
        engine.close()
