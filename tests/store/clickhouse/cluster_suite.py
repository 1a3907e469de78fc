"""The differential suite of tests/test_engines_agree.py, with the ClickHouse side a cluster's
layout: every report read through the Distributed tables, with the cluster's settings, from rows
inserted through them. Run by test_cluster_emulated.py in a process of its own, since chDB reads
the configuration that names the cluster once per process.

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
from tests.store.clickhouse.cluster_text import on_one_server
from tests.test_engines_agree import (  # noqa: F401 (collected here, with this module's engines)
    NOW,
    Engines,
    test_every_action_agrees,
    test_every_order_and_drill_down_agrees,
    test_every_room_report_agrees,
)
from vantage.demo import generate
from vantage.store.clickhouse import cluster, migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ClickHouseEngine
from vantage.store.copy import StoreCopy

CONFIG = os.environ.get("VANTAGE_CHDB_CONFIG", "")
CLUSTER = Cluster("vantage", "clustered")

pytestmark = pytest.mark.skipif(not CONFIG, reason="run by test_cluster_emulated.py")


def _client(directory: str, database: str) -> Client:
    return clickhouse_connect.get_client(
        interface="chdb", path=directory, database=database, chdb_options={"config-file": CONFIG}
    )


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    store = open_store(tmp_path_factory.mktemp("duckdb") / "demo.duckdb")
    generate(store, seed=3, events=5_000, player_events=20_000, now=NOW)
    partners = frozenset(int(p) for (p,) in store.engine.query("SELECT id FROM partners"))
    directory = str(tmp_path_factory.mktemp("chdb"))
    admin = _client(directory, "default")
    for database in ("single", CLUSTER.database):
        admin.command(f"CREATE DATABASE {database}")
    single = ClickHouseEngine(_client(directory, "single"))
    clustered = ClickHouseEngine(_client(directory, CLUSTER.database), CLUSTER)
    try:
        # the demo copied into a single server's tables, then inserted through the cluster's
        copy = StoreCopy.prepare(store.engine, single)
        for table in copy.tables:
            copy.copy(table, lambda rows: None)
        statements = [s for m in migrations.CLUSTER_MIGRATIONS for s in m.statements]
        for statement in statements:
            clustered.command(on_one_server(CLUSTER.render(statement)))
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
        admin.close()
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
