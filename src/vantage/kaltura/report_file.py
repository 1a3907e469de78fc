"""The CSV file of report.getUrlForReportAsCsv, laid out as Kaltura writes it
(kaltura-report-service §13): title, dates and text, then the graph, total and table sections
under the caller's own column names, every cell quoted and guarded against spreadsheet
formulas, after a UTF-8 byte order mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vantage.csv_cells import guard
from vantage.kaltura.values import php_string

RULE = "# ------------------------------------"
# Kaltura's graph labels stay as they are for these report types (label, value pairs).
RAW_GRAPH_TYPES = frozenset({2, 14, 22, 23})
# A table column the caller names in gigabytes while the report gives megabytes.
GB_COLUMNS = {
    "Avg Storage (GB)": "average_storage",
    "Bandwidth (GB)": "bandwidth_consumption",
    "Transcoding (GB)": "transcoding_consumption",
}


def cell(value: Any) -> str:
    """One quoted cell, guarded against formulas (vantage.csv_cells)."""
    return '"' + guard(php_string(value)).replace('"', '""') + '"'


def line(*values: Any) -> str:
    return ",".join(cell(v) for v in values) + "\n"


def day_text(unix: int) -> str:
    """``Sunday, June 1, 2025`` (PHP's ``l, F j, Y``, UTC)."""
    moment = dt.datetime.fromtimestamp(unix, dt.UTC)
    return f"{moment:%A, %B} {moment.day}, {moment.year}"


def label_text(label: str) -> str:
    """A graph's date label for people: ``Jun 2025``, ``Sunday, June 1, 2025 13:00:00``."""
    formats = {6: "%Y%m", 8: "%Y%m%d", 10: "%Y%m%d%H"}
    if not label.isdigit() or len(label) not in formats:
        return label
    moment = dt.datetime.strptime(label, formats[len(label)]).replace(tzinfo=dt.UTC)
    if len(label) == 6:
        return f"{moment:%b %Y}"
    text = day_text(int(moment.timestamp()))
    return f"{text} {moment:%H:%M:%S}" if len(label) == 10 else text


@dataclass(frozen=True)
class Section:
    names: list[str]  # the caller's column names
    headers: Sequence[str]  # the report's own, in its order
    rows: Sequence[Sequence[Any]]


def in_gigabytes(section: Section) -> list[list[Any]]:
    """The rows cut to the caller's columns, megabytes shown as gigabytes where asked."""
    divide = [
        GB_COLUMNS.get(name) == (section.headers[i] if i < len(section.headers) else None)
        for i, name in enumerate(section.names)
    ]
    cut = []
    for row in section.rows:
        values = list(row[: len(section.names)])
        cut.append(
            [
                v / 1024 if d and isinstance(v, int | float) else v
                for v, d in zip(values, divide, strict=False)
            ]
        )
    return cut


def document(
    title: str,
    text: str,
    start: int,
    end: int,
    graph: list[tuple[str, Any]] | None,
    raw_labels: bool,
    total: Section | None,
    table: Section | None,
    total_count: int,
) -> bytes:
    """The file: ``graph`` is None when the report has no graphs (no graph section), else the
    points of the graph the caller named (possibly none)."""
    out = [
        "\ufeff",
        line(title),
        line(day_text(start), day_text(end)),
        line(text),
        line(RULE),
        line(""),
    ]
    if graph is not None:
        out += [line(RULE), line("# Graph"), line(RULE), line("")]
        out += [line(label if raw_labels else label_text(label), value) for label, value in graph]
    if total is not None and total.rows:
        out += [line(""), line(RULE), line("# Total"), line(RULE), line(*total.names)]
        out += [line(*row) for row in in_gigabytes(total)]
    if table is not None and table.rows:
        out += [line(""), line(RULE), line("# Table", "", "Total Count", total_count), line(RULE)]
        out += [line(*table.names)] + [line(*row) for row in in_gigabytes(table)]
    return "".join(out).encode()
