"""The entry_lifecycle table: its columns, Kaltura's entry source names, migration 6's backfill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.store.test_migrations import migrate_to
from vantage.entities import repository
from vantage.entities.model import KINDS, Entry, EntryKind
from vantage.ingest.store import Store
from vantage.store import lifecycle, migrations
from vantage.store.duckdb_engine import DuckDBEngine


def test_the_table_matches_its_declaration(store: Store) -> None:
    columns = store.engine.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'entry_lifecycle' ORDER BY ordinal_position"
    )
    assert [tuple(c) for c in columns] == list(lifecycle.COLUMNS)


@pytest.mark.parametrize(
    ("tags", "source_type", "name"),
    [
        (["kalturameeting"], None, "Kaltura Meeting"),
        (["lecture", " ZoomEntry\t", "kalturameeting"], 1, "Zoom"),  # the entry's first one
        (["kalturameeting", "zoomentry"], 1, "Kaltura Meeting"),
        (["KMS-WEBCAST-EVENT"], 32, "Kaltura Webcast"),
        (["zoom"], 1, "Upload"),  # not an application tag: the source type decides
        ([], 36, "Recorded live stream"),
        ([], 37, "Classroom Capture"),
        ([], 0, "Other"),
        ([], 99, None),  # a number Kaltura does not name
        ([], None, None),
    ],
)
def test_entry_source_names(tags: list[str], source_type: int | None, name: str | None) -> None:
    assert lifecycle.entry_source(tags, source_type) == name


def test_migration_10_gives_stored_entries_the_python_entry_source() -> None:
    import duckdb

    from vantage.store.migrations import MIGRATIONS

    cases: list[tuple[list[str], int | None]] = [([], None), (["x", "y"], 99), ([" o'neil "], 5)]
    cases += [([f" {t.upper()} ", "zoomentry"], 1) for t in lifecycle.TAG_SOURCES]
    cases += [(["lecture"], n) for n in lifecycle.SOURCE_TYPES]
    cases += [([], n) for n in range(-1, 40)]
    (migration,) = [m for m in MIGRATIONS if m.version == 10]
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE entries (i INTEGER, admin_tags VARCHAR[], source_type BIGINT)")
        con.executemany(
            "INSERT INTO entries VALUES (?, ?, ?)", [(i, *c) for i, c in enumerate(cases)]
        )
        for statement in migration.statements:
            con.execute(statement)
        got = [r[0] for r in con.execute("SELECT entry_source FROM entries ORDER BY i").fetchall()]
    finally:
        con.close()
    assert got == [lifecycle.entry_source(*c) for c in cases]


def _entry_row(entry_id: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "partner_id": 101,
        "id": entry_id,
        "name": entry_id,
        "kind": "video",
        "creator_user_id": "alice",
        "created_at": None,
        "updated_at": None,
        "duration": None,
        "media_type": 1,
        "source_type": 1,
        "admin_tags": [],
        "tags": [],
        "category_ids": [],
        "status": "ready",
    }
    row.update(fields)
    return row


def test_migration_6_backfills_the_entries_a_version_5_store_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = DuckDBEngine(tmp_path / "v5.duckdb")
    try:
        migrate_to(engine, 5, monkeypatch)
        rows = [
            _entry_row(
                "1_video",
                created_at=dt.datetime(2024, 8, 1),
                updated_at=dt.datetime(2024, 8, 2),
                duration=120,
                admin_tags=["Lecture", "KalturaCapture"],
            ),
            _entry_row(
                "1_room",
                kind="room",
                media_type=None,
                source_type=None,
                updated_at=dt.datetime(2024, 8, 3),
                admin_tags=["kalturameeting"],
                status="pending",
                creator_user_id=None,
            ),
            _entry_row("1_undated"),
            _entry_row(
                "1_gone",
                created_at=dt.datetime(2024, 7, 1),
                updated_at=dt.datetime(2024, 7, 15),
                duration=60,
                source_type=32,
                status="deleted",
            ),
        ]
        names = list(rows[0])
        with engine.write() as tx:
            for row in rows:
                tx.execute(
                    f"INSERT INTO entries ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' for _ in names)})",
                    [row[n] for n in names],
                )
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        assert migrations.migrate(engine) == list(range(6, migrations.LATEST + 1))
        after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        found = engine.query(
            "SELECT entry_id, time, event_type, delta, duration, media_type, source_type, "
            "entry_source, creator_user_id, kind FROM entry_lifecycle ORDER BY time, event_type"
        )
    finally:
        engine.close()
    undated = found.pop()
    assert undated[0] == "1_undated" and before <= undated[1] <= after
    assert undated[2:] == ("physicalAdd", 1, 0.0, 1, 1, "Upload", "alice", "video")
    assert found == [
        ("1_gone", dt.datetime(2024, 7, 1), "physicalAdd", 1, 60.0, 1, 32, "Live stream",
         "alice", "video"),
        ("1_gone", dt.datetime(2024, 7, 15), "physicalDelete", -1, -60.0, 1, 32, "Live stream",
         "alice", "video"),
        ("1_video", dt.datetime(2024, 8, 1), "physicalAdd", 1, 120.0, 1, 1, "Kaltura Capture",
         "alice", "video"),
        ("1_room", dt.datetime(2024, 8, 3), "physicalAdd", 1, 0.0, None, None,
         "Kaltura Meeting", None, "room"),
    ]  # fmt: skip


def test_after_the_backfill_writes_go_on_from_the_stored_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = DuckDBEngine(tmp_path / "v5.duckdb")
    try:
        with monkeypatch.context() as m:
            m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:5])
            m.setattr(migrations, "LATEST", 5)
            migrations.migrate(engine)
        with engine.write() as tx:
            tx.execute(
                "INSERT INTO entries (partner_id, id, name, kind, duration, admin_tags, tags, "
                "category_ids, status) VALUES (101, '1_a', 'A', 'video', 50, [], [], [], 'ready')"
            )
        migrations.migrate(engine)
        entry = Entry(partner_id=101, id="1_a", name="A again", kind=EntryKind.VIDEO, duration=50)
        with engine.write() as tx:
            repository.upsert(tx, KINDS["entries"], [entry])  # the same length: nothing new
        assert engine.query("SELECT event_type, delta, duration FROM entry_lifecycle") == [
            ("physicalAdd", 1, 50.0)
        ]
    finally:
        engine.close()
