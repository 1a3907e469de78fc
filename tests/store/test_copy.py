"""``vantage store copy``: a demo store copied into chDB holds every row as DuckDB has it and
the facts add up; a stopped copy resumes with nothing lost or doubled; a finished copy run again
sends nothing; a target holding other rows is refused; a schema difference is named."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import clickhouse_connect
import msgspec
import pyarrow as pa
import pytest

from tests.demo.conftest import open_store
from vantage.demo import generate
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.store import migrations as duckdb_migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.copy import (
    ClickHouse,
    CopyError,
    SchemaMismatchError,
    StoreCopy,
    TableCopied,
    TablePlan,
    TargetInUseError,
    VerificationError,
    fingerprint,
    plan,
)
from vantage.store.duckdb_engine import DuckDBEngine

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
BATCH_ROWS = 1_000  # several batches per event table


def _demo(path: Path, seed: int, player_events: int) -> Store:
    store = open_store(path)
    generate(store, seed=seed, events=2_000, player_events=player_events, now=NOW)
    store.set_meta("demo_partner_id", "101")
    return store


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBEngine]:
    store = _demo(tmp_path_factory.mktemp("source") / "s.duckdb", seed=2, player_events=6_000)
    # a school this small has no recording ready yet: one, so that rootEntryId is copied too
    room = store.engine.query("SELECT min(entry_id) FROM room_events")[0][0]
    recording = {"partnerId": 101, "id": "0_recording", "name": "R", "kind": "video"}
    kind = KINDS["entries"]
    items = repository.decode_items(kind, msgspec.json.encode([{**recording, "rootEntryId": room}]))
    store.writer.submit(lambda tx: repository.upsert(tx, kind, items)).result()
    yield store.engine
    store.close()


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBEngine]:
    store = _demo(tmp_path_factory.mktemp("other") / "o.duckdb", seed=3, player_events=1_500)
    yield store.engine
    store.close()


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChDBEngine]:
    engine = ChDBEngine(tmp_path_factory.mktemp("chdb"))
    yield engine
    engine.close()


def _copy_all(copy: StoreCopy) -> list[TableCopied]:
    return [copy.copy(table, lambda rows: None) for table in copy.tables]


def _fresh_copy(source: DuckDBEngine, target: ChDBEngine) -> StoreCopy:
    copy = StoreCopy.prepare(source, target, force=True, batch_rows=BATCH_ROWS)
    _copy_all(copy)
    copy.verify()
    return copy


def _arrays(target: ClickHouse, table: str) -> set[str]:
    rows = target.query(
        "SELECT name FROM system.columns WHERE database = currentDatabase() "
        "AND table = {p0:String} AND type LIKE 'Array(%'",
        [table],
    )
    return {name for (name,) in rows}


def _content(engine: ClickHouse | DuckDBEngine, table: TablePlan, arrays: set[str]) -> Counter[Any]:
    """The table's rows as a multiset, a NULL list read as the empty list ClickHouse stores."""
    final = "" if isinstance(engine, DuckDBEngine) or not table.replacing else " FINAL"
    rows = engine.query(f"SELECT {', '.join(table.columns)} FROM {table.name}{final}")

    def value(column: str, v: Any) -> Any:
        if column in arrays:
            return tuple(v or ())
        return v

    return Counter(
        tuple(value(c, v) for c, v in zip(table.columns, row, strict=True)) for row in rows
    )


@pytest.fixture(scope="module")
def http(target: ChDBEngine) -> Iterator[ClickHouseEngine]:
    """``ClickHouseEngine`` as it runs against a server, here over the module's chDB store."""
    engine = ClickHouseEngine(
        clickhouse_connect.get_client(interface="chdb", path=str(target.directory))
    )
    yield engine
    engine.close()


@pytest.mark.parametrize("adapter", ["target", "http"])
def test_every_row_is_copied_as_duckdb_has_it_and_the_facts_add_up(
    source: DuckDBEngine, request: pytest.FixtureRequest, adapter: str
) -> None:
    engine: ClickHouse = request.getfixturevalue(adapter)
    copy = StoreCopy.prepare(source, engine, force=True, batch_rows=BATCH_ROWS)
    _copy_all(copy)
    copy.verify()
    names = {t.name for t in copy.tables}
    assert {"partners", "entries", "users", "room_events", "player_events", "meta"} <= names
    facts = {"player_facts", "room_presence"}
    assert not names & {*facts, "player_facts_dirty", "room_presence_dirty", "schema_migrations"}
    assert copy.filled == sorted(facts)
    # coverage beyond 64 bits survives the HUGEINT → UInt128 insert
    assert source.query("SELECT max(coverage) > 2::HUGEINT ** 64 FROM player_events")[0][0]
    # the columns migration 13 added are filled, so the comparison below covers them
    filled = source.query(
        "SELECT (SELECT count(root_entry_id) FROM entries), (SELECT count(device) FROM room_events)"
    )
    assert all(n > 0 for n in filled[0])
    for table in copy.tables:
        assert table.rows == source.query(f"SELECT count(*) FROM {table.name}")[0][0]
        arrays = _arrays(engine, table.name)
        assert _content(engine, table, arrays) == _content(source, table, arrays), table.name


@pytest.mark.parametrize("ack_lost", [False, True], ids=["insert-failed", "ack-lost"])
def test_a_stopped_copy_resumes_with_nothing_lost_or_doubled(
    source: DuckDBEngine, target: ChDBEngine, monkeypatch: pytest.MonkeyPatch, ack_lost: bool
) -> None:
    first = StoreCopy.prepare(source, target, force=True, batch_rows=BATCH_ROWS)
    insert = target.insert
    events_sent = 0

    def stopping(table: str, data: pa.Table, token: str) -> int:
        nonlocal events_sent
        if table == "player_events":
            events_sent += 1
            if events_sent == 3:  # the third batch: stored (its answer lost) or not at all
                if ack_lost:
                    insert(table, data, token)
                raise ConnectionError("the server went away")
        return insert(table, data, token)

    monkeypatch.setattr(target, "insert", stopping)
    with pytest.raises(ConnectionError):
        _copy_all(first)
    monkeypatch.undo()

    again = StoreCopy.prepare(source, target, batch_rows=BATCH_ROWS)
    events = next(t for t in again.tables if t.name == "player_events")
    assert again.done(events) == (2, 2 * BATCH_ROWS)
    copied = {c.name: c for c in _copy_all(again)}
    assert copied["player_events"].sent == events.rows - 2 * BATCH_ROWS
    assert copied["categories"].sent == 0  # copied before the stop
    again.verify()


def test_a_finished_copy_run_again_sends_nothing(source: DuckDBEngine, target: ChDBEngine) -> None:
    _fresh_copy(source, target)
    again = StoreCopy.prepare(source, target, batch_rows=BATCH_ROWS)
    assert [c.sent for c in _copy_all(again)] == [0] * len(again.tables)
    again.verify()


def test_a_target_holding_another_stores_copy_is_refused_unless_forced(
    source: DuckDBEngine, other: DuckDBEngine, target: ChDBEngine
) -> None:
    _fresh_copy(source, target)
    with pytest.raises(TargetInUseError, match="player_events"):
        StoreCopy.prepare(other, target, batch_rows=BATCH_ROWS)
    _fresh_copy(other, target)
    # the first store again, into the emptied tables: its batches' tokens are not taken for
    # repeats of the rows the emptying removed
    _fresh_copy(source, target)


def test_a_target_with_rows_of_its_own_is_refused(source: DuckDBEngine, target: ChDBEngine) -> None:
    StoreCopy.prepare(source, target, force=True, batch_rows=BATCH_ROWS)
    target.command("TRUNCATE TABLE copy_progress")  # an empty store of no copy
    target.insert("partners", pa.table({"id": [7], "name": ["Served"]}), token="served-7")
    with pytest.raises(TargetInUseError, match="partners"):
        StoreCopy.prepare(source, target, batch_rows=BATCH_ROWS)


def test_a_row_too_many_fails_verification_naming_table_and_numbers(
    source: DuckDBEngine, target: ChDBEngine
) -> None:
    copy = _fresh_copy(source, target)
    rows = source.query("SELECT count(*) FROM entry_lifecycle")[0][0]
    extra = {"partner_id": [101], "entry_id": ["0_x"], "time": [NOW], "event_type": ["added"]}
    extra |= {"delta": [1], "duration": [0.0]}
    target.insert("entry_lifecycle", pa.table(extra), token="one-too-many")
    with pytest.raises(VerificationError, match=f"entry_lifecycle: {rows + 1:,} rows in Click"):
        copy.verify()


def test_facts_that_do_not_add_up_fail_verification(
    source: DuckDBEngine, target: ChDBEngine
) -> None:
    copy = _fresh_copy(source, target)
    plays = source.query("SELECT sum(n_play) FROM player_facts WHERE partner_id = 101")[0][0]
    fact = {"partner_id": [101], "bucket": [NOW], "entry_id": ["0_x"], "n_play": [1]}
    target.insert("player_facts", pa.table(fact), token="a-play-too-many")
    with pytest.raises(VerificationError, match=f"n_play of partner 101: {plays + 1} in Click"):
        copy.verify()


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[DuckDBEngine]:
    """An empty DuckDB store at the latest schema, to change."""
    engine = DuckDBEngine(tmp_path / "bare.duckdb")
    duckdb_migrations.migrate(engine)
    yield engine
    engine.close()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("ALTER TABLE users ADD COLUMN nickname VARCHAR", "users.nickname is in the DuckDB"),
        ("ALTER TABLE entries DROP COLUMN size", "entries.size is in ClickHouse"),
        ("CREATE TABLE notes (id BIGINT)", "tables ClickHouse lacks: notes"),
    ],
)
def test_a_schema_difference_is_named(
    bare: DuckDBEngine, target: ChDBEngine, change: str, named: str
) -> None:
    with bare.write() as tx:
        tx.execute(change)
    with pytest.raises(SchemaMismatchError, match=named):
        plan(bare, target)


def test_any_change_to_the_source_or_the_batches_is_another_fingerprint(
    bare: DuckDBEngine, target: ChDBEngine
) -> None:
    def print_(batch_rows: int = BATCH_ROWS) -> str:
        return fingerprint(bare, plan(bare, target)[0], batch_rows)

    empty = print_()
    with bare.write() as tx:
        tx.execute("INSERT INTO meta VALUES ('k', 'v')")
    added = print_()
    with bare.write() as tx:
        tx.execute("UPDATE meta SET value = 'w'")
    assert len({empty, added, print_(), print_(BATCH_ROWS * 2)}) == 4


def test_a_cluster_is_refused_before_anything_is_written(
    source: DuckDBEngine, target: ChDBEngine
) -> None:
    client = clickhouse_connect.get_client(interface="chdb", path=str(target.directory))
    cluster = ClickHouseEngine(client, Cluster("vantage", "analytics"))
    with pytest.raises(CopyError, match="not a cluster"):
        StoreCopy.prepare(source, cluster, force=True)
    assert not target.query("SHOW DATABASES LIKE 'analytics'")
