"""The formula guard every CSV file shares: OWASP's rule, numbers left as numbers."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.csv_cells import guard, guard_array

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """A plain number as Python reads one (no spaces, no infinity or NaN)."""
    try:
        float(text)
    except ValueError:
        return False
    plain = not any(c.isspace() or c == "_" for c in text)
    return plain and text.lower().lstrip("+-") not in ("inf", "nan", "infinity")


def test_examples() -> None:
    assert guard("=1+1") == "'=1+1"
    assert guard("@SUM(1)") == "'@SUM(1)"
    assert guard('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert guard("\t=1") == "'\t=1"
    assert guard("\r=1") == "'\r=1"
    assert guard("-1+1") == "'-1+1"
    assert guard("-") == "'-"
    assert [guard(n) for n in ("-5", "+1.5", "-2e-3", "-.5", "12")] == [
        "-5",
        "+1.5",
        "-2e-3",
        "-.5",
        "12",
    ]
    assert guard("-INF") == "'-INF"  # not a number a spreadsheet reads: a formula
    assert guard("-5\n") == "'-5\n"
    assert guard("a=1") == "a=1"


texts = st.text(st.sampled_from([*FORMULA_STARTS, "1", ".", "e", "a", "(", '"', " ", "\n"]))


@settings(max_examples=300)
@given(st.one_of(texts, st.text(max_size=12)))
def test_no_guarded_cell_starts_a_formula(text: str) -> None:
    out = guard(text)
    assert not out.startswith(FORMULA_STARTS) or is_number(out)
    assert out in (text, "'" + text)  # nothing else changes


@settings(max_examples=300)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**12), 10**12))
def test_numbers_are_left_alone(number: float) -> None:
    assert guard(str(number)) == str(number)


@settings(max_examples=100)
@given(st.lists(st.one_of(st.none(), texts, st.text(max_size=8)), max_size=20))
def test_the_vectorised_guard_is_the_same_rule(cells: list[str | None]) -> None:
    out = guard_array(pa.array(cells, pa.string())).to_pylist()
    assert out == [None if c is None else guard(c) for c in cells]
