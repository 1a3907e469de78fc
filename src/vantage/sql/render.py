"""Writing plans as SQL text: what every dialect writes alike, and the hooks where they differ.

A dialect (vantage.sql.duckdb, vantage.sql.clickhouse) supplies how it writes literals, types,
each function of vantage.sql.functions, filtered aggregates, time series and table reads; the
shape of a select, its joins, unions and sub-queries is written here once. Identifiers are
always double-quoted (both engines read ANSI quotes), so a column may be called ``time`` or
``position``. Every operation is parenthesised: the text never depends on precedence rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from vantage.sql import expr as e
from vantage.sql import functions
from vantage.sql.plan import Join, JoinKind, Query, Relation, Select, Series, Table, Union, With

Writer = Callable[[list[str]], str]


class Dialect:
    name: ClassVar[str]
    TYPES: ClassVar[dict[e.Type, str]]
    SCALARS: ClassVar[dict[str, Writer]]

    def __init_subclass__(cls) -> None:
        missing = set(functions.SCALARS) - set(cls.SCALARS)
        if missing:
            raise TypeError(f"{cls.__name__} does not write {sorted(missing)}")

    # -- queries -------------------------------------------------------------------------

    def sql(self, query: Query) -> str:
        if isinstance(query, Select):
            return self._select(query)
        if isinstance(query, Union):
            glue = "\nUNION DISTINCT\n" if query.distinct else "\nUNION ALL\n"
            text = glue.join(f"({self.sql(p)})" for p in query.parts)
            if query.order_by:
                ordered = self._orders(query.order_by)
                text = f"SELECT * FROM ({text}) AS {quote('_u')}\nORDER BY {ordered}"
            return text
        if isinstance(query, With):
            named = ",\n".join(f"{quote(n)} AS (\n{self.sql(q)}\n)" for n, q in query.queries)
            return f"WITH {named}\n{self.sql(query.body)}"
        raise TypeError(f"not a query: {query!r}")

    def _select(self, s: Select) -> str:
        columns = ",\n       ".join(f"{self.expr(x)} AS {quote(n)}" for n, x in s.columns)
        parts = [f"SELECT {'DISTINCT ' if s.distinct else ''}{columns}"]
        if s.source is not None:
            parts.append(f"FROM {self._relation(s.source, s.alias)}")
        parts += [self._join(j) for j in s.joins]
        if s.where is not None:
            parts.append(f"WHERE {self.expr(s.where)}")
        if s.group_by:
            parts.append("GROUP BY " + ", ".join(self.expr(g) for g in s.group_by))
        if s.having is not None:
            parts.append(f"HAVING {self.expr(s.having)}")
        if s.order_by:
            parts.append(f"ORDER BY {self._orders(s.order_by)}")
        if s.limit is not None:
            parts.append(f"LIMIT {int(s.limit)}" + (f" OFFSET {int(s.offset)}" if s.offset else ""))
        return "\n".join(parts)

    def _relation(self, r: Relation, alias: str | None) -> str:
        named = f" AS {quote(alias)}" if alias else ""
        if isinstance(r, Table):
            return self.table(r.name, named)
        if isinstance(r, Series):
            return f"({self.series(r)}){named}"
        return f"(\n{self.sql(r)}\n){named}"

    def _join(self, j: Join) -> str:
        target = self._relation(j.relation, j.alias)
        if j.kind is JoinKind.CROSS:
            return f"CROSS JOIN {target}"
        assert j.on is not None, "only a cross join has no condition"
        return f"{j.kind.value} JOIN {target} ON {self.expr(j.on)}"

    def _orders(self, orders: tuple[e.Order, ...]) -> str:
        return ", ".join(
            f"{self.expr(o.expr)} {'DESC' if o.descending else 'ASC'} "
            f"NULLS {'LAST' if o.nulls_last else 'FIRST'}"
            for o in orders
        )

    # -- expressions ---------------------------------------------------------------------

    def expr(self, x: e.Expr) -> str:
        match x:
            case e.Col(name, table):
                return f"{quote(table)}.{quote(name)}" if table else quote(name)
            case e.Lit(value):
                return self.literal(value)
            case e.Time(micros):
                return self.time(micros)
            case e.Null(type_):
                return f"CAST(NULL AS {self.nullable(self.TYPES[type_])})"
            case e.Array(items, type_):
                values = ", ".join(self.expr(i) for i in items)
                return f"CAST([{values}] AS {self.array(self.TYPES[type_])})"
            case e.Cast(inner, type_):
                return f"CAST({self.expr(inner)} AS {self.nullable(self.TYPES[type_])})"
            case e.Call(fn, args):
                return self.SCALARS[fn]([self.expr(a) for a in args])
            case e.Agg(fn, args, where):
                condition = None if where is None else self.expr(where)
                return self.aggregate(fn, [self.expr(a) for a in args], condition)
            case e.Over():
                return self._over(x)
            case e.Binary(op, left, right):
                return f"({self.expr(left)} {op} {self.expr(right)})"
            case e.Not(inner):
                return f"(NOT {self.expr(inner)})"
            case e.IsNull(inner):
                return f"({self.expr(inner)} IS NULL)"
            case e.Same(left, right):
                return self.same(self.expr(left), self.expr(right))
            case e.In(inner, items):
                if not items:
                    return "false"
                return f"({self.expr(inner)} IN ({', '.join(self.expr(i) for i in items)}))"
            case e.Scalar(query):
                return f"(\n{self.sql(query)}\n)"
            case e.InQuery(inner, query):
                return f"({self.expr(inner)} IN (\n{self.sql(query)}\n))"
            case e.Case(whens, otherwise):
                arms = " ".join(f"WHEN {self.expr(c)} THEN {self.expr(v)}" for c, v in whens)
                rest = f" ELSE {self.expr(otherwise)}" if otherwise is not None else ""
                return f"(CASE {arms}{rest} END)"
        raise TypeError(f"not an expression: {x!r}")

    def _over(self, w: e.Over) -> str:
        if isinstance(w.fn, e.Agg):
            head = self.aggregate(w.fn.fn, [self.expr(a) for a in w.fn.args], None)
        else:
            head = self.SCALARS[w.fn.fn]([self.expr(a) for a in w.fn.args])
        spec = []
        if w.partition:
            spec.append("PARTITION BY " + ", ".join(self.expr(p) for p in w.partition))
        if w.order:
            spec.append(f"ORDER BY {self._orders(w.order)}")
            if w.rows:
                spec.append("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
        return f"{head} OVER ({' '.join(spec)})"

    # -- what dialects write their own way -----------------------------------------------

    def literal(self, value: e.Value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            text = repr(value)
            # an exponent makes it a 64-bit float on both engines (DuckDB reads 1.5 as DECIMAL)
            return text if "e" in text else f"{text}e0"
        return self.text(value)

    def text(self, value: str) -> str:
        raise NotImplementedError

    def time(self, micros: int) -> str:
        raise NotImplementedError

    def nullable(self, type_name: str) -> str:
        return type_name

    def array(self, type_name: str) -> str:
        raise NotImplementedError

    def aggregate(self, fn: str, args: list[str], where: str | None) -> str:
        raise NotImplementedError

    def same(self, left: str, right: str) -> str:
        raise NotImplementedError

    def table(self, name: str, named: str) -> str:
        return f"{quote(name)}{named}"

    def series(self, s: Series) -> str:
        raise NotImplementedError


def quote(name: str) -> str:
    """An identifier as both dialects read it."""
    return '"' + name.replace('"', '""') + '"'


def both_set(fn: str, args: list[str], where: str | None) -> str | None:
    """The rows an aggregate reads: arg_max and arg_min only those where both arguments are
    set (ClickHouse skips the others; DuckDB is told to)."""
    if fn not in ("arg_max", "arg_min"):
        return where
    both = f"({args[0]} IS NOT NULL AND {args[1]} IS NOT NULL)"
    return f"({where}) AND {both}" if where else both
