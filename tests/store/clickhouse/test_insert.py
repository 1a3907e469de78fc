"""Inserts: a retry with the same token adds nothing, to the table or to the rollup its view
feeds; a row written again replaces the older one for reads that say FINAL."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from tests.store.clickhouse.beacons import beacons
from vantage.player.facts import COUNTED_EVENTS, count_column
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine

COUNTED = " + ".join(f"sum({count_column(name)})" for name in COUNTED_EVENTS.values())
COUNTED_IDS = ", ".join(str(i) for i in COUNTED_EVENTS)


def _batch(partner_id: int) -> pa.Table:
    batch = beacons(7, 30, dt.datetime(2023, 5, 31, 22), 4)  # two months' partitions
    partners = pa.array([partner_id] * batch.num_rows, pa.int64())
    return batch.set_column(batch.schema.get_field_index("partner_id"), "partner_id", partners)


def _stored(engine: ChDBEngine | ClickHouseEngine, partner_id: int) -> tuple[int, int]:
    """(beacons stored, beacons the facts count) for ``partner_id``."""
    beacons_stored = engine.query(
        "SELECT count() FROM player_events WHERE partner_id = {p0:Int64}", [partner_id]
    )[0][0]
    counted = engine.query(
        f"SELECT {COUNTED} FROM player_facts WHERE partner_id = {{p0:Int64}}", [partner_id]
    )[0][0]
    return beacons_stored, counted


def _counted(batch: pa.Table) -> int:
    return sum(1 for i in batch.column("event_type_id").to_pylist() if i in COUNTED_EVENTS)


def test_a_retry_with_the_same_token_adds_nothing(engine: ChDBEngine | ClickHouseEngine) -> None:
    partner_id = 501 + isinstance(engine, ClickHouseEngine)  # each engine its own partner
    batch = _batch(partner_id)
    assert engine.insert("player_events", batch, token=f"once-{partner_id}") == 30
    engine.insert("player_events", batch, token=f"once-{partner_id}")
    assert _stored(engine, partner_id) == (30, _counted(batch))


def test_two_tokens_store_a_batch_twice(engine: ChDBEngine | ClickHouseEngine) -> None:
    partner_id = 601 + isinstance(engine, ClickHouseEngine)
    batch = _batch(partner_id)
    engine.insert("player_events", batch, token=f"first-{partner_id}")
    engine.insert("player_events", batch, token=f"second-{partner_id}")
    assert _stored(engine, partner_id) == (60, 2 * _counted(batch))


def test_no_rows_insert_nothing(engine: ChDBEngine | ClickHouseEngine) -> None:
    assert engine.insert("player_events", _batch(701).slice(0, 0), token="empty") == 0


def test_an_entity_written_again_replaces_the_older_row(
    engine: ChDBEngine | ClickHouseEngine,
) -> None:
    key = 801 + isinstance(engine, ClickHouseEngine)
    for name in ("Old name", "New name"):
        row = {"partner_id": [key], "id": ["1_e"], "name": [name], "kind": ["video"]}
        row |= {"status": ["ready"], "admin_tags": [[]], "tags": [["t"]], "category_ids": [[]]}
        engine.insert("entries", pa.table(row), token=f"{key}-{name}")
    assert engine.query(
        "SELECT name, tags FROM entries FINAL WHERE partner_id = {p0:Int64}", [key]
    ) == [("New name", ["t"])]
