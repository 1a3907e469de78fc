"""The differential suites of tests/test_engines_agree.py and tests/ingest/test_clickhouse.py,
with the ClickHouse side a cluster's layout: every report read through the Distributed tables,
with the cluster's settings, from rows inserted through them; Vantage's ClickHouse ingest writing
through them (its duplicate checks and entity merges reading them back) as DuckDB's ingest does.
Run by test_cluster_emulated.py in a process of its own, since chDB reads the configuration that
names the cluster once per process.

The cluster is one shard of one replica, this process (chDB serves no other server): the
cluster's statements run without ON CLUSTER and with unreplicated engines (chDB has no Keeper),
otherwise as written: the local tables, the Distributed tables over them, the facts' view on the
local tables. One shard cannot show rows of one key on two shards, nor GLOBAL joins (ClickHouse
needs them only with two shards or more): test_cluster_migrations.py checks the sharding keys.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import clickhouse_connect
import pyarrow as pa
import pytest
from clickhouse_connect.driver.client import Client

from tests.demo.conftest import open_store
from tests.ingest.both import Both
from tests.ingest.test_clickhouse import (  # noqa: F401 (collected here, with this module's both)
    clock,
    test_batches_queued_together_count_each_its_own,
    test_beacons_continue_plays_across_calls_and_restarts,
    test_categories_users_and_partners,
    test_entries_written_deleted_resized_and_revived,
    test_metadata_and_upkeep,
    test_partners_created_with_taken_and_free_ids,
    test_room_events_duplicates_and_sessions,
    test_rows_with_a_nan_are_refused_alike,
)
from tests.store.clickhouse.cluster_text import on_one_server
from tests.test_engines_agree import (  # noqa: F401 (collected here, with this module's engines)
    NOW,
    Engines,
    test_every_action_agrees,
    test_every_order_and_drill_down_agrees,
    test_every_room_report_agrees,
)
from vantage.config import Settings
from vantage.demo import generate
from vantage.ingest.clickhouse import ClickHouseIngest
from vantage.ingest.store import Store
from vantage.store.clickhouse import cluster, migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ClickHouseEngine
from vantage.store.copy import StoreCopy

CONFIG = os.environ.get("VANTAGE_CHDB_CONFIG", "")
CLUSTER = "vantage"

pytestmark = pytest.mark.skipif(not CONFIG, reason="run by test_cluster_emulated.py")


def _client(directory: str, database: str) -> Client:
    return clickhouse_connect.get_client(
        interface="chdb", path=directory, database=database, chdb_options={"config-file": CONFIG}
    )


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's one chDB store (chDB runs one per process); each fixture its database."""
    return str(tmp_path_factory.mktemp("chdb"))


def _database(directory: str, name: str, *, on: Cluster | None) -> ClickHouseEngine:
    """A new database ``name`` and an engine on it, with a cluster's tables if ``on``."""
    admin = _client(directory, "default")
    admin.command(f"CREATE DATABASE {name}")
    admin.close()
    engine = ClickHouseEngine(_client(directory, name), on)
    if on is not None:
        for migration in migrations.CLUSTER_MIGRATIONS:
            for statement in migrations.statements_of(migration, on):
                engine.command(on_one_server(statement))
    return engine


@pytest.fixture(scope="module")
def engines(directory: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    store = open_store(tmp_path_factory.mktemp("duckdb") / "demo.duckdb")
    generate(store, seed=3, events=5_000, player_events=20_000, now=NOW)
    partners = frozenset(int(p) for (p,) in store.engine.query("SELECT id FROM partners"))
    single = _database(directory, "single", on=None)
    clustered = _database(directory, "clustered", on=Cluster(CLUSTER, "clustered"))
    try:
        # the demo copied into a single server's tables, then inserted through the cluster's
        copy = StoreCopy.prepare(store.engine, single)
        for table in copy.tables:
            copy.copy(table, lambda rows: None)
        settings = ", ".join(f"{k} = {v}" for k, v in cluster.INSERT_SETTINGS.items())
        for table in copy.tables:
            columns = ", ".join(table.columns)
            clustered.command(
                f"INSERT INTO {table.name} ({columns}) SETTINGS {settings} "
                f"SELECT {columns} FROM single.{table.name}"
            )
        yield store.engine, clustered, partners
    finally:
        clustered.close()
        single.close()
        store.close()


@pytest.fixture(scope="module")
def both(directory: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    store = Store.open(Settings.load(engine=str(tmp_path_factory.mktemp("duckdb") / "s.db")))
    clustered = _database(directory, "ingested", on=Cluster(CLUSTER, "ingested"))
    try:
        pair = Both(store, clustered, ClickHouseIngest(clustered))
        yield pair
        pair.clickhouse.close()
    finally:
        clustered.close()
        store.close()


def test_the_rows_went_through_the_distributed_tables(engines: Engines) -> None:
    _, clustered, _ = engines
    engine_of = dict(
        clustered.query("SELECT name, engine FROM system.tables WHERE database = currentDatabase()")
    )
    assert engine_of["room_events"] == "Distributed"
    assert engine_of["room_events_local"] == "MergeTree"
    assert clustered.query("SELECT count() FROM player_facts_local")[0][0] > 0


def test_a_retried_insert_through_a_distributed_table_adds_nothing(engines: Engines) -> None:
    _, clustered, _ = engines
    assert isinstance(clustered, ClickHouseEngine)
    play = pa.table(
        {
            "event_type": ["play"],
            "event_type_id": [3],
            "partner_id": [999_999],
            "entry_id": ["1_retry"],
            "received_at": pa.array([dt.datetime(2025, 5, 1, 12)], pa.timestamp("us")),
        }
    )
    for _ in range(2):  # the acknowledgement of the first was lost
        clustered.insert("player_events", play, token="cluster-retry")
    stored = "SELECT count() FROM player_events WHERE partner_id = 999999"
    facts = "SELECT sum(n_play) FROM player_facts WHERE partner_id = 999999"
    assert clustered.query(stored) == [(1,)]
    assert clustered.query(facts) == [(1,)]
