"""Every report runs over two shards of a cluster's layout (emulation.py's ``vantage_twice``),
its joins and INs over two Distributed tables among them, which ClickHouse refuses by default;
and a query naming a partner reads one shard. Both shards are this process, so every row is read
twice: the reports' numbers are not compared with DuckDB's (cluster_suite.py does that on one
shard), only that each runs and answers the same twice. Run by test_cluster_emulated.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pyarrow as pa
import pytest
from clickhouse_connect.driver.exceptions import DatabaseError

from tests.store.clickhouse import emulation
from tests.test_engines_agree import (  # noqa: F401 (collected here, with this module's engines)
    Engines,
    test_every_action_agrees,
    test_every_room_report_agrees,
)
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ClickHouseEngine

TWICE = Cluster("vantage_twice", "twice")

pytestmark = emulation.CONFIGURED


@pytest.fixture(scope="module")
def engines(chdb_directory: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    """The same engine on both sides: each answer is compared with itself, asked again."""
    store, partners = emulation.demo(tmp_path_factory)
    twice = emulation.copied(store, chdb_directory, TWICE)
    try:
        yield twice, twice, partners
    finally:
        twice.close()
        store.close()


def test_a_query_naming_a_partner_reads_its_shard_only(engines: Engines) -> None:
    twice, _, partners = engines
    everyone = "SELECT count() FROM room_events"
    assert twice.query(everyone) == [
        (2 * twice.query("SELECT count() FROM room_events_local")[0][0],)
    ]
    # the demo's partners, and one more on each shard (inserts send a partner's rows to the
    # shard of its key modulo the shards' weights)
    extra = [
        twice.query(
            f"SELECT min(number) FROM numbers(900000, 100) WHERE cityHash64(number) % 2 = {n}"
        )[0][0]
        for n in (0, 1)
    ]
    at = pa.array([dt.datetime(2025, 5, 1, 12)], pa.timestamp("us"))
    assert isinstance(twice, ClickHouseEngine)
    for partner in extra:  # one insert each: here both shards' blocks reach one table
        row = {"event_type": ["raiseHand"], "partner_id": [partner], "entry_id": ["1_e"]}
        row |= {"user_id": ["u"], "time": at, "received_at": at}
        twice.insert("room_events", pa.table(row), token=f"two-shards-{partner}")
    for partner in sorted(partners | set(extra)):
        local = f"SELECT count() FROM room_events_local WHERE partner_id = {partner}"
        distributed = f"SELECT count() FROM room_events WHERE partner_id = {partner}"
        assert twice.query(distributed) == twice.query(local)  # not read twice: one shard
        shard = f"SELECT DISTINCT _shard_num FROM room_events WHERE partner_id = {partner}"
        assert twice.query(shard) == twice.query(f"SELECT cityHash64({partner}) % 2 + 1")


def test_clickhouse_refuses_a_join_over_two_shards_by_default(
    engines: Engines, chdb_directory: str
) -> None:
    # what distributed_product_mode = 'global' is for: without the cluster's settings
    sql = "SELECT count() FROM room_events WHERE entry_id IN (SELECT id FROM entries FINAL)"
    assert engines[0].query(sql)[0][0] > 0
    raw = emulation.client(chdb_directory, TWICE.database)
    try:
        with pytest.raises(DatabaseError, match="Double-distributed"):
            raw.query(sql)
    finally:
        raw.close()
