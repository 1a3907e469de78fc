"""An engine on a cluster migrates with the cluster's statements and sends the cluster's settings
with every query and insert. There is no cluster here: a stand-in server records what the
engine sends, and chDB checks that the settings are ClickHouse's."""

from __future__ import annotations

from typing import Any, cast

import clickhouse_connect
import pyarrow as pa
import pytest
from clickhouse_connect.driver.client import Client

from vantage.store.clickhouse import cluster, migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine

CLUSTER = Cluster("vantage", "analytics")


class _Server:
    """What a ClickHouse server is told, through the client calls the engine makes."""

    def __init__(self, history: dict[int, str] | None = None) -> None:
        self.history = history  # None: the store has no history table yet
        self.commands: list[str] = []
        self.settings: list[dict[str, Any]] = []
        self.inserts: list[tuple[str, pa.Table, dict[str, Any]]] = []

    def query_arrow(self, sql: str, settings: dict[str, Any], **_: Any) -> pa.Table:
        self.settings.append(settings)
        if sql.startswith("EXISTS TABLE schema_migrations"):
            return pa.table({"result": [int(self.history is not None)]})
        history = self.history or {}
        return pa.table({"version": list(history), "checksum": list(history.values())})

    def command(self, sql: str, settings: dict[str, Any]) -> None:
        self.commands.append(sql)
        self.settings.append(settings)

    def insert_arrow(self, table: str, data: pa.Table, settings: dict[str, Any]) -> None:
        self.inserts.append((table, data, settings))


def _engine(server: _Server, on: Cluster | None = CLUSTER) -> ClickHouseEngine:
    return ClickHouseEngine(cast(Client, server), on)


def test_a_new_cluster_store_runs_the_cluster_migrations_on_the_cluster() -> None:
    server = _Server()
    assert migrations.migrate(_engine(server)) == [m.version for m in migrations.MIGRATIONS]
    rendered = [CLUSTER.render(s) for m in migrations.CLUSTER_MIGRATIONS for s in m.statements]
    assert server.commands == [*migrations.history(CLUSTER), *rendered]
    assert all("${" not in c for c in server.commands)
    # every DDL statement runs on the whole cluster (a backfill INSERT runs once, through the
    # Distributed tables)
    ddl = [c for c in server.commands if "INSERT INTO" not in c]
    assert ddl and all(" ON CLUSTER `vantage`" in c for c in ddl)
    recorded = [(t, d.column("version").to_pylist()) for t, d, _ in server.inserts]
    assert recorded == [("schema_migrations", [m.version]) for m in migrations.MIGRATIONS]
    assert [s["insert_deduplication_token"] for _, _, s in server.inserts] == [
        f"migration-{m.version}" for m in migrations.MIGRATIONS
    ]


def test_a_migrated_cluster_store_runs_no_ddl() -> None:
    # an ON CLUSTER statement waits for every server: opening a store must not need them all
    server = _Server({m.version: m.checksum for m in migrations.CLUSTER_MIGRATIONS})
    assert migrations.migrate(_engine(server)) == []
    assert server.commands == [] and server.inserts == []


@pytest.mark.parametrize(
    ("ran", "opened_as"),
    [(migrations.MIGRATIONS, CLUSTER), (migrations.CLUSTER_MIGRATIONS, None)],
)
def test_a_store_opened_as_the_other_layout_is_refused(
    ran: tuple[migrations.Migration, ...], opened_as: Cluster | None
) -> None:
    server = _Server({m.version: m.checksum for m in ran})
    with pytest.raises(migrations.MigrationChangedError, match="opened as a cluster"):
        migrations.migrate(_engine(server, opened_as))
    assert server.commands == []


def test_every_query_and_insert_on_a_cluster_carries_its_settings() -> None:
    server = _Server()
    engine = _engine(server)
    engine.query("SELECT 1")
    engine.command("SELECT 1")
    engine.insert("room_events", pa.table({"partner_id": [101]}), token="t1")
    assert all(s.items() >= cluster.SETTINGS.items() for s in server.settings)
    # a command too: a migration's INSERT … SELECT into a Distributed table is synchronous
    assert server.settings[1].items() >= cluster.INSERT_SETTINGS.items()
    ((_, _, settings),) = server.inserts
    assert settings.items() >= {**cluster.SETTINGS, **cluster.INSERT_SETTINGS}.items()
    assert settings["insert_deduplication_token"] == "t1"


def test_a_single_server_gets_none_of_them() -> None:
    server = _Server()
    engine = _engine(server, None)
    engine.query("SELECT 1")
    engine.command("SELECT 1")
    engine.insert("room_events", pa.table({"partner_id": [101]}), token="t1")
    ((_, _, insert),) = server.inserts
    cluster_only = {*cluster.SETTINGS, *cluster.INSERT_SETTINGS}
    assert not cluster_only & {*server.settings[0], *server.settings[1], *insert}


def test_connect_names_the_cluster_and_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clickhouse_connect, "get_client", lambda **_: _Server())
    url = "clickhouse://u:p@ch1:8123/analytics"
    assert ClickHouseEngine.connect(f"{url}?cluster=vantage").cluster == CLUSTER
    assert ClickHouseEngine.connect(url).cluster is None


def test_the_cluster_settings_are_clickhouses(chdb: ChDBEngine) -> None:
    # SETTINGS checks each name and value; they only change what Distributed tables do
    settings = {**cluster.SETTINGS, **cluster.INSERT_SETTINGS}
    written = ", ".join(
        f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in settings.items()
    )
    assert chdb.query(f"SELECT 1 SETTINGS {written}") == [(1,)]
    names = chdb.query(
        "SELECT name FROM system.settings WHERE name IN {p0:Array(String)}", [list(settings)]
    )
    assert {n for (n,) in names} == settings.keys()


def test_a_cluster_engine_reads_and_inserts_on_clickhouse(chdb: ChDBEngine) -> None:
    client = clickhouse_connect.get_client(interface="chdb", path=str(chdb.directory))
    engine = ClickHouseEngine(client, Cluster("vantage", "default"))
    try:
        rows = pa.table(
            {
                "source": ["cluster-test"],
                "table_name": ["t"],
                "batches": pa.array([1], pa.uint64()),
                "rows_copied": pa.array([5], pa.uint64()),
            }
        )
        engine.insert("copy_progress", rows, token="cluster-test")
        engine.insert("copy_progress", rows, token="cluster-test")  # a retry adds nothing
        found = engine.query(
            "SELECT count() FROM copy_progress WHERE source = {p0:String}", ["cluster-test"]
        )
        assert found == [(1,)]
    finally:
        engine.close()
