"""Engine-neutral queries: relations, selects, unions and named sub-queries.

A :class:`Select` lists its output columns by name and in order; names are plain identifiers
(ASCII letters, digits, underscores) so that no dialect has to quote them, and a union matches its
parts by position. Grouping is by expressions, never by position or ``ALL``. Results come back
by position: the headers a person reads are attached outside SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from vantage.sql.expr import Agg, Col, Expr, Order

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


class Query:
    """A query whose rows another query can read (a select, a union, or one with sub-queries)."""


@dataclass(frozen=True)
class Table:
    """A stored table; entity tables are read as of their latest version on every engine."""

    name: str

    def __post_init__(self) -> None:
        check_name(self.name)


@dataclass(frozen=True)
class Series:
    """The times from ``start`` up to, not including, ``stop``, ``step`` seconds apart, as one
    column ``column``."""

    column: str
    start: Expr
    stop: Expr
    step: int


Relation = Table | Query | Series


class JoinKind(Enum):
    INNER = "INNER"
    LEFT = "LEFT"
    FULL = "FULL"
    CROSS = "CROSS"


@dataclass(frozen=True)
class Join:
    kind: JoinKind
    relation: Relation
    alias: str
    on: Expr | None = None  # None for a cross join


@dataclass(frozen=True)
class Select(Query):
    columns: tuple[tuple[str, Expr], ...]
    source: Relation | None = None
    alias: str | None = None  # of the source
    joins: tuple[Join, ...] = ()
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    order_by: tuple[Order, ...] = ()
    limit: int | None = None
    offset: int = 0
    distinct: bool = False

    def __post_init__(self) -> None:
        for name, _ in self.columns:
            check_name(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


def read(
    table: str,
    columns: Sequence[str],
    where: Expr | None = None,
    order: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
) -> Select:
    """Columns of a stored table (read as ``t``: conditions name ``Col(name, "t")``), optionally
    of the rows meeting ``where``, in the order of ``order``'s columns."""
    return Select(
        tuple((c, Col(c, "t")) for c in columns),
        Table(table),
        "t",
        where=where,
        order_by=tuple(Order(Col(c, "t")) for c in order),
        limit=limit,
        offset=offset,
    )


def count_of(table: str, where: Expr | None = None) -> Select:
    """How many rows of a stored table (read as ``t``) meet ``where``."""
    return Select((("n", Agg("count", ())),), Table(table), "t", where=where)


@dataclass(frozen=True)
class Union(Query):
    """The rows of every part (``distinct``: each distinct row once); the parts' columns are
    matched by position and named by the first part's."""

    parts: tuple[Query, ...]
    distinct: bool = False
    order_by: tuple[Order, ...] = ()


@dataclass(frozen=True)
class With(Query):
    """Named sub-queries (each may read the ones before it), then the query that reads them."""

    queries: tuple[tuple[str, Query], ...]
    body: Query
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(check_name(n) for n, _ in self.queries))
