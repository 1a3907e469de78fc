"""Room reports and the report types over rooms read presence from the hourly presence facts
for the hours their range holds whole and from the events for the hours it cuts: for any
range, minutes present and the engagement rate equal a count over the events, worked out here
in Python."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.conftest import (
    ENGAGED,
    ENTRIES,
    IDLE,
    USERS,
    B,
    beats,
    ev,
    open_store,
    room_rows,
)
from vantage.analytics import query, run
from vantage.analytics.report_types import REPORTS
from vantage.ingest.store import Store

START = B - 5_400  # 08:30 UTC: periods over four hours
PEOPLE = ("prof", "alice", "bob")


def _school() -> list[dict[str, Any]]:
    rng = random.Random(6001)
    out: list[dict[str, Any]] = []
    for person in PEOPLE:
        out.append(ev("joinSession", person, START, role="participant"))
        states = [rng.choice([ENGAGED, IDLE]) for _ in range(4 * 360 // 7)]  # a period each 10 s
        out += beats(person, START + rng.randrange(0, 600), states)
    return out


EVENTS = _school()


@pytest.fixture(scope="module")
def hours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("hours") / "store.duckdb", ENTRIES, USERS, EVENTS) as s:
        yield s


def _expected(first: int, last: int) -> dict[str, tuple[float, float | None]]:
    """Per person: minutes present and the engaged share, from the events in [first, last]."""
    present: dict[str, float] = {}
    engaged: dict[str, float] = {}
    for e in EVENTS:
        if e["type"] == "viewPeriod" and first <= e["time"] < last + 1:
            seconds = e.get("viewTime", 10)
            present[e["userId"]] = present.get(e["userId"], 0) + seconds
            if e["tabFocused"]:
                engaged[e["userId"]] = engaged.get(e["userId"], 0) + seconds
    return {u: (s / 60, engaged.get(u, 0) / s) for u, s in present.items()}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.integers(START - 3_600, START + 5 * 3_600),
    length=st.integers(0, 5 * 3_600),
)
def test_any_range_counts_each_period_once(hours: Store, first: int, length: int) -> None:
    last = first + length
    rows = room_rows(hours.engine, 6001, f"from_date={first};to_date={last}", frozenset({101}))
    got = {
        r["c2"]: (r["c6"], r["c7"])
        for batch in rows.batches
        for r in batch.to_pylist()
        if r["c6"]  # people who joined without a period in the range have 0 minutes
    }
    expected = _expected(first, last)
    assert got.keys() == expected.keys()
    for person, (minutes, share) in expected.items():
        assert got[person][0] == pytest.approx(minutes, rel=1e-12)
        assert got[person][1] == pytest.approx(share, rel=1e-12)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.integers(START - 3_600, START + 5 * 3_600),
    length=st.integers(0, 5 * 3_600),
)
def test_the_webcast_engagement_report_counts_each_period_once(
    hours: Store, first: int, length: int
) -> None:
    last = first + length
    values = {"fromDate": first, "toDate": last}
    q = query.build(REPORTS[60010], frozenset({101}), values, None, {})
    table = run.get_table(hours.engine, q, None, 100, 1)
    expected = _expected(first, last)
    if not table.rows:  # nothing in the range
        assert not expected or length == 0
        return
    minutes = table.headers.index("live_view_time")  # union_live_meeting_view_time
    share = table.headers.index("combined_live_engaged_users_play_time_ratio")
    got = {row[0]: (row[minutes], row[share]) for row in table.rows if row[minutes]}
    assert got.keys() == expected.keys()
    for person, (present, engaged) in expected.items():
        assert got[person][0] == pytest.approx(present, rel=1e-12)
        assert got[person][1] == pytest.approx(engaged, rel=1e-12)
