from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.player.facts_sql import FRESH, STORED
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.events.columns import COLUMNS
from vantage.ingest.store import Store
from vantage.player import columns as player_columns
from vantage.player import facts
from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.migrations import (
    LATEST,
    MIGRATIONS,
    SchemaTooNewError,
    current_version,
    migrate,
)


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


def test_a_stepwise_migration_stopped_half_way_resumes(store: Store) -> None:
    """Migration 12 adds its columns one transaction each: stopped after four of them, the next
    start adds the other four and records the version."""
    stepwise = next(m for m in MIGRATIONS if m.version == 12)
    assert stepwise.stepwise and len(stepwise.statements) == 8
    with store.engine.write() as tx:
        tx.execute("ALTER TABLE room_events DROP COLUMN device")  # migration 13's, after it
        for column in ("scheduling_type", "labels", "app_guid", "job_role"):
            tx.execute(f"ALTER TABLE room_events DROP COLUMN {column}")
        tx.execute("DELETE FROM schema_migrations WHERE version >= 12")
    assert migrate(store.engine) == [m.version for m in MIGRATIONS if m.version >= 12]
    assert table_columns(store, "room_events") == [(c.name, c.sql) for c in COLUMNS]


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


def migrate_to(engine: DuckDBEngine, version: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bring a new store up to ``version`` only, as that version of Vantage did."""
    from vantage.store import migrations

    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:version])
        m.setattr(migrations, "LATEST", version)
        assert migrations.migrate(engine) == list(range(1, version + 1))


def test_migration_7_sizes_entries_and_rebuilds_the_player_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vantage.entities.model import Entry
    from vantage.store import migrations

    engine = DuckDBEngine(tmp_path / "v6.duckdb")
    try:
        migrate_to(engine, 6, monkeypatch)
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
        assert migrations.migrate(engine) == list(range(7, LATEST + 1))
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


def test_migration_9_removes_nan_and_infinity_and_rebuilds_what_they_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import math

    import pyarrow as pa

    from vantage.player import writes
    from vantage.player.arrow import Received, to_arrow
    from vantage.player.decode import decode_beacon
    from vantage.store import migrations

    engine = DuckDBEngine(tmp_path / "v8.duckdb")
    try:
        migrate_to(engine, 8, monkeypatch)

        def views(session: str, *sums: float, bitrate: float = 800.0) -> pa.Table:
            sent = [
                decode_beacon(
                    {
                        "eventType": 99,
                        "partnerId": 101,
                        "entryId": "1_a",
                        "sessionId": session,
                        "eventIndex": i,
                        "position": 10 * i,
                        "playbackType": "vod",
                    }
                )
                for i in range(1, len(sums) + 1)
            ]
            received = [
                Received(1_722_500_000_000_000 + 10_000_000 * i, None, None)
                for i in range(len(sums))
            ]
            table = to_arrow(sent, received)
            for name, values in (
                ("play_time_sum", sums),
                ("average_bitrate", [bitrate] * len(sums)),
            ):
                at = table.schema.get_field_index(name)
                table = table.set_column(at, name, pa.array(values, pa.float64()))
            return table

        # stored the old way (before numbers were checked): one commit per play
        for table in (
            views("poisoned", 10, math.inf, 30),
            views("nan", 10, 20, bitrate=math.nan),
            views("clean", 10, 20, 30),
        ):
            with engine.write() as tx:
                assert writes.TARGET.insert is not None
                writes.TARGET.insert(tx, table, False)
        clean_before = engine.query(
            "SELECT event_index, play_time, coverage FROM player_events "
            "WHERE session_id = 'clean' ORDER BY 1"
        )
        poisoned = "SELECT isfinite(sum(bitrate_sum) + sum(view_play_time)) FROM player_facts"
        assert engine.query(poisoned) == [(False,)]
        assert migrations.migrate(engine) == list(range(9, migrations.LATEST + 1))
        doubles = [c.name for c in player_columns.COLUMNS if c.sql == "DOUBLE"] + ["play_time"]
        not_finite = " OR ".join(f"NOT isfinite({c})" for c in doubles)
        assert engine.query(f"SELECT count(*) FROM player_events WHERE {not_finite}") == [(0,)]
        assert engine.query(
            "SELECT session_id, play_time_sum, average_bitrate, play_time FROM player_events "
            "WHERE session_id <> 'clean' ORDER BY session_id, event_index"
        ) == [
            ("nan", 10.0, None, 10.0),
            ("nan", 20.0, None, 10.0),
            # the value that was not a number is not sent; the play is derived again
            ("poisoned", 10.0, 800.0, 10.0),
            ("poisoned", None, 800.0, 0.0),
            ("poisoned", 30.0, 800.0, 10.0),
        ]
        assert (
            engine.query(
                "SELECT event_index, play_time, coverage FROM player_events "
                "WHERE session_id = 'clean' ORDER BY 1"
            )
            == clean_before
        )
        # the facts equal the beacons aggregated again, and every measure is finite
        stored, fresh = STORED, FRESH
        assert engine.query(f"({stored}) EXCEPT ({fresh})") == []
        assert engine.query(f"({fresh}) EXCEPT ({stored})") == []
        assert engine.query(
            "SELECT sum(view_play_time), sum(bitrate_sum), sum(bitrate_count), "
            "sum(delivered_bytes) FROM player_facts"
        ) == [(70.0, 4800.0, 6, 800 * 125 * 50.0)]
        # a beacon without a session may be stored now
        with engine.write() as tx:
            tx.execute(
                "INSERT INTO player_events (event_type, event_type_id, partner_id, entry_id, "
                "received_at) VALUES ('view', 99, 101, '1_a', TIMESTAMP '2024-08-01')"
            )
    finally:
        engine.close()
