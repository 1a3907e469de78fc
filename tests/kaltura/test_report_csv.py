"""The room reports' CSV writer: Kaltura's layout, and no cell a spreadsheet would run."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_csv_cells import FORMULA_STARTS, is_number
from vantage.kaltura.report_csv import csv_chunks

risky = st.text(st.sampled_from([*FORMULA_STARTS, ",", "\n", "1", ".", "a", " "]), max_size=6)
cells = st.one_of(st.none(), risky, st.text(max_size=10))


def written(batch: pa.RecordBatch) -> list[list[str]]:
    body = b"".join(csv_chunks(batch.schema.names, [batch], range(batch.num_columns)))
    lines = body.decode("utf-8-sig").split("\n")
    assert lines[-1] == ""
    return [line.split(",") for line in lines[:-1]]


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(cells, cells, st.floats(allow_nan=False) | st.none(), st.integers(-9, 9)),
        min_size=1,
        max_size=6,
    )
)
def test_no_cell_starts_a_formula_unless_a_number(rows: list[tuple[object, ...]]) -> None:
    names = ["=name", "email", "ratio", "count"]
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array([r[0] for r in rows], pa.string()),
            pa.array([r[1] for r in rows], pa.large_string()),  # as engines may give text
            pa.array([r[2] for r in rows], pa.float64()),
            pa.array([r[3] for r in rows], pa.int64()),
        ],
        names,
    )
    lines = written(batch)
    assert len(lines) == len(rows) + 1  # a value never breaks a row
    for line in lines:
        assert len(line) == len(names)  # nor adds a column
        for cell in line:
            assert not cell.startswith(FORMULA_STARTS) or is_number(cell), cell


def test_negative_numbers_stay_numbers() -> None:
    batch = pa.RecordBatch.from_arrays(
        [pa.array([-5]), pa.array([-0.5]), pa.array(["-5"]), pa.array(["-5 apples"])],
        ["a", "b", "c", "d"],
    )
    assert written(batch)[1] == ["-5", "-0.5", "-5", "'-5 apples"]


def test_the_first_batch_is_read_before_the_first_byte() -> None:
    """A query that fails must fail before the header is sent, not cut the file."""

    def failing() -> Iterator[pa.RecordBatch]:
        raise RuntimeError("the query failed")
        yield  # pragma: no cover

    with pytest.raises(RuntimeError):
        next(csv_chunks(["a"], failing(), [0]))
