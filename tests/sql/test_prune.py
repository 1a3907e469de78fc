"""Pruning a plan's derived relations to what their reader reads: the SQL loses the columns,
the rows stay the same."""

from __future__ import annotations

import duckdb

from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, Lit, agg, count
from vantage.sql.plan import Select, Table, Union
from vantage.sql.prune import pruned

T = Table("t")


def _part(tag: int) -> Select:
    """Per ``k``: how many rows, their sum of ``v``, and a tag (three columns)."""
    return Select(
        (("k", Col("k", "t")), ("n", count()), ("s", agg("sum", Col("v", "t"))), ("tag", Lit(tag))),
        T,
        "t",
        group_by=(Col("k", "t"),),
    )


def _outer(source: Select | Union) -> Select:
    """Rows of the source and their sum of ``s``: reads ``s`` alone."""
    return Select((("rows", count()), ("s", agg("sum", Col("s", "u")))), source, "u")


def _run(plan: Select) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 10), (1, 5), (2, 7)) AS x(k, v)")
    return con.execute(DuckDB().sql(plan)).fetchall()


def test_a_union_keeps_only_the_columns_read_and_its_rows() -> None:
    whole = _outer(Union((_part(1), _part(2))))
    less = pruned(whole)
    assert isinstance(less.source, Union)
    assert [p.names for p in less.source.parts if isinstance(p, Select)] == [("s",), ("s",)]
    assert less.source.parts[0].group_by == (Col("k", "t"),)  # type: ignore[attr-defined]
    # 2 groups a part, 4 rows; 15 + 7, twice
    assert _run(less) == _run(whole) == [(4, 44)]


def test_a_reader_of_no_column_keeps_one_and_counts_the_same_rows() -> None:
    whole = Select((("rows", count()),), _part(1), "u")
    less = pruned(whole)
    assert isinstance(less.source, Select)
    assert less.source.names == ("k",)
    assert _run(less) == _run(whole) == [(2,)]


def test_distinct_rows_are_never_pruned() -> None:
    # dropping "tag" would merge the two parts' rows of a distinct union
    distinct = _outer(Union((_part(1), _part(1)), distinct=True))
    assert pruned(distinct) == distinct
    one = Select(
        (("rows", count()),),
        Select((("k", Col("k", "t")), ("v", Col("v", "t"))), T, "t", distinct=True),
        "u",
    )
    assert pruned(one) == one
