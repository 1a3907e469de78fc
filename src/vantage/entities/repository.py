"""Reading and writing entities. Writes run inside the single writer's transaction.

An upsert replaces the whole row of each given entity (fields left out take their defaults);
a batch is written in one statement, never row by row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from functools import cache
from typing import Any

import msgspec
import msgspec.inspect as mi
import pyarrow as pa

from vantage.entities.model import DEFAULT_ROLES, KINDS, Category, Entity, Kind, Partner, Role
from vantage.sql.expr import INT64_MAX, INT64_MIN, Col, Expr, Lit, Time, all_of, fn
from vantage.sql.plan import count_of, read
from vantage.store import lifecycle
from vantage.store.engine import Engine, WriteSession, rows
from vantage.timeconv import stored, to_micros, unix_seconds
from vantage.typemap import column_type, struct_fields


class EntityError(ValueError):
    """An entity that cannot be stored as given."""


@cache
def _fields(kind: Kind) -> tuple[tuple[mi.Field, pa.DataType, str], ...]:
    return tuple((f, *column_type(f.type)) for f in struct_fields(kind.struct))


def columns(kind: Kind) -> list[tuple[str, str]]:
    """(column, SQL type) of the kind's table, in the table's order: its fields, with what the
    store derives from them (an entry's source) where the migration that made it put it."""
    found = [(f.name, sql) for f, _, sql in _fields(kind)]
    if kind.table == "entries":  # migration 10 added it after size, before root_entry_id (13)
        found.insert([name for name, _ in found].index("size") + 1, ("entry_source", "VARCHAR"))
    return found


def _cell(value: Any, sql: str) -> Any:
    if value is None:
        return None
    if sql == "TIMESTAMP":
        return stored(to_micros(value))
    if sql == "JSON":
        return msgspec.json.encode(value).decode()
    if isinstance(value, Enum):
        return value.value
    return value


def to_arrow(kind: Kind, items: Sequence[Entity]) -> pa.Table:
    arrays = []
    for f, arrow, sql in _fields(kind):
        try:
            arrays.append(pa.array([_cell(getattr(e, f.name), sql) for e in items], arrow))
        except ValueError as exc:  # e.g. a naive timestamp
            raise EntityError(f"{f.encode_name}: {exc}") from None
    return pa.Table.from_arrays(arrays, names=[f.name for f, _, _ in _fields(kind)])


def upsert(tx: WriteSession, kind: Kind, items: Sequence[Entity]) -> int:
    """Insert or replace ``items`` (all of ``kind``); return how many were written."""
    if not items:
        return 0
    if kind.struct is Category:
        items = _with_full_names(tx, items)  # type: ignore[arg-type]
    if kind.struct is Partner:
        items = _with_roles(tx, items)  # type: ignore[arg-type]
    check_unique_keys(kind, items)
    data = to_arrow(kind, items)
    if kind.table == "entries":  # entries added, deleted, resized: before they are replaced
        data = lifecycle.with_entry_sources(data)
        lifecycle.record_entry_writes(tx, data)
    tx.execute(f"INSERT OR REPLACE INTO {kind.table} BY NAME SELECT * FROM data", data=data)
    return len(items)


def delete_entries(tx: WriteSession, partner_id: int, ids: Sequence[str]) -> tuple[int, int]:
    """Mark entries ``deleted`` (their rows stay, so reports still name them) and record their
    ``physicalDelete``; return how many of ``ids`` are stored and how many of those were live
    (not deleted already) and are deleted now."""
    at = lifecycle.write_time()
    found = tx.execute(
        "SELECT count(*) FROM entries WHERE partner_id = ? AND id IN (SELECT unnest(?))",
        (partner_id, list(ids)),
    )[0][0]
    live = tx.query_arrow(
        "SELECT * REPLACE ('deleted' AS status, ?::TIMESTAMP AS updated_at) FROM entries "
        "WHERE partner_id = ? AND id IN (SELECT unnest(?)) AND status <> 'deleted'",
        (at, partner_id, list(ids)),
    )
    if live.num_rows:
        lifecycle.record_entry_writes(tx, live, at)
        tx.execute(
            "UPDATE entries SET status = 'deleted', updated_at = ? "
            "WHERE partner_id = ? AND id IN (SELECT unnest(?)) AND status <> 'deleted'",
            (at, partner_id, list(ids)),
        )
    return int(found), live.num_rows


def check_unique_keys(kind: Kind, items: Sequence[Entity]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for item in items:
        key = tuple(getattr(item, k) for k in kind.key)
        if key in seen:
            raise EntityError(f"{kind.name}: {key} appears twice in one request")
        seen.add(key)


def _with_full_names(tx: WriteSession, items: Sequence[Category]) -> list[Category]:
    partners = sorted({c.partner_id for c in items})
    stored = tx.execute(
        "SELECT partner_id, id, name, parent_id, full_name FROM categories "
        "WHERE partner_id IN (SELECT unnest(?))",
        (partners,),
    )
    return with_full_names(items, stored)


StoredCategory = tuple[int, int, str, int | None, str | None]
"""partner_id, id, name, parent_id, full_name of a stored category."""


def with_full_names(items: Sequence[Category], stored: Iterable[StoredCategory]) -> list[Category]:
    """Fill in each category's path ('Courses>Biology>BIO-101') from its parents, among
    ``items`` and the categories ``stored`` of their partners."""
    known: dict[tuple[int, int], tuple[str, int | None, str | None]] = {
        (p, i): (n, parent, full) for p, i, n, parent, full in stored
    }
    for c in items:
        known[(c.partner_id, c.id)] = (c.name, c.parent_id, c.full_name)

    def path(partner: int, cid: int, depth: int = 0) -> str:
        name, parent, full = known[(partner, cid)]
        if full:
            return full
        if parent is None or (partner, parent) not in known or depth > 64:
            return name
        return f"{path(partner, parent, depth + 1)}>{name}"

    return [msgspec.structs.replace(c, full_name=path(c.partner_id, c.id)) for c in items]


def _with_roles(tx: WriteSession, items: Sequence[Partner]) -> list[Partner]:
    bare = [p.id for p in items if not p.roles]
    stored = tx.execute("SELECT id, roles FROM partners WHERE id IN (SELECT unnest(?))", (bare,))
    return with_roles(items, dict(stored))


def with_roles(items: Sequence[Partner], stored: Mapping[int, str]) -> list[Partner]:
    """Partners that declare no roles keep the ones they have (``stored``: each stored
    partner's roles as JSON), else get ``DEFAULT_ROLES``: a partner without roles could run no
    report with any session."""
    known = {pid: msgspec.json.decode(roles, type=list[Role]) for pid, roles in stored.items()}
    return [
        p if p.roles else msgspec.structs.replace(p, roles=known.get(p.id) or list(DEFAULT_ROLES))
        for p in items
    ]


def decode_items(kind: Kind, body: bytes) -> list[Entity]:
    """A JSON array (or one object) of ``kind``; ``msgspec.ValidationError`` says what is wrong.

    Read leniently, as ``vantage import`` reads its files: a whole-number float (``90.0``, what
    many JSON writers emit for a number) or a numeric string is taken for an integer field; a
    fraction is still refused."""
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return [msgspec.json.decode(body, type=kind.struct, strict=False)]
    return msgspec.json.decode(body, type=list[kind.struct], strict=False)  # type: ignore[name-defined]


def list_items(
    engine: Engine,
    kind: Kind,
    *,
    partner_ids: Iterable[int],
    filters: dict[str, Any] | None = None,
    limit: int = 500,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``kind`` for the given partners, as API objects, and the total count."""
    owner = "id" if kind.name == "partners" else "partner_id"
    where = [Col(owner, "t").isin(sorted(partner_ids))]
    known = dict(columns(kind))
    for name, value in (filters or {}).items():
        sql = known.get(name)
        if sql is None or sql == "JSON":
            raise EntityError(f"cannot filter {kind.name} by {name}")
        wanted = _filter_value(sql.removesuffix("[]"), str(value))
        if wanted is None:  # not a value of the column: nothing matches
            where.append(Lit(False))
        elif sql.endswith("[]"):  # a list column matches when it contains the value
            where.append(fn("list_has", Col(name, "t"), wanted))
        else:
            where.append(Col(name, "t").eq(wanted))
    condition = all_of(where)
    (total,) = rows(engine, count_of(kind.table, condition))[0]
    page = read(kind.table, _shown(kind), condition, kind.key, limit, offset)
    return [_to_api(kind, row) for row in rows(engine, page)], int(total)


def _filter_value(sql: str, text: str) -> Expr | None:
    """A filter's text as a value of a column of type ``sql``; None if it is not one."""
    try:
        if sql == "BIGINT":
            number = int(text)
            return Lit(number) if INT64_MIN <= number <= INT64_MAX else None
        if sql == "DOUBLE":
            real = float(text)
            return Lit(real) if math.isfinite(real) else None
        if sql == "BOOLEAN":
            known = {"true": True, "false": False, "1": True, "0": False}
            return Lit(known[text.lower()]) if text.lower() in known else None
        if sql == "TIMESTAMP":
            moment = dt.datetime.fromisoformat(text)
            return Time(to_micros(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)))
    except (ValueError, OverflowError):
        return None
    return Lit(text)


def get(engine: Engine, kind: Kind, key: Sequence[Any]) -> dict[str, Any] | None:
    match = all_of(Col(k, "t").eq(v) for k, v in zip(kind.key, key, strict=True))
    found = rows(engine, read(kind.table, _shown(kind), match))
    return _to_api(kind, found[0]) if found else None


def _shown(kind: Kind) -> list[str]:
    """The columns of the kind's fields (what the API shows)."""
    return [f.name for f, _, _ in _fields(kind)]


def _to_api(kind: Kind, row: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (f, _, sql), value in zip(_fields(kind), row, strict=True):
        if value is not None and sql == "TIMESTAMP":
            value = int(unix_seconds(value))
        elif value is not None and sql == "JSON":
            value = msgspec.json.decode(value)
        out[f.encode_name] = value
    return out


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise EntityError(f"unknown entity kind {name!r}; known: {', '.join(KINDS)}") from None
