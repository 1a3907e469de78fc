"""The differential suites of tests/test_engines_agree.py and tests/ingest/test_clickhouse.py,
with the ClickHouse side a cluster's layout (emulation.py's cluster of one shard): every report
read through the Distributed tables, with the cluster's settings, from rows inserted through
them; Vantage's ClickHouse ingest writing through them (its duplicate checks and entity merges
reading them back) as DuckDB's ingest does. Run by test_cluster_emulated.py.

One shard cannot show rows of one key on two shards (test_cluster_migrations.py checks the
sharding keys) nor joins over two shards (cluster_two_shards_suite.py runs those).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pyarrow as pa
import pytest

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
from tests.store.clickhouse import emulation
from tests.test_engines_agree import (  # noqa: F401 (collected here, with this module's engines)
    Engines,
    test_every_action_agrees,
    test_every_order_and_drill_down_agrees,
    test_every_room_report_agrees,
)
from vantage.config import Settings
from vantage.ingest.clickhouse import ClickHouseIngest
from vantage.ingest.store import Store
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ClickHouseEngine

pytestmark = emulation.CONFIGURED


@pytest.fixture(scope="module")
def engines(chdb_directory: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    store, partners = emulation.demo(tmp_path_factory)
    clustered = emulation.copied(store, chdb_directory, Cluster("vantage", "clustered"))
    try:
        yield store.engine, clustered, partners
    finally:
        clustered.close()
        store.close()


@pytest.fixture(scope="module")
def both(chdb_directory: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    store = Store.open(Settings.load(engine=str(tmp_path_factory.mktemp("duckdb") / "s.db")))
    clustered = emulation.database(chdb_directory, "ingested", Cluster("vantage", "ingested"))
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
