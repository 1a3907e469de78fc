"""Every report on the demo school's data: each action answers for every interval, time zone,
drill-down and order; tables add up to their totals; and the hourly facts equal the beacons
they were written with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from tests.demo.conftest import open_store
from tests.player.facts_sql import FRESH, STORED
from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS, header_of
from vantage.demo import generate
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.kaltura.services.report_views import MAX_RESULT_SIZE

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
START = int((NOW - dt.timedelta(days=30)).timestamp())
END = int(NOW.timestamp()) - 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, frozenset[int]]]:
    store = open_store(tmp_path_factory.mktemp("kava") / "demo.duckdb")
    generate(store, seed=2, events=5_000, player_events=20_000, now=NOW)
    partners = frozenset(int(p) for (p,) in store.engine.query("SELECT id FROM partners"))
    yield store, partners
    store.close()


def _query(
    report_id: int, partners: frozenset[int], object_ids: str | None = None, **values: object
) -> kq.ReportQuery:
    given = {"fromDate": START, "toDate": END, **values}
    return kq.build(REPORTS[report_id], partners, given, object_ids, {})


def test_the_facts_equal_the_beacons_they_were_written_with(
    demo: tuple[Store, frozenset[int]],
) -> None:
    store, _ = demo
    stored, fresh = STORED, FRESH
    assert store.engine.query("SELECT count(*) FROM player_facts")[0][0] > 100
    assert store.engine.query(f"({stored}) EXCEPT ({fresh})") == []
    assert store.engine.query(f"({fresh}) EXCEPT ({stored})") == []


@pytest.mark.parametrize("report_id", sorted(REPORTS))
@pytest.mark.parametrize(
    "values",
    [
        {"interval": "days"},
        {"interval": "months", "timeZoneOffset": 300},
        {"interval": "hours", "timeZoneOffset": -330},
        {"interval": "ten_minutes"},
        {"fromDate": START + 1_234, "toDate": END - 4_321},  # partial hours at both ends
    ],
    ids=["days", "months-utc-5", "hours-utc+5:30", "ten-minutes", "partial-hours"],
)
def test_every_action_answers(
    demo: tuple[Store, frozenset[int]], report_id: int, values: dict[str, object]
) -> None:
    store, partners = demo
    q = _query(report_id, partners, **values)
    table = shown.table(store.engine, q, None, 50, 1)
    assert table.total_count >= len(table.rows)
    assert all(len(row) == len(table.headers) for row in table.rows)
    for action in (shown.total, shown.graphs):
        try:
            action(store.engine, q)
        except kq.QueryError:
            report = REPORTS[report_id]
            assert report.graphs is None or not report.has_total


@pytest.mark.parametrize("report_id", sorted(r for r in REPORTS if REPORTS[r].dimension))
def test_every_order_and_the_drill_down_answer(
    demo: tuple[Store, frozenset[int]], report_id: int
) -> None:
    store, partners = demo
    report = REPORTS[report_id]
    first = shown.table(store.engine, _query(report_id, partners), None, 5, 1)
    for header in first.headers:
        for sign in "+-":
            ordered = shown.table(store.engine, _query(report_id, partners), sign + header, 5, 1)
            assert ordered.total_count == first.total_count
    if first.rows and report.dimension is not None and not report.minute_timeline:
        value = str(first.rows[0][0])
        drilled = shown.table(store.engine, _query(report_id, partners, value), None, 5, 1)
        assert drilled.total_count >= 1


@pytest.mark.parametrize("report_id", [1, 2, 6, 21, 22, 23, 30, 36, 37, 45, 13])
def test_tables_add_up_to_their_totals(demo: tuple[Store, frozenset[int]], report_id: int) -> None:
    store, partners = demo
    q = _query(report_id, partners)
    table = shown.table(store.engine, q, None, MAX_RESULT_SIZE, 1)
    total = shown.total(store.engine, q)
    assert table.total_count == len(table.rows) > 0
    for name in ("count_plays", "count_loads", "count_plays_25", "count_plays_100"):
        if name in table.headers and name in total.headers:
            at = table.headers.index(name)
            assert sum(row[at] for row in table.rows) == total.values[total.headers.index(name)]
    metrics = [header_of(c) for c in REPORTS[report_id].table]
    assert table.headers[-len(metrics) :] == tuple(metrics)
