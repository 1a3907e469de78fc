"""Rows as a CSV file: UTF-8 with a byte order mark (spreadsheets then read the text right),
RFC 4180 quoting, every cell guarded against formulas (vantage.csv_cells), times as ISO 8601
UTC (``2025-09-15T10:00:03Z``), booleans ``true``/``false``, no value as an empty cell.

Batch by batch, so a file of any size is written at the memory of one batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from vantage.csv_cells import guard, guard_array

BOM = "\ufeff".encode()
ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


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
    yield BOM + _lines([[guard(h) for h in headers]]), 0
    for batch in batches:
        if batch.num_rows:
            columns = [_texts(column).to_pylist() for column in batch.columns]
            yield _lines(zip(*columns, strict=True)), batch.num_rows


def _lines(rows: Iterable[Sequence[str | None]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)  # None is an empty cell
    return text.getvalue().encode()


def _texts(column: pa.Array) -> pa.Array:
    kind = column.type
    if pa.types.is_timestamp(kind):
        # Whole seconds (Arrow's %S would print the fraction), in UTC (a naive time is UTC).
        seconds = column.cast(pa.timestamp("s", "UTC" if kind.tz else None), safe=False)
        return pc.strftime(seconds, format=ISO_UTC)
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false")
    return guard_array(column.cast(pa.string()))
