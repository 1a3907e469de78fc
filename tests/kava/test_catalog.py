"""Every declared KAVA report against Kaltura's headers (tests/reports/kava_golden.py), and
every declared report answering all its actions on a real store."""

from __future__ import annotations

import pytest

from tests.reports.kava_golden import GOLDEN, Golden
from vantage.kava import query as kq
from vantage.kava import run
from vantage.kava.catalog import REPORTS, header_of
from vantage.kava.compiler import table_dimension
from vantage.store.store import Store

IDS = sorted(REPORTS)
# Bases of multi-account reports beyond the seed guide's list: their twins' headers.
TWINS = {25: 20022, 44: 20018}


def _golden(report_id: int) -> Golden:
    return GOLDEN[TWINS.get(report_id, report_id)]


def _query(report_id: int, **options: object) -> kq.KavaQuery:
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
    table = run.get_table(store.engine, q, None, 10, 1)
    if REPORTS[report_id].minute_timeline:  # every minute of the day, zero-filled
        assert table.total_count == 1440 and table.rows[0][1:] == (0,)
    elif REPORTS[report_id].zero_fill and REPORTS[report_id].dimension is None:
        assert [set(row[1:]) for row in table.rows] == [{0}] * 2  # every day, zero-filled
    else:
        assert (table.headers, table.rows, table.total_count) == ((), [], 0)
    if REPORTS[report_id].zero_fill:  # totals of zero-filled series are 0, not empty
        assert set(run.get_total(store.engine, q).values or ()) == {0}
    elif REPORTS[report_id].has_total:
        assert run.get_total(store.engine, q).values is None
    else:
        with pytest.raises(kq.QueryError):
            run.get_total(store.engine, q)
    if REPORTS[report_id].graphs is None:
        with pytest.raises(kq.QueryError):
            run.get_graphs(store.engine, q)
    else:
        graphs = run.get_graphs(store.engine, q)
        report = REPORTS[report_id]
        for g in graphs:
            if report.zero_fill:
                assert [v for _, v in g.points] == [0, 0]  # two days
            elif g.id != report.graph_name:
                assert g.points == []


def test_the_reports_not_yet_declared_are_known() -> None:
    """Kaltura's report types of the seed guide that Vantage does not serve yet."""
    assert sorted(set(GOLDEN) - set(REPORTS)) == [
        *(60, 201, 20004, 20021, 20023),
    ]
