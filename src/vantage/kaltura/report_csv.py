"""The CSV that ``report.getCsvFromStringParams`` and ``report.getCsv`` answer, Kaltura's way:
a UTF-8 BOM, the header line, then one line per row; commas inside a value become spaces and
nothing is quoted. Unlike Kaltura, line breaks inside a value also become spaces, so a chat
text or a name can never break a row in two, and every cell is guarded against spreadsheet
formulas (vantage.csv_cells).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from vantage.csv_cells import guard, guard_array
from vantage.kaltura.values import php_floats

BOM = "\ufeff".encode()
_CLEAN = str.maketrans({",": " ", "\n": " ", "\r": " "})


def kept_columns(headers: Sequence[str], excluded_fields: str | None) -> list[int]:
    """Positions left after ``excludedFields`` (comma-separated; each name drops the first
    column of that exact name)."""
    keep = list(range(len(headers)))
    for name in (excluded_fields or "").split(","):
        name = name.strip()
        for i in keep:
            if headers[i] == name:
                keep.remove(i)
                break
    return keep


def csv_chunks(
    headers: Sequence[str], batches: Iterable[pa.RecordBatch], keep: Sequence[int]
) -> Iterator[bytes]:
    """The file in pieces of one batch of rows each, so it can be streamed. The first batch is
    read before the header line is made: a query that fails then fails before the first byte
    is sent (vantage.kaltura.files.prime), never in the middle of the file."""
    rows = iter(batches)
    first = next(rows, None)
    yield BOM + (",".join(guard(headers[i].translate(_CLEAN)) for i in keep) + "\n").encode()
    for batch in itertools.chain([] if first is None else [first], rows):
        if not batch.num_rows:
            continue
        texts = [_texts(batch.column(i)) for i in keep]
        lines = pc.binary_join_element_wise(*texts, ",") if len(texts) > 1 else texts[0]
        yield ("\n".join(lines.to_pylist()) + "\n").encode()


def _texts(column: pa.Array) -> pa.Array:
    """A column as Kaltura prints it, formula-guarded, vectorised except for floats (PHP's own
    rounding)."""
    kind = column.type
    if pa.types.is_floating(kind):
        text = pa.array(php_floats(column.to_pylist()), pa.string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "1", "")
    elif pa.types.is_timestamp(kind):  # a day (the report's date column)
        text = pc.strftime(column, "%Y-%m-%d")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = pc.replace_substring_regex(column, "[,\r\n]", " ")
    else:
        text = pc.cast(column, pa.string())
    return guard_array(pc.fill_null(text, ""))


def file_name(report_id: int, partner_id: int, params: Sequence[tuple[str, str | None]]) -> str:
    """``Report_<id>_<partner>[_<key>_<value>…].csv``, params added while the name stays under
    200 characters, as Kaltura names the download."""
    name = f"Report_{report_id}_{partner_id}"
    for key, value in [*params, ("partner_id", str(partner_id))]:
        longer = f"{name}_{key}_{value or ''}"
        if len(longer) >= 200:
            break
        name = longer
    return "".join(c if c.isalnum() or c in "_-." else "_" for c in name) + ".csv"
