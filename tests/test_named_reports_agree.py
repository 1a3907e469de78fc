"""Differential: every report name of the catalog (vantage.analytics.catalog) gives the same
rows on DuckDB and on chDB, for each task type, over all time and over local days. Its own
module because chDB runs one engine per process: tests/test_engines_agree.py's store is closed
when this one opens.

The data is the hand-worked school and conference of tests/analytics, where every name has rows
(the small demo of test_engines_agree has no virtual event), copied into chDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.analytics.conftest import ENTRIES, USERS
from tests.analytics.conftest import events as school_events
from tests.analytics.conftest import open_store as open_conference
from tests.analytics.test_activity_reports import DAN
from tests.analytics.test_activity_reports import conference as conference_events
from tests.chdb_copy import copied_into_chdb
from tests.test_engines_agree import Engines, _same
from vantage.analytics import catalog
from vantage.store.engine import Engine


@pytest.fixture(scope="module")
def conference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    """The hand-worked school and conference of tests/analytics (every named report has rows
    there; the small demo has no virtual event), copied into chDB."""
    path = tmp_path_factory.mktemp("conference") / "store.duckdb"
    everything = [*school_events(), *conference_events()]  # sessions and presence too
    with (
        open_conference(path, ENTRIES, [*USERS, DAN], everything) as store,
        copied_into_chdb(store.engine, tmp_path_factory.mktemp("chdb-conference")) as chdb,
    ):
        yield store.engine, chdb, frozenset({101, 102})


def _named_cases() -> list[tuple[str, str, str]]:
    return [
        (name, case, period)
        for name, named in sorted(catalog.NAMES.items())
        if not name.isdigit()
        for case in (sorted(named.reports) if "" not in named.reports else ["all"])
        for period in ("all time", "local days")
    ]


def _utc(value: Any) -> Any:
    """A time as naive UTC: DuckDB gives naive times, chDB times in UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@pytest.mark.parametrize(("name", "case", "period"), _named_cases())
def test_every_named_report_agrees(conference: Engines, name: str, case: str, period: str) -> None:
    duckdb, chdb, partners = conference
    parameters: dict[str, Any] = {"appGuid": "app-7"} if name == "registration" else {}
    if case != "all":
        parameters["taskType"] = case
    if period == "local days":
        parameters |= {"from_date_id": "2026-08-03", "to_date_id": "2026-08-03"}
        parameters["timezone_offset"] = -330
    prepared = catalog.prepare(name, parameters, partners, frozenset({"7"}))

    def rows(engine: Engine) -> Any:
        ran = catalog.rows(engine, prepared)
        values = [tuple(_utc(v) for v in r.values()) for b in ran.batches for r in b.to_pylist()]
        return (ran.headers, values)

    on_duckdb, on_chdb = rows(duckdb), rows(chdb)
    if period == "all time":
        assert on_duckdb[1], "the conference has rows for every report"
    assert _same(on_duckdb, on_chdb), (on_duckdb[1][:3], on_chdb[1][:3])
