"""Engine-neutral SQL expressions: what a plan computes, never how an engine spells it.

Every node is an immutable value; :mod:`vantage.sql.render` writes one as SQL text for DuckDB
or ClickHouse. A function call or aggregate names an entry of :mod:`vantage.sql.functions`
(the short list plans may use, each with one meaning on both engines) and is checked when it
is built. Values are literals in the text, quoted by the dialect: a compiled query is plain
SQL that needs no parameters.

Arithmetic reads as Python (``total / 60.0``); comparisons and logic are methods (``a.eq(b)``,
``a & b``), because ``==`` stays structural equality so that expressions can be compared and
hashed. ``/`` is always division of real numbers (as both engines do it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Union

from vantage.sql import functions

if TYPE_CHECKING:
    from vantage.sql.plan import Query

Value = None | bool | int | float | str
Operand = Union["Expr", bool, int, float, str]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Type(Enum):
    """The value types plans cast to and type NULLs with."""

    INT = "int"  # 64-bit signed
    FLOAT = "float"  # 64-bit IEEE
    TEXT = "text"
    TIME = "time"  # microseconds, UTC
    BOOL = "bool"
    BITS = "bits"  # a set of up to 128 small numbers, as the bits of an unsigned integer


class Expr:
    def __add__(self, other: Operand) -> Expr:
        return Binary("+", self, wrap(other))

    def __radd__(self, other: Operand) -> Expr:
        return Binary("+", wrap(other), self)

    def __sub__(self, other: Operand) -> Expr:
        return Binary("-", self, wrap(other))

    def __rsub__(self, other: Operand) -> Expr:
        return Binary("-", wrap(other), self)

    def __mul__(self, other: Operand) -> Expr:
        return Binary("*", self, wrap(other))

    def __rmul__(self, other: Operand) -> Expr:
        return Binary("*", wrap(other), self)

    def __truediv__(self, other: Operand) -> Expr:
        return Binary("/", self, wrap(other))

    def __rtruediv__(self, other: Operand) -> Expr:
        return Binary("/", wrap(other), self)

    def __neg__(self) -> Expr:
        return Binary("-", Lit(0), self)

    def __and__(self, other: Operand) -> Expr:
        return Binary("AND", self, wrap(other))

    def __or__(self, other: Operand) -> Expr:
        return Binary("OR", self, wrap(other))

    def __invert__(self) -> Expr:
        return Not(self)

    def eq(self, other: Operand) -> Expr:
        return Binary("=", self, wrap(other))

    def ne(self, other: Operand) -> Expr:
        return Binary("<>", self, wrap(other))

    def lt(self, other: Operand) -> Expr:
        return Binary("<", self, wrap(other))

    def le(self, other: Operand) -> Expr:
        return Binary("<=", self, wrap(other))

    def gt(self, other: Operand) -> Expr:
        return Binary(">", self, wrap(other))

    def ge(self, other: Operand) -> Expr:
        return Binary(">=", self, wrap(other))

    def same(self, other: Operand) -> Expr:
        """Equal, or both NULL (``IS NOT DISTINCT FROM``)."""
        return Same(self, wrap(other))

    def is_null(self) -> Expr:
        return IsNull(self)

    def not_null(self) -> Expr:
        return Not(IsNull(self))

    def isin(self, values: Iterable[Operand] | Query) -> Expr:
        from vantage.sql.plan import Query

        if isinstance(values, Query):
            return InQuery(self, values)
        return In(self, tuple(wrap(v) for v in values))


@dataclass(frozen=True)
class Col(Expr):
    """A column, of the relation ``table`` (an alias) when given."""

    name: str
    table: str | None = None


@dataclass(frozen=True)
class Lit(Expr):
    value: Value

    def __post_init__(self) -> None:
        v = self.value
        if isinstance(v, int) and not isinstance(v, bool) and not INT64_MIN <= v <= INT64_MAX:
            raise ValueError(f"integer literal beyond 64 bits: {v}")
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"non-finite literal: {v}")


@dataclass(frozen=True)
class Time(Expr):
    """A timestamp literal: unix microseconds, UTC."""

    micros: int


@dataclass(frozen=True)
class Null(Expr):
    """NULL of a type (a column of a UNION that one side lacks)."""

    type: Type


@dataclass(frozen=True)
class Array(Expr):
    """A list of values of one type (an empty one included)."""

    items: tuple[Expr, ...]
    type: Type


@dataclass(frozen=True)
class Call(Expr):
    fn: str
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        functions.check_scalar(self.fn, len(self.args))


@dataclass(frozen=True)
class Agg(Expr):
    """An aggregate over the rows of a group, or of those meeting ``where`` only."""

    fn: str
    args: tuple[Expr, ...]
    where: Expr | None = None

    def __post_init__(self) -> None:
        functions.check_aggregate(self.fn, len(self.args))


@dataclass(frozen=True)
class Order:
    expr: Expr
    descending: bool = False
    nulls_last: bool = True


@dataclass(frozen=True)
class Over(Expr):
    """A window function: an aggregate (without ``where``) or ``row_number``, over the rows of
    a partition; with ``order``, over those up to the current row (the rows' own frame when
    ``rows`` is set, else peers included)."""

    fn: Agg | Call
    partition: tuple[Expr, ...] = ()
    order: tuple[Order, ...] = ()
    rows: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.fn, Agg) and self.fn.where is not None:
            raise ValueError("a window aggregate takes no filter")
        if isinstance(self.fn, Call) and not functions.is_window(self.fn.fn):
            raise ValueError(f"{self.fn.fn} is not a window function")


@dataclass(frozen=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr

    OPS = frozenset({"+", "-", "*", "/", "=", "<>", "<", "<=", ">", ">=", "AND", "OR"})

    def __post_init__(self) -> None:
        if self.op not in self.OPS:
            raise ValueError(f"unknown operator {self.op}")


@dataclass(frozen=True)
class Not(Expr):
    expr: Expr


@dataclass(frozen=True)
class IsNull(Expr):
    expr: Expr


@dataclass(frozen=True)
class Same(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class In(Expr):
    """Membership in a list of values; an empty list holds nothing."""

    expr: Expr
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class InQuery(Expr):
    expr: Expr
    query: Query


@dataclass(frozen=True)
class Scalar(Expr):
    """The one value of a query of one column and at most one row (NULL when no row)."""

    query: Query


@dataclass(frozen=True)
class Case(Expr):
    whens: tuple[tuple[Expr, Expr], ...]
    otherwise: Expr | None = None


@dataclass(frozen=True)
class Cast(Expr):
    expr: Expr
    type: Type


def wrap(value: Operand) -> Expr:
    return value if isinstance(value, Expr) else Lit(value)


def col(name: str) -> Col:
    """``"t.name"`` or ``"name"``."""
    table, _, column = name.rpartition(".")
    return Col(column, table or None)


def fn(name: str, *args: Operand) -> Call:
    return Call(name, tuple(wrap(a) for a in args))


def agg(name: str, *args: Operand, where: Expr | None = None) -> Agg:
    return Agg(name, tuple(wrap(a) for a in args), where)


def count(where: Expr | None = None) -> Agg:
    return Agg("count", (), where)


def array(values: Iterable[Value], type_: Type) -> Array:
    return Array(tuple(Lit(v) for v in values), type_)


def all_of(conditions: Iterable[Expr]) -> Expr:
    found = list(conditions)
    if not found:
        return Lit(True)
    out = found[0]
    for c in found[1:]:
        out = out & c
    return out


def any_of(conditions: Iterable[Expr]) -> Expr:
    found = list(conditions)
    if not found:
        return Lit(False)
    out = found[0]
    for c in found[1:]:
        out = out | c
    return out


def case(*whens: tuple[Expr, Operand], otherwise: Operand | None = None) -> Case:
    return Case(
        tuple((c, wrap(v)) for c, v in whens), None if otherwise is None else wrap(otherwise)
    )
