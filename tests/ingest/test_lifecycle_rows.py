"""The entry lifecycle rows worked out in Python (vantage.ingest.clickhouse.lifecycle) are those
DuckDB's SQL (vantage.store.lifecycle) writes, for every kind of write: each combination of an
entry stored (not, live, deleted) and written (live, deleted), with its duration and size kept,
changed or cleared and with or without a creation time, in one batch."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from vantage.entities.model import KINDS, Entry, EntryKind, EntryStatus
from vantage.entities.repository import to_arrow
from vantage.ingest.clickhouse.lifecycle import changes
from vantage.store import lifecycle
from vantage.store.duckdb_engine import DuckDBEngine
from vantage.store.migrations import migrate

AT = dt.datetime(2024, 9, 2, 12)
CREATED = 1_722_470_400  # 2024-08-01: before the write
LATER = 1_725_451_200  # 2024-09-04: after it
STORED = (None, EntryStatus.READY, EntryStatus.DELETED)
WRITTEN = (EntryStatus.PENDING, EntryStatus.DELETED)
DURATIONS = ((60, 60), (60, 90), (60, None), (None, 30))  # (stored, written)
SIZES = ((100, 100), (100, 250), (None, 250))
CREATED_AT = (None, CREATED, LATER)


def entry(
    entry_id: str,
    status: EntryStatus,
    duration: int | None,
    size: int | None,
    created_at: int | None,
    stored: bool,
) -> Entry:
    # What a write may change besides status and numbers: the row records which it counted.
    differs = {} if stored else {"media_type": 5, "source_type": 32, "creator_user_id": "bob"}
    fields: dict[str, Any] = {
        "partner_id": 1,
        "id": entry_id,
        "name": entry_id,
        "kind": EntryKind.VIDEO,
        "media_type": 1,
        "source_type": 1,
        "creator_user_id": "alice",
        "admin_tags": ["zoomentry"] if stored else [],
        "status": status,
        "duration": duration,
        "size": size,
        "created_at": created_at,
    }
    return Entry(**(fields | differs))


def cases() -> Iterator[tuple[Entry | None, Entry]]:
    combinations = itertools.product(STORED, WRITTEN, DURATIONS, SIZES, CREATED_AT)
    for n, (before, after, (d0, d1), (s0, s1), created) in enumerate(combinations):
        old = None if before is None else entry(f"e{n}", before, d0, s0, created, True)
        yield old, entry(f"e{n}", after, d1, s1, created, False)


def table(entries: list[Entry]) -> pa.Table:
    return lifecycle.with_entry_sources(to_arrow(KINDS["entries"], entries))


@pytest.fixture
def duckdb(tmp_path: Path) -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine(tmp_path / "store.duckdb")
    migrate(engine)
    yield engine
    engine.close()


def test_the_rows_of_every_kind_of_write_equal_duckdbs(duckdb: DuckDBEngine) -> None:
    pairs = list(cases())
    stored = table([old for old, _ in pairs if old is not None])
    incoming = table([new for _, new in pairs])
    with duckdb.write() as tx:
        tx.execute("INSERT INTO entries BY NAME SELECT * FROM stored", stored=stored)
        lifecycle.record_entry_writes(tx, incoming, AT)
    columns = ", ".join(name for name, _ in lifecycle.COLUMNS)
    on_duckdb = duckdb.query(f"SELECT {columns} FROM {lifecycle.TABLE}")
    by_key = {(e["partner_id"], e["id"]): e for e in stored.to_pylist()}
    in_python = changes(incoming.to_pylist(), by_key, AT)
    assert in_python.schema.names == [name for name, _ in lifecycle.COLUMNS]
    assert {row[3] for row in on_duckdb} == set(lifecycle.EVENT_TYPES)  # every rule had rows
    assert sorted(on_duckdb, key=repr) == sorted(
        (tuple(row.values()) for row in in_python.to_pylist()), key=repr
    )
