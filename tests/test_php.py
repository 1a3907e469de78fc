"""PHP's numeric strings."""

from __future__ import annotations

import pytest

from vantage import php


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" -3 ", -3), ("+4", 4), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0)]
    + [("", None), ("12abc", None), ("abc", None), ("1.2.3", None)],
)
def test_numbers(text: str, expected: int | float | None) -> None:
    assert php.number(text) == expected


def test_huge_and_odd_numbers_never_raise() -> None:
    assert php.number("9" * 5000) == float("inf") and php.integer("9" * 5000) is None
    assert php.integer("2.9") == 2 and php.integer("x") is None and php.number("²") is None


def test_indexes() -> None:
    assert [php.index(k) for k in ("0", "12", "01", "-1", "²", "1" * 19, "")] == [
        0,
        12,
        1,
        None,
        None,
        None,
        None,
    ]


def test_integers_are_held_to_phps_64_bit_range() -> None:
    assert php.integer("1" * 400) == php.INT_MAX == 2**63 - 1
    assert php.integer("-1e300") == php.INT_MIN and php.integer("9223372036854775807") == 2**63 - 1
    assert php.integer("1e400") is None and php.integer("-9223372036854775808") == -(2**63)
