"""The DuckDB dialect: how the embedded store spells each function of vantage.sql.functions."""

from __future__ import annotations

from typing import ClassVar

from vantage.sql.expr import Type
from vantage.sql.plan import Series
from vantage.sql.render import Dialect, Writer, both_set, quote

_UNITS = frozenset({"minute", "hour", "day", "month", "year"})


def _call(name: str) -> Writer:
    return lambda a: f"{name}({', '.join(a)})"


def _unit(text: str) -> str:
    unit = text.strip("'")
    if unit not in _UNITS:
        raise ValueError(f"trunc_time takes one of {sorted(_UNITS)}, not {text}")
    return unit


class DuckDB(Dialect):
    name = "duckdb"
    TYPES: ClassVar[dict[Type, str]] = {
        Type.INT: "BIGINT",
        Type.FLOAT: "DOUBLE",
        Type.TEXT: "VARCHAR",
        Type.TIME: "TIMESTAMP",
        Type.BOOL: "BOOLEAN",
        Type.BITS: "HUGEINT",  # DuckDB's bit operations on it are those of a 128-bit set
    }
    SCALARS: ClassVar[dict[str, Writer]] = {
        "coalesce": _call("coalesce"),
        "nullif": _call("nullif"),
        "least": _call("least"),  # DuckDB's skip NULLs
        "greatest": _call("greatest"),
        "floor": _call("floor"),
        "int_div": lambda a: f"({a[0]} // {a[1]})",
        "lower": _call("lower"),
        "upper": _call("upper"),
        "trim": _call("trim"),
        "contains": _call("contains"),
        "starts_with": _call("starts_with"),
        "concat_ws": _call("concat_ws"),
        "concat": lambda a: "(" + " || ".join(a) + ")",
        "strip_query": lambda a: f"nullif(regexp_replace({a[0]}, '[?#].*$', ''), '')",
        "number_text": lambda a: f"regexp_replace(CAST({a[0]} AS VARCHAR), '\\.0$', '')",
        "int_text": lambda a: f"CAST({a[0]} AS VARCHAR)",
        "trunc_time": lambda a: f"date_trunc('{_unit(a[0])}', {a[1]})",
        "bucket_time": lambda a: (
            f"time_bucket(INTERVAL ({int(a[0])}) SECOND, {a[1]}, TIMESTAMP '1970-01-01')"
        ),
        "add_seconds": lambda a: f"({a[0]} + to_seconds({a[1]}))",
        "unix_seconds": lambda a: f"(epoch_us({a[0]}) // 1000000)",
        "unix_micros": _call("epoch_us"),
        "bit_count": _call("bit_count"),
        "list_has": _call("list_contains"),
        "list_has_any": _call("list_has_any"),
        "list_concat": _call("list_concat"),
        "list_any_contains": lambda a: (
            f"(len(list_filter({a[0]}, lambda t: contains(lower(t), {a[1]}))) > 0)"
        ),
        "email_domain": lambda a: f"nullif(lower(regexp_extract({a[0]}, '@([^@]*)$', 1)), '')",
        "list_text": lambda a: f"array_to_string(list_sort(list_distinct({a[0]})), {a[1]})",
        "row_number": lambda a: "row_number()",
    }
    _AGGREGATES: ClassVar[dict[str, str]] = {
        "count": "count(*)",
        "count_distinct": "count(DISTINCT {0})",
        "sum": "sum({0})",
        "min": "min({0})",
        "max": "max({0})",
        "avg": "avg({0})",
        "bit_or": "bit_or({0})",
        # ties go to the largest first argument, so both engines pick the same row
        "arg_max": "arg_max({0}, row({1}, {0}))",
        "arg_min": "arg_min({0}, row({1}, {0}))",
        "list": "list({0})",
    }

    def text(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def time(self, micros: int) -> str:
        return f"make_timestamp({int(micros)})"

    def array(self, type_name: str) -> str:
        return f"{type_name}[]"

    def aggregate(self, fn: str, args: list[str], where: str | None) -> str:
        where = both_set(fn, args, where)
        text = self._AGGREGATES[fn].format(*args)
        if fn == "list":  # DuckDB's keeps NULLs, and has NULL, not [], for no rows
            kept = f"{args[0]} IS NOT NULL"
            return f"coalesce({text} FILTER (WHERE {f'({where}) AND ' if where else ''}{kept}), [])"
        return f"{text} FILTER (WHERE {where})" if where else text

    def same(self, left: str, right: str) -> str:
        return f"({left} IS NOT DISTINCT FROM {right})"

    def series(self, s: Series) -> str:
        start, stop = self.expr(s.start), self.expr(s.stop)
        step = f"INTERVAL ({int(s.step)}) SECOND"
        return f"SELECT unnest(range({start}, {stop}, {step})) AS {quote(s.column)}"
