"""A cluster's layout on chDB, for tests: chDB has no Keeper (replicated tables stay read-only)
and runs no ON CLUSTER statement, so the cluster's statements run without them, on the
unreplicated engines; chDB configured with ``CONFIG`` has clusters whose shards are itself.

Only a process whose chDB was started with ``CONFIG`` has the clusters (chDB reads its
configuration once per process): test_cluster_emulated.py runs the suites in one of their own,
naming the file in ``CONFIG_ENV``.
"""

from __future__ import annotations

import os
import re

import clickhouse_connect
import pytest
from clickhouse_connect.driver.client import Client

from tests.demo.conftest import open_store
from tests.test_engines_agree import NOW
from vantage.demo import generate
from vantage.ingest.store import Store
from vantage.store.clickhouse import migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ClickHouseEngine
from vantage.store.copy import StoreCopy

KEEPER_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'"
CONFIG_ENV = "VANTAGE_CHDB_CONFIG"
CONFIG_FILE = os.environ.get(CONFIG_ENV, "")
"""The configuration this process's chDB was started with; none in an ordinary test run."""
CONFIGURED = pytest.mark.skipif(not CONFIG_FILE, reason="run by test_cluster_emulated.py")

# `vantage`: one shard, this process (chDB listens on no port; the port only tells ClickHouse
# that a replica is itself, so it runs the shard's part in the process). `vantage_twice`: two
# shards that are both this process, so each reads the same local tables and every row is read
# twice; only what runs, not what it counts, can be checked on it.
CONFIG = """<clickhouse>
  <tcp_port>9000</tcp_port>
  <remote_servers>
    <vantage>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
    </vantage>
    <vantage_twice>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>9000</port></replica></shard>
    </vantage_twice>
  </remote_servers>
</clickhouse>
"""


def unreplicated(text: str) -> str:
    """``text`` with each replicated engine and its settings as the single server's."""
    text = re.sub(
        rf"ENGINE = Replicated(\w+)\({re.escape(KEEPER_PATH)}(?:, )?", r"ENGINE = \1(", text
    )
    text = re.sub(r"ENGINE = (\w+)\(\)", r"ENGINE = \1", text)
    return text.replace(" replicated_deduplication_window", " non_replicated_deduplication_window")


def on_one_server(statement: str) -> str:
    """A rendered cluster ``statement`` as one server runs it alone."""
    return unreplicated(re.sub(r" ON CLUSTER `[^`]+`", "", statement))


def client(directory: str, database: str) -> Client:
    """A client of the chDB store in ``directory``, started with ``CONFIG_FILE``."""
    return clickhouse_connect.get_client(
        interface="chdb",
        path=directory,
        database=database,
        chdb_options={"config-file": CONFIG_FILE},
    )


def database(directory: str, name: str, on: Cluster | None) -> ClickHouseEngine:
    """A new database ``name`` and an engine on it, with the cluster ``on``'s tables if any."""
    admin = client(directory, "default")
    admin.command(f"CREATE DATABASE {name}")
    admin.close()
    engine = ClickHouseEngine(client(directory, name), on)
    if on is not None:
        for migration in migrations.CLUSTER_MIGRATIONS:
            for statement in migrations.statements_of(migration, on):
                engine.command(on_one_server(statement))
    return engine


def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, frozenset[int]]:
    """The differential suite's DuckDB store (tests/test_engines_agree.py), and its partners."""
    store = open_store(tmp_path_factory.mktemp("duckdb") / "demo.duckdb")
    generate(store, seed=3, events=5_000, player_events=20_000, now=NOW)
    return store, frozenset(int(p) for (p,) in store.engine.query("SELECT id FROM partners"))


def copied(store: Store, directory: str, on: Cluster) -> ClickHouseEngine:
    """An engine on the cluster ``on``'s tables holding ``store``'s rows: copied into a single
    server's tables, then inserted through the cluster's Distributed tables."""
    single = database(directory, f"{on.database}_single", None)
    try:
        copy = StoreCopy.prepare(store.engine, single)
        for table in copy.tables:
            copy.copy(table, lambda rows: None)
    finally:
        single.close()
    clustered = database(directory, on.database, on)
    for table in copy.tables:  # a command on a cluster inserts synchronously
        columns = ", ".join(table.columns)
        clustered.command(
            f"INSERT INTO {table.name} ({columns}) "
            f"SELECT {columns} FROM {on.database}_single.{table.name}"
        )
    return clustered
