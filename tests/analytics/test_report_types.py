"""Every declared KAVA report against Kaltura's headers (tests/analytics/kaltura_headers.py), and
every declared report answering all its actions on a real store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.analytics.kaltura_headers import GOLDEN, Golden
from vantage.analytics import query as kq
from vantage.analytics.compiler import table_dimension
from vantage.analytics.metrics import METRICS
from vantage.analytics.report_types import REPORTS, column_metrics, header_of
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown

IDS = sorted(REPORTS)
# Bases of multi-account reports beyond the seed guide's list: their twins' headers.
TWINS = {25: 20022, 44: 20018}


def _golden(report_id: int) -> Golden:
    if report_id == 17:  # USER_USAGE: its twin 20004 without the partner column
        twin = GOLDEN[20004]
        assert twin.table is not None
        return replace(twin, table=tuple(h for h in twin.table if h != "partner_id"))
    return GOLDEN[TWINS.get(report_id, report_id)]


def _query(report_id: int, **options: object) -> kq.ReportQuery:
    values = {"fromDate": 1_700_000_000, "toDate": 1_700_086_399}
    return kq.build(REPORTS[report_id], frozenset({1}), values, None, options)


@pytest.mark.parametrize("report_id", IDS)
def test_table_headers_are_kalturas(report_id: int) -> None:
    report, golden = REPORTS[report_id], _golden(report_id)
    metrics = tuple(header_of(c) for c in report.table)
    if report.dimension is None:
        assert ("date_id", *metrics) == golden.table
    else:
        assert (*report.dimension.headers, *metrics) == golden.table
    if golden.table_drilldown is not None:
        assert report.drilldown is not None
        assert (*report.drilldown.headers, *metrics) == golden.table_drilldown
    if golden.friendly_table is not None:
        friendly = table_dimension(_query(report_id, useFriendlyHeadersNames=True))
        assert friendly is not None
        assert (*friendly.headers, *metrics) == golden.friendly_table


@pytest.mark.parametrize("report_id", IDS)
def test_total_and_graph_headers_are_kalturas(report_id: int) -> None:
    report, golden = REPORTS[report_id], _golden(report_id)
    totals = tuple(header_of(c) for c in report.totals) if report.has_total else None
    assert totals == golden.total
    graphs = None
    if report.graphs is not None:
        graphs = (
            (report.graph_name,)
            if report.graph_name
            else tuple(header_of(c) for c in report.graphs)
        )
    assert graphs == golden.graphs


@pytest.mark.parametrize("report_id", IDS)
def test_every_report_answers_every_action_on_an_empty_store(store: Store, report_id: int) -> None:
    q = _query(report_id)
    report = REPORTS[report_id]
    table = shown.table(store.engine, q, None, 10, 1)
    # what an empty store gives in a zero-filled row: 0, or empty for what Vantage has no data of
    zeros = {0} | ({""} if any(METRICS[m].empty for m in column_metrics(report.table)) else set())
    if report.minute_timeline:  # every minute of the day, zero-filled
        assert table.total_count == 1440 and table.rows[0][1:] == (0,)
    elif (report.zero_fill or report.usage) and report.dimension is None:
        assert [set(row[1:]) for row in table.rows] == [zeros] * 2  # every day, zero-filled
    else:
        assert (table.headers, table.rows, table.total_count) == ((), [], 0)
    if report.zero_fill or (report.usage and report.dimension is None):
        # totals of zero-filled series are 0, not empty
        assert set(shown.total(store.engine, q).values or ()) == zeros
    elif report.has_total:
        assert shown.total(store.engine, q).values is None
    else:
        with pytest.raises(kq.QueryError):
            shown.total(store.engine, q)
    if REPORTS[report_id].graphs is None:
        with pytest.raises(kq.QueryError):
            shown.graphs(store.engine, q)
    else:
        graphs = shown.graphs(store.engine, q)
        for g in graphs:
            if report.zero_fill or report.usage:
                assert [v for _, v in g.points] in ([0, 0], ["", ""])  # two days
            elif g.id != report.graph_name:
                assert g.points == []


def test_every_report_of_the_seed_guide_is_declared() -> None:
    assert sorted(set(GOLDEN) - set(REPORTS)) == []


def test_the_usage_notions_are_used_where_they_mean_something() -> None:
    """Running and post-usage metrics only in usage reports' series; empty metrics are Kaltura's
    sources Vantage has no data of; base totals are cumulative metrics."""
    for report in REPORTS.values():
        series = (report.table, report.totals) if report.dimension is None else ()
        for columns in (*series, report.graphs or ()):
            for name in column_metrics(columns):
                if METRICS[name].running is not None:
                    assert report.usage, f"{report.id} has running {name} but is no usage report"
                if report.usage:  # a day's value of a cumulative metric is its running one
                    assert not METRICS[name].cumulative, f"{report.id}: {name} in a series"
        if report.dimension is not None:  # a table of rows: nothing running there
            assert not any(METRICS[m].running for m in column_metrics(report.totals))
        assert all(METRICS[m].cumulative for m in report.base_total)
    for metric in METRICS.values():
        if metric.running is not None:
            cumulative, removed = metric.running
            assert METRICS[cumulative].cumulative and not METRICS[removed].cumulative
