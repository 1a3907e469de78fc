"""PHP's text of report values (precision 14), one value at a time and a column at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vantage.kaltura.values import php_floats, php_string


def test_php_prints_floats_with_fourteen_digits() -> None:
    assert [php_string(v) for v in (1 / 3, 3.0, 1e-5, 1e25, -0.0, 2.5e-300)] == [
        "0.33333333333333",
        "3",
        "1.0E-5",
        "1.0E+25",
        "-0",
        "2.5E-300",
    ]
    assert [php_string(v) for v in (float("nan"), float("inf"), float("-inf"))] == [
        "NAN",
        "INF",
        "-INF",
    ]
    assert [php_string(v) for v in (None, True, False, 7)] == ["", "1", "", "7"]


@given(st.lists(st.none() | st.floats(allow_nan=True, allow_infinity=True)))
def test_a_column_prints_as_its_values_one_by_one(values: list[float | None]) -> None:
    assert php_floats(values) == [None if v is None else php_string(v) for v in values]
