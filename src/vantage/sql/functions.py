"""The functions plans may use: a short list, each with one meaning on every engine.

Each dialect (vantage.sql.duckdb, vantage.sql.clickhouse) writes every one of them in its own
SQL so that it means what is said here, NULLs included; tests/sql/test_functions.py runs each
on both engines and compares. A plan that needs something else adds it here first.

Arity is (least, most); ``None`` for most means any number.
"""

from __future__ import annotations

Entries = dict[str, tuple[tuple[int, int | None], str]]

SCALARS: Entries = {
    "coalesce": ((1, None), "the first argument that is not NULL"),
    "nullif": ((2, 2), "NULL when the two are equal, else the first"),
    "least": ((1, None), "the smallest argument that is not NULL; NULL when all are"),
    "greatest": ((1, None), "the largest argument that is not NULL; NULL when all are"),
    "floor": ((1, 1), "the largest whole number not above a real number"),
    "int_div": ((2, 2), "integer division of whole numbers, rounded toward zero"),
    "lower": ((1, 1), "text in lower case"),
    "upper": ((1, 1), "text in upper case"),
    "trim": ((1, 1), "text without leading and trailing spaces"),
    "contains": ((2, 2), "whether the first text has the second in it, as plain text"),
    "starts_with": ((2, 2), "whether the first text begins with the second"),
    "concat_ws": ((2, None), "the texts after the first joined by it, NULLs skipped"),
    "concat": ((2, None), "the texts joined; NULL when any is NULL"),
    "strip_query": ((1, 1), "a URL without its query and fragment; NULL when nothing is left"),
    "number_text": (
        (1, 1),
        "a real number (0.0001 to 10^15) as the shortest text that reads back as it, '2' for 2.0",
    ),
    "int_text": ((1, 1), "a whole number as decimal text"),
    "trunc_time": (
        (2, 2),
        "a time rounded down to a unit ('minute', 'hour', 'day', 'month', 'year'; a text literal)",
    ),
    "bucket_time": (
        (2, 2),
        "a time rounded down to a multiple of whole seconds since 1970 (an integer literal)",
    ),
    "add_seconds": ((2, 2), "a time plus whole seconds"),
    "unix_seconds": ((1, 1), "a time as whole unix seconds, fractions dropped"),
    "unix_micros": ((1, 1), "a time as unix microseconds"),
    "bit_count": ((1, 1), "how many bits of a bitset are set"),
    "list_has": ((2, 2), "whether a list holds a value"),
    "list_has_any": ((2, 2), "whether two lists share a value"),
    "list_concat": ((2, 2), "the first list's values, then the second's"),
    "list_any_contains": (
        (2, 2),
        "whether some text of a list, in lower case, has the second argument in it",
    ),
    "email_domain": (
        (1, 1),
        "the text after an e-mail address's last '@', in lower case; NULL when there is none",
    ),
    "list_text": (
        (2, 2),
        "the distinct texts of a list (NULLs skipped), sorted, joined by the second argument",
    ),
    "row_number": ((0, 0), "window only: the row's place in its partition, from 1"),
}

AGGREGATES: Entries = {
    "count": ((0, 0), "how many rows"),
    "count_distinct": ((1, 1), "how many distinct values that are not NULL, exactly"),
    "sum": ((1, 1), "the sum of the values that are not NULL; NULL when there are none"),
    "min": ((1, 1), "the smallest value; NULL when there are none"),
    "max": ((1, 1), "the largest value; NULL when there are none"),
    "avg": ((1, 1), "the mean of the values that are not NULL; NULL when there are none"),
    "bit_or": ((1, 1), "the union of bitsets; NULL when there are none"),
    "arg_max": (
        (2, 2),
        "the first argument of the row whose second is largest (the second "
        "not NULL); NULL when there is none",
    ),
    "arg_min": ((2, 2), "the first argument of the row whose second is smallest"),
    "list": ((1, 1), "the values that are not NULL, as a list in no set order; [] for none"),
}

WINDOW_ONLY = frozenset({"row_number"})


def _check(
    kind: str, table: dict[str, tuple[tuple[int, int | None], str]], name: str, n: int
) -> None:
    if name not in table:
        raise ValueError(f"{name} is not a plan {kind} (vantage.sql.functions)")
    (least, most), _ = table[name]
    if n < least or (most is not None and n > most):
        raise ValueError(
            f"{name} takes {least}–{most if most is not None else 'any'} arguments, not {n}"
        )


def check_scalar(name: str, n: int) -> None:
    _check("function", SCALARS, name, n)


def check_aggregate(name: str, n: int) -> None:
    _check("aggregate", AGGREGATES, name, n)


def is_window(name: str) -> bool:
    return name in WINDOW_ONLY
