"""Entity writes on ClickHouse, by the rules of ``vantage.entities.repository`` and
``vantage.entities.partners``: the same checks and columns, each entity table written as new
row versions (``ReplacingMergeTree``: a key's latest version is the row reads see with
``FINAL``), entries with their lifecycle rows.

What DuckDB reads inside its write transaction is read here ``FINAL`` by the single writer,
whose own earlier writes are all acknowledged, so it reads what a transaction would. Lifecycle
rows are inserted before the entries they describe: a write that fails between the two is
retried whole by its caller (the entries still as before, the same rows made again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa

from vantage.entities import partners
from vantage.entities.model import KINDS, Category, Entity, Kind, Partner
from vantage.entities.repository import (
    StoredCategory,
    check_unique_keys,
    to_arrow,
    with_full_names,
    with_roles,
)
from vantage.ingest.clickhouse import lifecycle as rows_of
from vantage.ingest.clickhouse.inserts import ClickHouse, insert
from vantage.ingest.clickhouse.lifecycle import Row
from vantage.ingest.clickhouse.reads import by_keys
from vantage.sql.expr import agg, col, count
from vantage.sql.plan import Select, Table
from vantage.store import lifecycle
from vantage.store.engine import rows

ENTRIES = "entries"
PARTNERS = Table("partners")


def upsert(engine: ClickHouse, kind: Kind, items: Sequence[Entity]) -> int:
    """Insert or replace ``items`` (all of ``kind``); return how many were written."""
    if not items:
        return 0
    if kind.struct is Category:
        items = with_full_names(items, _categories(engine, items))  # type: ignore[arg-type]
    if kind.struct is Partner:
        items = with_roles(items, _roles(engine, items))  # type: ignore[arg-type]
    check_unique_keys(kind, items)
    data = to_arrow(kind, items)
    if kind.table == ENTRIES:
        data = lifecycle.with_entry_sources(data)
        incoming = data.to_pylist()
        stored = _stored_entries(engine, [(e["partner_id"], e["id"]) for e in incoming])
        _record(engine, incoming, stored, lifecycle.write_time())
    insert(engine, kind.table, data)
    return len(items)


def delete_entries(engine: ClickHouse, partner_id: int, ids: Sequence[str]) -> tuple[int, int]:
    """Mark entries deleted, as ``repository.delete_entries`` does; return how many of ``ids``
    are stored and how many were live."""
    at = lifecycle.write_time()
    found = _stored_entries(engine, [(partner_id, i) for i in ids])
    live = [e for e in found.values() if e["status"] != "deleted"]
    if live:
        deleted = [{**e, "status": "deleted", "updated_at": at} for e in live]
        _record(engine, deleted, found, at)
        insert(engine, ENTRIES, pa.Table.from_pylist(deleted, schema=_ENTRY_SCHEMA))
    return len(found), len(live)


def create_partner(
    engine: ClickHouse,
    name: str,
    *,
    partner_id: int | None,
    parent_partner_id: int | None,
    admin_secret: str | None,
    user_secret: str | None,
    next_free_if_taken: bool,
) -> Partner:
    """A new partner stored, by the rules of ``partners.create``."""

    def exists(pid: int) -> bool:
        return bool(
            rows(engine, Select((("n", count()),), PARTNERS, where=col("id").eq(pid)))[0][0]
        )

    wanted = partner_id
    if next_free_if_taken and wanted is not None and exists(wanted):
        wanted = None
    partner = partners.new_partner(
        name,
        partner_id=wanted,
        parent_partner_id=parent_partner_id,
        admin_secret=admin_secret,
        user_secret=user_secret,
        exists=exists,
        top_id=lambda: rows(engine, Select((("top", agg("max", col("id"))),), PARTNERS))[0][0],
    )
    upsert(engine, KINDS["partners"], [partner])
    return partner


def _categories(engine: ClickHouse, items: Sequence[Category]) -> list[StoredCategory]:
    """The stored categories of the partners of ``items``."""
    columns = ("partner_id", "id", "name", "parent_id", "full_name")
    partners_of = col("partner_id").isin(sorted({c.partner_id for c in items}))
    plan = Select(tuple((c, col(c)) for c in columns), Table("categories"), where=partners_of)
    return rows(engine, plan)


def _roles(engine: ClickHouse, items: Sequence[Partner]) -> dict[int, str]:
    """The stored roles (JSON) of the partners of ``items`` that declare none."""
    bare = [p.id for p in items if not p.roles]
    if not bare:
        return {}
    plan = Select(
        (("id", col("id")), ("roles", col("roles"))), PARTNERS, where=col("id").isin(bare)
    )
    return dict(rows(engine, plan))


def set_meta(engine: ClickHouse, key: str, value: str) -> None:
    insert(engine, "meta", pa.table({"key": [key], "value": [value]}))


def _record(
    engine: ClickHouse, incoming: Sequence[Row], stored: dict[EntryKey, Row], at: dt.datetime
) -> None:
    """Insert the lifecycle rows of writing the entries ``incoming`` over ``stored``."""
    changes = rows_of.changes(incoming, stored, at)
    if changes.num_rows:
        insert(engine, lifecycle.TABLE, changes)


_ENTRY_SCHEMA = lifecycle.with_entry_sources(to_arrow(KINDS[ENTRIES], [])).schema
"""The columns of ``entries`` as an upsert writes them."""
EntryKey = tuple[int, str]


def _stored_entries(engine: ClickHouse, keys: list[EntryKey]) -> dict[EntryKey, Row]:
    """The stored entries of ``keys`` (every column, as of their latest version)."""
    found = by_keys(engine, ENTRIES, _ENTRY_SCHEMA.names, keys)
    entries = (dict(zip(_ENTRY_SCHEMA.names, row, strict=True)) for row in found)
    return {(e["partner_id"], e["id"]): e for e in entries}
