"""Differential: every report gives the same answer on DuckDB and on chDB from the same
events. Every KAVA report type, for each action it answers (getTable, getTotal, getGraphs),
over a set of intervals, time zones, partial hours, orders and drill-downs; every room (CSV)
report over its date range, a day range in a time zone and each filter it takes. The cases are
generated from the catalogs: a report added later is covered without writing a test.

The demo school is written once to DuckDB through Vantage's own writers, then copied into
chDB (vantage.store.copy), whose materialized view builds the hourly facts again. Whole
numbers, texts and labels must be equal; real numbers equal to a relative 1e-9, because the
engines add floating-point numbers in different orders.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.analytics.conftest import room_rows
from tests.chdb_copy import copied_into_chdb
from tests.demo.conftest import open_store
from vantage.analytics import query as kq
from vantage.analytics import run
from vantage.analytics.report_types import REPORTS
from vantage.analytics.room_reports import REPORTS as ROOM_REPORTS
from vantage.analytics.room_reports import Filter
from vantage.demo import generate
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.store.engine import Engine

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
START = int((NOW - dt.timedelta(days=30)).timestamp())
END = int(NOW.timestamp()) - 1

VARIANTS: dict[str, dict[str, object]] = {
    "days": {"interval": "days"},
    "months-utc-5": {"interval": "months", "timeZoneOffset": 300},
    "hours-utc+5:30": {"interval": "hours", "timeZoneOffset": -330},
    "ten-minutes": {"interval": "ten_minutes", "fromDate": END - 2 * 86_400},
    "partial-hours": {"fromDate": START + 1_234, "toDate": END - 4_321},
    "live": {"playbackTypeIn": "live,dvr", "interval": "days"},
}

Engines = tuple[Engine, Engine, frozenset[int]]


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    store: Store = open_store(tmp_path_factory.mktemp("duckdb") / "demo.duckdb")
    generate(store, seed=3, events=5_000, player_events=20_000, now=NOW)
    partners = frozenset(int(p) for (p,) in store.engine.query("SELECT id FROM partners"))
    try:
        with copied_into_chdb(store.engine, tmp_path_factory.mktemp("chdb")) as chdb:
            yield store.engine, chdb, partners
    finally:
        store.close()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a == "" or b == "":
            return a == b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _answer(action: Callable[[Engine], Any], engine: Engine) -> Any:
    try:
        return action(engine)
    except kq.QueryError as exc:
        return ("QueryError", str(exc))


def _agree(engines: Engines, action: Callable[[Engine], Any]) -> None:
    duckdb, chdb, _ = engines
    on_duckdb, on_chdb = _answer(action, duckdb), _answer(action, chdb)
    assert _same(_plain(on_duckdb), _plain(on_chdb)), (on_duckdb, on_chdb)


def _plain(answer: Any) -> Any:
    """Tables, totals and graphs as nested tuples."""
    if isinstance(answer, shown.run.Table):
        return (answer.headers, [tuple(r) for r in answer.rows], answer.total_count)
    if isinstance(answer, shown.run.Total):
        return (answer.headers, answer.values)
    if isinstance(answer, list):
        return [_plain(a) for a in answer]
    if isinstance(answer, shown.run.Graph):
        return (answer.id, [tuple(p) for p in answer.points])
    return answer


def _query(
    report_id: int, partners: frozenset[int], objects: str | None, **values: object
) -> kq.ReportQuery:
    given = {"fromDate": START, "toDate": END, **values}
    return kq.build(REPORTS[report_id], partners, given, objects, {})


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("report_id", sorted(REPORTS))
def test_every_action_agrees(engines: Engines, report_id: int, variant: str) -> None:
    q = _query(report_id, engines[2], None, **VARIANTS[variant])
    _agree(engines, lambda e: shown.table(e, q, None, 25, 1))
    _agree(engines, lambda e: shown.total(e, q))
    _agree(engines, lambda e: shown.graphs(e, q))
    if REPORTS[report_id].base_total:
        _agree(engines, lambda e: shown.base_total(e, q))


@pytest.mark.parametrize("report_id", sorted(r for r in REPORTS if REPORTS[r].recordings))
def test_the_recordings_of_rooms_agree(engines: Engines, report_id: int) -> None:
    """``entryIdIn`` of rooms with recordings (their ``rootEntryId``), and ``rootEntryIdIn``."""
    duckdb, _, partners = engines
    rooms = ",".join(
        str(r)
        for (r,) in duckdb.query(
            "SELECT DISTINCT root_entry_id FROM entries WHERE root_entry_id IS NOT NULL "
            "ORDER BY 1 LIMIT 5"
        )
    )
    q = _query(report_id, partners, None, entryIdIn=rooms)
    assert shown.total(duckdb, q).values is not None  # the recordings were played
    _agree(engines, lambda e: shown.table(e, q, None, 25, 1))
    _agree(engines, lambda e: shown.total(e, q))
    _agree(engines, lambda e: shown.graphs(e, q))
    by_root = _query(report_id, partners, None, rootEntryIdIn=rooms)
    _agree(engines, lambda e: shown.table(e, by_root, None, 25, 1))


@pytest.mark.parametrize("report_id", sorted(r for r in REPORTS if REPORTS[r].dimension))
def test_every_order_and_drill_down_agrees(engines: Engines, report_id: int) -> None:
    duckdb, _, partners = engines
    q = _query(report_id, partners, None)
    first = shown.table(duckdb, q, None, 5, 1)
    for header in first.headers:
        for sign in "+-":
            _agree(engines, lambda e, o=sign + header: shown.table(e, q, o, 5, 2))
    if first.rows and not REPORTS[report_id].minute_timeline:
        drilled = _query(report_id, partners, str(first.rows[0][0]))
        _agree(engines, lambda e: shown.table(e, drilled, None, 10, 1))
        _agree(engines, lambda e: shown.graphs(e, drilled))


@pytest.mark.parametrize("report_id", [60006, 60007])
def test_room_viewers_by_their_joins_client_agree(engines: Engines, report_id: int) -> None:
    """Room presence under the device and country of each person's latest join: a few rooms,
    with and without filters on those keys (which then apply to room rows too)."""
    duckdb, _, partners = engines
    rooms = ",".join(
        str(r)
        for (r,) in duckdb.query(
            "SELECT DISTINCT entry_id FROM room_events WHERE device IS NOT NULL ORDER BY 1 LIMIT 5"
        )
    )
    ((country,),) = duckdb.query(
        "SELECT min(country) FROM room_events WHERE event_type = 'joinSession'"
    )
    for values in (
        {"entryIdIn": rooms},
        {"entryIdIn": rooms, "deviceIn": "Mobile", "interval": "ten_minutes"},
        {"countryIn": country, "fromDate": START + 1_234},
    ):
        q = _query(report_id, partners, None, **values)
        assert shown.table(duckdb, q, None, 25, 1).rows  # the joins said something
        _agree(engines, lambda e, q=q: shown.table(e, q, None, 25, 1))
        _agree(engines, lambda e, q=q: shown.total(e, q))


# A value of each room report filter that the demo's events have, found on DuckDB.
_FILTER_VALUES = {
    Filter.ENTRY_IDS: "SELECT min(entry_id) FROM room_events",
    Filter.PARENT_ENTRY_IDS: "SELECT min(parent_entry_id) FROM entries",
    Filter.USER_IDS: "SELECT min(user_id) FROM room_events",
    Filter.SESSION_IDS: "SELECT min(session_id) FROM room_events",
    Filter.VIRTUAL_EVENT_IDS: "SELECT CAST(min(virtual_event_id) AS VARCHAR) FROM entries",
    Filter.CATEGORY_IDS: "SELECT CAST(min(id) AS VARCHAR) FROM categories",
}


def _room_cases() -> list[tuple[int, str]]:
    cases = []
    for report_id in sorted(ROOM_REPORTS):
        report = ROOM_REPORTS[report_id]
        cases.append((report_id, "range"))
        cases.append((report_id, "days"))
        cases += [(report_id, f.value) for f in sorted(report.filters, key=lambda f: f.value)]
    return cases


def _rows(engine: Engine, report_id: int, params: str, partners: frozenset[int]) -> Any:
    ran = room_rows(engine, report_id, params, partners)
    return (ran.headers, [tuple(r.values()) for b in ran.batches for r in b.to_pylist()])


@pytest.mark.parametrize(("report_id", "case"), _room_cases())
def test_every_room_report_agrees(engines: Engines, report_id: int, case: str) -> None:
    duckdb, chdb, partners = engines
    report = ROOM_REPORTS[report_id]
    params = f"from_date={START};to_date={END}"
    if case == "days":
        params = "from_date_id=20250510;to_date_id=20250520;timezone_offset=-330"
    elif case != "range":
        (value,) = duckdb.query(_FILTER_VALUES[Filter(case)])[0]
        params += f";{case}={value}"
    if report.required_params:
        (user,) = duckdb.query(_FILTER_VALUES[Filter.USER_IDS])[0]
        params += "".join(f";{p}={user}" for p in report.required_params)
    on_duckdb = _rows(duckdb, report_id, params, partners)
    on_chdb = _rows(chdb, report_id, params, partners)
    if case == "range" and report_id in (6000, 6001, 4021, 3006):  # the demo has their rows
        assert on_duckdb[1]
    assert _same(on_duckdb, on_chdb), (on_duckdb[1][:3], on_chdb[1][:3])


@pytest.mark.parametrize("variant", ["days", "partial-hours", "live"])
def test_totals_in_one_statement_are_each_reports_own(engines: Engines, variant: str) -> None:
    """The dashboard's tiles in one statement (60001 and 60010 totals, 60001's twice, so one
    select answers both, and 60010's rows above 0) equal getTotal of each and the rows of
    getTable, on both engines."""
    partners = engines[2]
    queries = [_query(r, partners, None, **VARIANTS[variant]) for r in (60001, 60010, 60001)]
    table = queries[1]
    headers = ["count_reaction_clicked", "count_poll_answered", "live_view_time"]
    for engine in engines[:2]:
        totals, above = run.totals_and_above_zero(engine, queries, table, headers)
        each = [run.get_total(engine, q) for q in queries]
        assert _same([_plain(t) for t in totals], [_plain(t) for t in each]), (totals, each)
        rows = run.get_table(engine, table, None, 10_000, 1)
        assert rows.total_count < 10_000  # one page holds every row
        counted = {
            h: sum(1 for r in rows.rows if (r[rows.headers.index(h)] or 0) > 0) for h in headers
        }
        assert (above.rows, above.counts) == (rows.total_count, counted)
    assert totals[0].values, "the demo's rooms have rows"


@pytest.mark.parametrize("report_id", [60001, 60010])
def test_a_category_is_its_rooms(engines: Engines, report_id: int) -> None:
    """A category's entries (rooms and recordings), read by the category or by their ids, give
    the same numbers on both engines."""
    duckdb, _, partners = engines
    category, ids = duckdb.query(
        "SELECT c, list(id ORDER BY id) FROM (SELECT unnest(category_ids) AS c, id, kind "
        "FROM entries) GROUP BY 1 ORDER BY count(*) FILTER (WHERE kind = 'room') DESC, 1 LIMIT 1"
    )[0]
    by_category = _query(report_id, partners, None, categoriesIdsIn=str(category))
    by_rooms = _query(report_id, partners, None, entryIdIn=",".join(ids))
    for engine in engines[:2]:
        total = _plain(shown.total(engine, by_category))
        assert total[1], "the category's rooms have rows"
        assert _same(total, _plain(shown.total(engine, by_rooms)))
    _agree(engines, lambda e: shown.total(e, by_category))
    _agree(engines, lambda e: shown.table(e, by_category, None, 25, 1))
