"""Every function and aggregate of vantage.sql.functions means the same on DuckDB and on chDB,
and what its entry says: each case is run on both engines and checked against the value worked
out here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sql.conftest import Run
from vantage.sql import functions
from vantage.sql.expr import (
    Agg,
    Col,
    Expr,
    Lit,
    Null,
    Order,
    Over,
    Time,
    Type,
    agg,
    array,
    col,
    count,
    fn,
)
from vantage.sql.plan import Join, JoinKind, Select, Series, Union

T0 = 1_715_940_433_123_456  # 2024-05-17 10:07:13.123456 UTC


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


NULL_TEXT = Null(Type.TEXT)
NULL_INT = Null(Type.INT)

SCALAR_CASES: list[tuple[str, Expr, Any]] = [
    ("coalesce", fn("coalesce", NULL_INT, 2, 3), 2),
    ("nullif", fn("nullif", 3, 3), None),
    ("nullif", fn("nullif", 3, 4), 3),
    ("least", fn("least", 3, NULL_INT, 1), 1),
    ("greatest", fn("greatest", NULL_INT, 2, 7), 7),
    ("greatest", fn("greatest", NULL_INT, NULL_INT), None),
    ("floor", fn("floor", -3.5), -4.0),
    ("floor", fn("floor", 99.99), 99.0),
    ("int_div", fn("int_div", 7, 2), 3),
    ("int_div", fn("int_div", -7, 2), -3),
    ("lower", fn("lower", "ÄbC"), "äbc"),
    ("upper", fn("upper", "äbc"), "ÄBC"),
    ("trim", fn("trim", "  a b  "), "a b"),
    ("contains", fn("contains", "50%_off", "%_"), True),
    ("contains", fn("contains", "abc", ""), True),
    ("contains", fn("contains", "abc", "d"), False),
    ("starts_with", fn("starts_with", "Math>Algebra", "Math>"), True),
    ("concat_ws", fn("concat_ws", " ", "Ada", NULL_TEXT, "Lovelace"), "Ada Lovelace"),
    ("concat_ws", fn("concat_ws", " ", NULL_TEXT, NULL_TEXT), ""),
    ("concat", fn("concat", "a", "b", "c"), "abc"),
    ("concat", fn("concat", "a", NULL_TEXT), None),
    ("strip_query", fn("strip_query", "https://x.org/a?b=1#c"), "https://x.org/a"),
    ("strip_query", fn("strip_query", "?only"), None),
    ("number_text", fn("number_text", 2.0), "2"),
    ("number_text", fn("number_text", 1.5), "1.5"),
    ("number_text", fn("number_text", 0.25), "0.25"),
    ("int_text", fn("int_text", -42), "-42"),
    ("trunc_time", fn("trunc_time", "minute", Time(T0)), _t("2024-05-17 10:07:00")),
    ("trunc_time", fn("trunc_time", "hour", Time(T0)), _t("2024-05-17 10:00:00")),
    ("trunc_time", fn("trunc_time", "day", Time(T0)), _t("2024-05-17 00:00:00")),
    ("trunc_time", fn("trunc_time", "month", Time(T0)), _t("2024-05-01 00:00:00")),
    ("trunc_time", fn("trunc_time", "year", Time(T0)), _t("2024-01-01 00:00:00")),
    ("bucket_time", fn("bucket_time", 10, Time(T0)), _t("2024-05-17 10:07:10")),
    ("bucket_time", fn("bucket_time", 900, Time(T0)), _t("2024-05-17 10:00:00")),
    ("add_seconds", fn("add_seconds", Time(T0), -19_800), _t("2024-05-17 04:37:13.123456")),
    ("unix_seconds", fn("unix_seconds", Time(T0)), 1_715_940_433),
    ("unix_micros", fn("unix_micros", Time(T0)), T0),
    ("list_has", fn("list_has", fn("list_concat", Col("a", "l"), Col("b", "l")), 3), True),
    ("list_has_any", fn("list_has_any", Col("a", "l"), Col("b", "l")), False),
    ("list_concat", fn("list_concat", Col("a", "l"), Col("b", "l")), [1, 2, 3]),
    ("list_any_contains", fn("list_any_contains", Col("tags", "l"), "alg"), True),
    ("list_any_contains", fn("list_any_contains", Col("tags", "l"), "geo"), False),
    ("email_domain", fn("email_domain", "Ada.L@Example.ORG"), "example.org"),
    ("email_domain", fn("email_domain", "a@b@Dept.Uni.edu"), "dept.uni.edu"),
    ("email_domain", fn("email_domain", "no-address"), None),
    ("email_domain", fn("email_domain", "trailing@"), None),
    ("email_domain", fn("email_domain", NULL_TEXT), None),
    ("list_text", fn("list_text", Col("names", "l"), ", "), "follow-up, technical"),
    ("list_text", fn("list_text", Col("none", "l"), ", "), ""),
]
# ``bit_count`` is checked with bit_or below (a bitset is an aggregate's result).

LISTS = Select(
    (
        ("a", array([1, 2], Type.INT)),
        ("b", array([3], Type.INT)),
        ("tags", array(["Algebra", "maths"], Type.TEXT)),
        ("names", array(["technical", "follow-up", "technical"], Type.TEXT)),
        ("none", array([], Type.TEXT)),
    )
)


@pytest.mark.parametrize(("name", "expression", "expected"), SCALAR_CASES)
def test_scalar(on_duckdb: Run, on_chdb: Run, name: str, expression: Expr, expected: Any) -> None:
    query = Select((("v", expression),), LISTS, "l")
    assert on_duckdb(query) == on_chdb(query) == [(expected,)], name


def test_every_function_has_a_case() -> None:
    tested = {name for name, _, _ in SCALAR_CASES} | {"bit_count", "row_number"}
    assert tested == set(functions.SCALARS)
    aggregated = {name for name, _, _ in AGGREGATE_CASES}
    assert aggregated == set(functions.AGGREGATES)


# Five rows (g, k, x, bits): NULLs, a tie on x for arg_max, an empty group under a filter.
ROWS = Union(
    tuple(
        Select(
            (
                ("g", Lit(g)),
                ("k", Lit(k) if k is not None else NULL_TEXT),
                ("x", Lit(x) if x is not None else NULL_INT),
                ("bits", Lit(bits)),
            )
        )
        for g, k, x, bits in (
            ("a", "p", 1, 1),
            ("a", "q", 3, 2),
            ("a", "r", 3, 4),
            ("a", None, 5, 8),
            ("b", "p", None, 16),
        )
    )
)
X, K, G = col("r.x"), col("r.k"), col("r.g")
NONE = X.gt(100)

AGGREGATE_CASES: list[tuple[str, Expr, Any]] = [
    ("count", count(), [("a", 4), ("b", 1)]),
    ("count", count(NONE), [("a", 0), ("b", 0)]),
    ("count_distinct", agg("count_distinct", K), [("a", 3), ("b", 1)]),
    ("count_distinct", agg("count_distinct", X, where=X.lt(4)), [("a", 2), ("b", 0)]),
    ("sum", agg("sum", X), [("a", 12), ("b", None)]),
    ("sum", agg("sum", X, where=NONE), [("a", None), ("b", None)]),
    ("min", agg("min", K), [("a", "p"), ("b", "p")]),
    # a NULL k is not "not r": the filter drops it
    ("max", agg("max", X, where=K.ne("r")), [("a", 3), ("b", None)]),
    ("avg", agg("avg", X), [("a", 3.0), ("b", None)]),
    # the tie at x = 3 goes to the largest k; rows without k or x are skipped
    ("arg_max", agg("arg_max", K, X), [("a", "r"), ("b", None)]),
    ("arg_max", agg("arg_max", K, X, where=X.lt(3)), [("a", "p"), ("b", None)]),
    ("arg_min", agg("arg_min", K, X), [("a", "p"), ("b", None)]),
    ("list", fn("list_has", agg("list", X), 3), [("a", True), ("b", False)]),
    (
        "list",
        fn("list_has_any", agg("list", X, where=NONE), agg("list", X)),
        [("a", False), ("b", False)],
    ),
    ("bit_or", fn("bit_count", agg("bit_or", col("r.bits"))), [("a", 4), ("b", 1)]),
    (
        "bit_or",
        fn("bit_count", agg("bit_or", col("r.bits"), where=NONE)),
        [("a", None), ("b", None)],
    ),
]


@pytest.mark.parametrize(("name", "aggregate", "expected"), AGGREGATE_CASES)
def test_aggregate(on_duckdb: Run, on_chdb: Run, name: str, aggregate: Expr, expected: Any) -> None:
    query = Select((("g", G), ("v", aggregate)), ROWS, "r", group_by=(G,), order_by=(Order(G),))
    assert on_duckdb(query) == on_chdb(query) == expected, name


def test_aggregate_without_rows_is_one_row(on_duckdb: Run, on_chdb: Run) -> None:
    query = Select(
        (("n", count()), ("s", agg("sum", X)), ("d", agg("count_distinct", K))),
        ROWS,
        "r",
        where=NONE,
    )
    assert on_duckdb(query) == on_chdb(query) == [(0, None, 0)]


def test_windows(on_duckdb: Run, on_chdb: Run) -> None:
    running = Over(Agg("sum", (X,)), (G,), (Order(K),), rows=True)
    query = Select(
        (
            ("k", K),
            ("running", running),
            ("best", Over(Agg("max", (X,)))),
            ("n", Over(Agg("count", ()))),
            ("place", Over(fn("row_number"), (G,), (Order(X, descending=True), Order(K)))),
        ),
        ROWS,
        "r",
        order_by=(Order(G), Order(K)),
    )
    expected = [
        ("p", 1, 5, 5, 4),
        ("q", 4, 5, 5, 2),
        ("r", 7, 5, 5, 3),
        (None, 12, 5, 5, 1),
        ("p", None, 5, 5, 1),
    ]
    assert on_duckdb(query) == on_chdb(query) == expected


def test_series(on_duckdb: Run, on_chdb: Run) -> None:
    day = 86_400_000_000
    series = Series("day", Time(0), Time(3 * day), 86_400)
    query = Select((("day", col("s.day")),), series, "s", order_by=(Order(col("s.day")),))
    expected = [(_t("1970-01-01"),), (_t("1970-01-02"),), (_t("1970-01-03"),)]
    assert on_duckdb(query) == on_chdb(query) == expected
    empty = Select((("day", col("s.day")),), Series("day", Time(day), Time(day), 60), "s")
    assert on_duckdb(empty) == on_chdb(empty) == []


def test_same_matches_nulls(on_duckdb: Run, on_chdb: Run) -> None:
    query = Select(
        (("k", K), ("n", count())),
        ROWS,
        "r",
        joins=(Join(JoinKind.INNER, ROWS, "o", K.same(col("o.k")) & G.same(col("o.g"))),),
        group_by=(K,),
        order_by=(Order(K),),
    )
    expected = [("p", 2), ("q", 1), ("r", 1), (None, 1)]
    assert on_duckdb(query) == on_chdb(query) == expected


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_text_literal_reads_back(on_duckdb: Run, on_chdb: Run, text: str) -> None:
    query = Select((("v", Lit(text)),))
    assert on_duckdb(query) == on_chdb(query) == [(text,)]


@settings(max_examples=40, deadline=None)
@given(
    number=st.one_of(
        st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False)
    )
)
def test_any_number_literal_reads_back(on_duckdb: Run, on_chdb: Run, number: int | float) -> None:
    query = Select((("v", Lit(number)),))
    assert on_duckdb(query) == on_chdb(query) == [(number,)]
