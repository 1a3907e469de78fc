"""Running a custom report: parse its params, compile it, stream its rows from the engine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa

from vantage.reports.catalog import REPORTS, CustomReport
from vantage.reports.compiler import compile_report
from vantage.reports.params import ParamError, ReportQuery, build_query, split_params
from vantage.store.engine import Engine

BATCH_ROWS = 16_384


class ReportNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ReportRun:
    report: CustomReport
    query: ReportQuery
    headers: list[str]
    rows: Iterator[pa.RecordBatch]  # plain values, columns in the headers' order


def find(report_id: int) -> CustomReport:
    try:
        return REPORTS[report_id]
    except KeyError:
        raise ReportNotFound(report_id) from None


def run_custom(
    engine: Engine, report_id: int, params: str, partner_ids: frozenset[int]
) -> ReportRun:
    """Check everything up front (``ReportNotFound``, ``ParamError``), then stream lazily."""
    report = find(report_id)
    query = build_query(report, split_params(params), partner_ids)
    compiled = compile_report(report, query)
    rows = engine.query_batches(engine.dialect.sql(compiled.plan), (), BATCH_ROWS)
    return ReportRun(report, query, compiled.headers, rows)


__all__ = ["ParamError", "ReportNotFound", "ReportRun", "find", "run_custom"]
