"""Reading a KAVA report request: the interval's spellings, and ranges cut to the times the
store and Python's dates hold (any 64-bit fromDate, toDate, fromDay or toDay runs)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.test_formulas import PLAY, T, beacon, graphs, query, send
from vantage.analytics import query as kq
from vantage.analytics.period import EARLIEST, LATEST
from vantage.analytics.report_types import REPORTS
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown

INT64 = st.integers(-(2**63), 2**63 - 1)
DAYS = st.one_of(st.integers(1, 99_991_231).map(lambda d: f"{d:08d}"), st.text(max_size=9))


def build(report_id: int, **values: Any) -> kq.ReportQuery:
    return kq.build(REPORTS[report_id], frozenset({101}), values, None, {"skipEmptyDates": False})


def test_ranges_are_cut_to_what_the_store_holds() -> None:
    q = build(34, fromDate=-99_999_999_999_999, toDate=99_999_999_999_999)
    assert (q.start, q.end) == (EARLIEST, LATEST)
    q = build(34, fromDay="00010101", toDay="99991231", timeZoneOffset=-840)
    assert (q.start, q.end) == (EARLIEST, LATEST)
    q = build(34, fromDate=1_750_000_000, toDate=1_750_086_399)
    assert (q.start, q.end) == (1_750_000_000, 1_750_086_400)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    report_id=st.sampled_from([1, 34, 40011, 60, 2, 17]),
    dates=st.one_of(
        st.fixed_dictionaries({"fromDate": INT64, "toDate": INT64}),
        st.fixed_dictionaries({"fromDay": DAYS, "toDay": DAYS}),
    ),
    interval=st.sampled_from(kq.INTERVALS),
    offset=INT64,
)
def test_any_range_runs(
    store: Store, report_id: int, dates: dict[str, Any], interval: str, offset: int
) -> None:
    q = build(report_id, interval=interval, timeZoneOffset=offset, **dates)
    assert EARLIEST <= q.start <= LATEST and EARLIEST <= q.end <= LATEST
    try:
        shown.table(store.engine, q, None, 10, 1)
        if q.report.graphs:
            shown.graphs(store.engine, q)
    except kq.QueryError:  # what Kaltura answers INTERNAL_SERVERL_ERROR to, by design
        pytest.fail("a first page always runs")


def test_the_seed_guides_ten_seconds_is_ten_seconds(store: Store) -> None:
    send(store, T, beacon(PLAY, "s1"))
    send(store, T + 25, beacon(PLAY, "s2"))
    seed = query(1, interval="tenSeconds")
    assert seed.interval == "ten_seconds"
    # one play in the bucket of T, one in the bucket of T + 20
    assert graphs(store, seed) == graphs(store, query(1, interval="ten_seconds"))
    assert [value for _, value in graphs(store, seed)["count_plays"]] == [1, 1]
