"""Differential: the dashboard's session panels give the same rows on DuckDB and on chDB, for the
hand-worked class of tests/analytics/test_session_panels.py copied into chDB. Its own module
because chDB runs one engine per process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.analytics.conftest import FROM, TO, open_store
from tests.analytics.test_session_panels import CHANNEL, ENTRIES, ROOM, S1, USERS, events
from tests.chdb_copy import copied_into_chdb
from vantage.analytics import run
from vantage.analytics.period import Period
from vantage.analytics.session_panels import PanelQuery
from vantage.store.engine import Engine

Pair = tuple[Engine, Engine]
QUERIES = {
    "session": S1,
    "room with breakouts": ROOM,
    "a category's rooms": CHANNEL,
    "another partner": PanelQuery(frozenset({102}), Period(FROM, TO), "1_main", "s1"),
    "a local day": PanelQuery(frozenset({101}), Period(FROM + 3_600, TO - 3_600, -330), "1_main"),
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    path = tmp_path_factory.mktemp("panels") / "store.duckdb"
    with (
        open_store(path, ENTRIES, USERS, events()) as store,
        copied_into_chdb(store.engine, tmp_path_factory.mktemp("chdb-panels")) as chdb,
    ):
        yield store.engine, chdb


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_session_panels_agree(engines: Pair, name: str) -> None:
    duckdb, chdb = engines
    q = QUERIES[name]
    people = ["eve", "dan", "prof", "carol", "ghost"]
    timeline = run.timeline(duckdb, q)
    assert timeline, "the case has presence"
    assert run.timeline(chdb, q) == timeline
    assert run.heatmap(chdb, q, people) == run.heatmap(duckdb, q, people)
    interactions = run.interactions(duckdb, q)
    assert interactions, "the case has polls"
    assert run.interactions(chdb, q) == interactions
    on_stage = run.on_stage(duckdb, q)
    assert on_stage or name == "another partner", "prof was on stage"
    assert run.on_stage(chdb, q) == on_stage
