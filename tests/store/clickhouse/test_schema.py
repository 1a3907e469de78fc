"""The ClickHouse schema is the DuckDB schema at its latest version, and migrations run once, as
written."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from vantage.player import facts
from vantage.store import migrations as duckdb_migrations
from vantage.store import room_presence
from vantage.store.clickhouse import migrations
from vantage.store.clickhouse.engine import ChDBEngine
from vantage.store.duckdb_engine import DuckDBEngine

TYPES = {
    "BIGINT": "Int64",
    "INTEGER": "Int32",
    "SMALLINT": "Int16",
    "DOUBLE": "Float64",
    "VARCHAR": "String",
    "JSON": "String",
    "BOOLEAN": "Bool",
    "TIMESTAMP": "DateTime64(6, 'UTC')",
    "HUGEINT": "UInt128",
    "VARCHAR[]": "Array(String)",
    "BIGINT[]": "Array(Int64)",
}
# compaction; a different history
DUCKDB_ONLY = {"player_facts_dirty", "room_presence_dirty", "schema_migrations"}
NEVER_NULL_KEYS = {"partner_id", "bucket", "entry_id"}  # from beacon columns that are never NULL
MEASURES = {m.name for m in facts.MEASURES}
PRESENCE_MEASURES = {m.name for m in room_presence.MEASURES}


def _clickhouse_type(table: str, column: str, duckdb_type: str, nullable: bool) -> str:
    """The ClickHouse type the DuckDB column maps to."""
    base = TYPES[duckdb_type]
    if table == "player_facts" and column in NEVER_NULL_KEYS:
        return base
    # ClickHouse has no Nullable(Array): a NULL list is stored empty
    return f"Nullable({base})" if nullable and not base.startswith("Array") else base


@pytest.fixture(scope="module")
def duckdb_columns(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, dict[str, tuple[str, bool]]]]:
    engine = DuckDBEngine(tmp_path_factory.mktemp("duckdb") / "store.duckdb")
    duckdb_migrations.migrate(engine)
    rows = engine.query(
        "SELECT table_name, column_name, data_type, is_nullable = 'YES' "
        "FROM information_schema.columns"
    )
    engine.close()
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, kind, nullable in rows:
        if table not in DUCKDB_ONLY:
            tables.setdefault(table, {})[column] = (kind, nullable)
    yield tables


def _not_null(kind: str) -> str:
    return (
        kind.removeprefix("Nullable(").removesuffix(")") if kind.startswith("Nullable(") else kind
    )


def _clickhouse_columns(chdb: ChDBEngine) -> dict[str, dict[str, str]]:
    rows = chdb.query(
        "SELECT table, name, type FROM system.columns WHERE database = currentDatabase() "
        "AND default_kind != 'MATERIALIZED' "
        "AND table NOT IN ('schema_migrations', 'copy_progress') AND table NOT LIKE '%\\_mv'"
    )
    tables: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, {})[column] = kind
    return tables


def test_the_tables_and_columns_are_duckdbs(
    chdb: ChDBEngine, duckdb_columns: dict[str, dict[str, tuple[str, bool]]]
) -> None:
    expected = {
        table: {
            column: _clickhouse_type(table, column, kind, nullable)
            for column, (kind, nullable) in columns.items()
            if not (table == "player_facts" and column in MEASURES)
            and not (table == "room_presence" and column in PRESENCE_MEASURES)
        }
        for table, columns in duckdb_columns.items()
    }
    got = _clickhouse_columns(chdb)
    measures = {c: got["player_facts"].pop(c) for c in MEASURES}
    presence = {c: got["room_presence"].pop(c) for c in PRESENCE_MEASURES}
    # DuckDB calls every column of a view nullable: the view's columns are its table's
    view, view_expected = got.pop("player_view_periods"), expected.pop("player_view_periods")
    assert {c: _not_null(t) for c, t in view.items()} == {
        c: _not_null(t) for c, t in view_expected.items()
    }
    assert got == expected
    # each measure an exact state re-aggregated by its own function
    assert measures["coverage"] == "SimpleAggregateFunction(groupBitOr, Nullable(UInt128))"
    assert measures["n_view"] == "SimpleAggregateFunction(sum, Int64)"
    assert measures["view_play_time"] == "SimpleAggregateFunction(sum, Nullable(Float64))"
    assert presence == {
        "view_time": "SimpleAggregateFunction(sum, Nullable(Float64))",
        "periods": "SimpleAggregateFunction(sum, Int64)",
        "first_time": "SimpleAggregateFunction(min, DateTime64(6, 'UTC'))",
        "last_time": "SimpleAggregateFunction(max, DateTime64(6, 'UTC'))",
    }


def test_entities_replace_events_append_facts_aggregate(chdb: ChDBEngine) -> None:
    engines = dict(
        chdb.query(
            "SELECT name, engine FROM system.tables WHERE database = currentDatabase() "
            "AND name NOT LIKE '%\\_mv' AND engine LIKE '%MergeTree'"
        )
    )
    assert engines == {
        **dict.fromkeys(
            ("meta", "partners", "users", "entries", "categories", "virtual_events"),
            "ReplacingMergeTree",
        ),
        "room_sessions": "ReplacingMergeTree",
        **dict.fromkeys(
            ("room_events", "player_events", "entry_lifecycle", "schema_migrations"), "MergeTree"
        ),
        "copy_progress": "MergeTree",
        **dict.fromkeys(("player_facts", "room_presence"), "AggregatingMergeTree"),
    }


def test_every_table_deduplicates_retried_inserts(chdb: ChDBEngine) -> None:
    undeduplicated = chdb.query(
        "SELECT name FROM system.tables WHERE database = currentDatabase() "
        "AND engine LIKE '%MergeTree' "
        "AND NOT match(create_table_query, 'non_replicated_deduplication_window = [1-9]')"
    )
    assert undeduplicated == []


def test_migrations_run_once(chdb: ChDBEngine) -> None:
    assert migrations.migrate(chdb) == []
    assert chdb.query("SELECT version, checksum FROM schema_migrations ORDER BY version") == [
        (m.version, m.checksum) for m in migrations.MIGRATIONS
    ]


def test_a_migration_whose_text_changed_is_refused(
    chdb: ChDBEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = dataclasses.replace(migrations.MIGRATIONS[0], checksum="edited")
    monkeypatch.setattr(migrations, "MIGRATIONS", (edited,))
    with pytest.raises(migrations.MigrationChangedError, match="migration 1"):
        migrations.migrate(chdb)


def test_a_store_newer_than_this_vantage_is_refused(
    chdb: ChDBEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "LATEST", 0)
    with pytest.raises(migrations.SchemaTooNewError):
        migrations.migrate(chdb)
