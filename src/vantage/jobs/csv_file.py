"""Rows as a CSV file: UTF-8 with a byte order mark (spreadsheets then read the text right),
RFC 4180 quoting, every cell guarded against formulas (vantage.csv_cells), times as ISO 8601
UTC (``2025-09-15T10:00:03Z``), booleans ``true``/``false``, no value as an empty cell.

Batch by batch, so a file of any size is written at the memory of one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from vantage.csv_cells import guard, guard_array

BOM = "\ufeff".encode()


class Output(Protocol):
    def write(self, data: bytes) -> None: ...
    def add_rows(self, n: int) -> None: ...
    def cancelled(self) -> bool: ...


def write_csv(headers: Sequence[str], batches: Iterable[pa.RecordBatch], out: Output) -> bool:
    """The whole file into ``out``; False when ``out`` was cancelled before the end."""
    for chunk, rows in csv_chunks(headers, batches):
        if out.cancelled():
            return False
        out.write(chunk)
        out.add_rows(rows)
    return True


def csv_chunks(
    headers: Sequence[str], batches: Iterable[pa.RecordBatch]
) -> Iterator[tuple[bytes, int]]:
    """The file in pieces with the number of rows in each: the header line, then a batch each."""
    yield BOM + _lines([pa.array([guard(h)]) for h in headers]), 0
    for batch in batches:
        if batch.num_rows:
            yield _lines([_texts(column) for column in batch.columns]), batch.num_rows


_SPECIAL = r'[",\r\n]'  # what RFC 4180 quotes


def _lines(columns: Sequence[pa.Array]) -> bytes:
    """Rows of text cells as CSV lines, built by Arrow's compute functions: joining and
    quoting a million rows cell by cell in Python cost more than the report's query."""
    if not columns:
        return b""
    cells = [_quoted(c) for c in columns]
    if len(cells) == 1:  # a lone empty cell is "" (as Python's csv writes it): a blank line
        lone = pc.fill_null(cells[0], "")  # would be skipped by readers, losing the row
        cells = [pc.if_else(pc.equal(lone, ""), '""', lone)]
    line = pc.binary_join_element_wise(*cells, ",", null_handling="replace")  # None: empty
    ended = pc.binary_join_element_wise(line, "", "\r\n").cast(pa.large_string())
    # the lines back to back are the array's value buffer between its first and last offset
    offsets, values = ended.buffers()[1], ended.buffers()[2]
    bounds = pa.Array.from_buffers(pa.int64(), len(ended) + 1, [None, offsets], ended.offset)
    start, end = bounds[0].as_py(), bounds[len(ended)].as_py()
    return b"" if values is None else memoryview(values)[start:end].tobytes()


def _quoted(cells: pa.Array) -> pa.Array:
    special = pc.match_substring_regex(cells, _SPECIAL)
    if not pc.any(special).as_py():  # most columns: ids, numbers, times
        return cells
    doubled = pc.replace_substring(cells, '"', '""')
    quoted = pc.binary_join_element_wise('"', doubled, '"', "")
    return pc.if_else(special, quoted, cells)


def _texts(column: pa.Array) -> pa.Array:
    kind = column.type
    if pa.types.is_timestamp(kind):
        # Whole seconds in UTC (a cast to a naive time keeps the UTC instant), printed by a
        # cast ("2025-09-15 10:00:03"): pc.strftime costs a second a million rows.
        seconds = column.cast(pa.timestamp("s"), safe=False).cast(pa.string())
        return pc.binary_join_element_wise(pc.utf8_replace_slice(seconds, 10, 11, "T"), "Z", "")
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false")
    return guard_array(column.cast(pa.string()))
