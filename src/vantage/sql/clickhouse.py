"""The ClickHouse dialect: how ClickHouse (a server, a cluster or chDB) spells each function of
vantage.sql.functions with the meaning given there.

Where ClickHouse's own rule differs from standard SQL, the text says so: aggregates use the
``OrNull`` forms (an empty sum is NULL, as in DuckDB, not 0), distinct counts are exact
(``uniqExact``, never the approximate ``uniq``), text functions are the UTF-8 ones, and times
are ``DateTime64(6, 'UTC')`` like the stored columns (``toStartOfMonth`` alone gives a Date).
Entity tables are ReplacingMergeTree tables: they are read ``FINAL``, as of their latest
version. Queries assume the session settings of vantage.store.clickhouse (NULLs from outer
joins, not default values).
"""

from __future__ import annotations

from typing import ClassVar

from vantage.sql.expr import Type
from vantage.sql.plan import Series
from vantage.sql.render import Dialect, Writer, both_set, quote

_STARTS = {
    "minute": "toStartOfMinute",
    "hour": "toStartOfHour",
    "day": "toStartOfDay",
    "month": "toStartOfMonth",
    "year": "toStartOfYear",
}


def _call(name: str) -> Writer:
    return lambda a: f"{name}({', '.join(a)})"


def _time(text: str) -> str:
    return f"toDateTime64({text}, 6, 'UTC')"


def _trunc(a: list[str]) -> str:
    unit = a[0].strip("'")
    if unit not in _STARTS:
        raise ValueError(f"trunc_time takes one of {sorted(_STARTS)}, not {a[0]}")
    return _time(f"{_STARTS[unit]}({a[1]})")


class ClickHouse(Dialect):
    name = "clickhouse"
    TYPES: ClassVar[dict[Type, str]] = {
        Type.INT: "Int64",
        Type.FLOAT: "Float64",
        Type.TEXT: "String",
        Type.TIME: "DateTime64(6, 'UTC')",
        Type.BOOL: "Bool",
        Type.BITS: "UInt128",
    }
    SCALARS: ClassVar[dict[str, Writer]] = {
        "coalesce": _call("coalesce"),
        "nullif": _call("nullIf"),
        "least": _call("least"),  # skips NULLs since ClickHouse 24.12, as DuckDB's does
        "greatest": _call("greatest"),
        "floor": _call("floor"),
        "int_div": _call("intDiv"),
        "lower": _call("lowerUTF8"),
        "upper": _call("upperUTF8"),
        "trim": _call("trimBoth"),
        "contains": lambda a: f"(position({a[0]}, {a[1]}) > 0)",
        "starts_with": _call("startsWith"),
        # concatWithSeparator gives NULL when any part is NULL
        "concat_ws": lambda a: (
            f"arrayStringConcat(arrayFilter(_part -> isNotNull(_part), [{', '.join(a[1:])}]), "
            f"{a[0]})"
        ),
        "concat": _call("concat"),
        "strip_query": lambda a: f"nullIf(replaceRegexpOne({a[0]}, '[?#].*$', ''), '')",
        "number_text": _call("toString"),
        "int_text": _call("toString"),
        "trunc_time": _trunc,
        "bucket_time": lambda a: _time(f"toStartOfInterval({a[1]}, INTERVAL {int(a[0])} SECOND)"),
        "add_seconds": _call("addSeconds"),
        "unix_seconds": lambda a: f"intDiv(toUnixTimestamp64Micro({a[0]}), 1000000)",
        "unix_micros": _call("toUnixTimestamp64Micro"),
        "email_domain": lambda a: f"nullIf(lowerUTF8(extract({a[0]}, '@([^@]*)$')), '')",
        "list_text": lambda a: (
            f"arrayStringConcat(arraySort(arrayDistinct(arrayFilter(_t -> isNotNull(_t), "
            f"{a[0]}))), {a[1]})"
        ),
        "bit_count": _call("bitCount"),
        "list_has": _call("has"),
        "list_has_any": _call("hasAny"),
        "list_concat": _call("arrayConcat"),
        "list_any_contains": lambda a: (
            f"arrayExists(_item -> (position(lowerUTF8(_item), {a[1]}) > 0), {a[0]})"
        ),
        "row_number": lambda a: "row_number()",
    }
    _AGGREGATES: ClassVar[dict[str, tuple[str, str]]] = {
        # (name, arguments); the filter is the -If combinator's last argument
        "count": ("count", ""),
        "count_distinct": ("uniqExact", "{0}"),
        "sum": ("sumOrNull", "{0}"),
        "min": ("minOrNull", "{0}"),
        "max": ("maxOrNull", "{0}"),
        "avg": ("avgOrNull", "{0}"),
        "bit_or": ("groupBitOrOrNull", "{0}"),
        # ties go to the largest first argument, so both engines pick the same row
        "arg_max": ("argMaxOrNull", "{0}, ({1}, {0})"),
        "arg_min": ("argMinOrNull", "{0}, ({1}, {0})"),
        "list": ("groupArray", "{0}"),  # skips NULLs; [] for no rows
    }

    def __init__(self, versioned: frozenset[str] = frozenset()) -> None:
        self.versioned = versioned

    def text(self, value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
        return f"'{escaped}'"

    def time(self, micros: int) -> str:
        return f"fromUnixTimestamp64Micro(toInt64({int(micros)}), 'UTC')"

    def nullable(self, type_name: str) -> str:
        return f"Nullable({type_name})"

    def array(self, type_name: str) -> str:
        return f"Array({type_name})"

    def aggregate(self, fn: str, args: list[str], where: str | None) -> str:
        where = both_set(fn, args, where)
        name, arguments = self._AGGREGATES[fn]
        text = arguments.format(*args)
        if where is None:
            return f"{name}({text})"
        # the -If combinator goes before -OrNull: sumIfOrNull reads "sum if …, or NULL"
        base, ornull = (name[:-6], "OrNull") if name.endswith("OrNull") else (name, "")
        return f"{base}If{ornull}({text}{', ' if text else ''}{where})"

    def same(self, left: str, right: str) -> str:
        return f"({left} <=> {right})"

    def table(self, name: str, named: str) -> str:
        return f"{quote(name)}{named}{' FINAL' if name in self.versioned else ''}"

    def series(self, s: Series) -> str:
        start, stop, step = self.expr(s.start), self.expr(s.stop), int(s.step)
        micros = step * 1_000_000
        count = (
            f"toUInt64(greatest(0, intDiv(toUnixTimestamp64Micro({stop}) - "
            f"toUnixTimestamp64Micro({start}) + {micros - 1}, {micros})))"
        )
        return (
            f"SELECT arrayJoin(arrayMap(_i -> addSeconds({start}, toInt64(_i) * {step}), "
            f"range({count}))) AS {quote(s.column)}"
        )
