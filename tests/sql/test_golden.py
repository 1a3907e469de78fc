"""Golden SQL: the text a few plans compile to in each dialect, so that a change in generated
SQL is seen in review. After a deliberate change, write the files again with
``VANTAGE_UPDATE_GOLDEN=1 pytest tests/sql/test_golden.py`` and read the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vantage.analytics.metrics import METRICS
from vantage.player import facts
from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Col, Time, all_of
from vantage.sql.plan import Query, Select, Table
from vantage.sql.render import Dialect

GOLDEN = Path(__file__).parent / "golden"
DIALECTS: dict[str, Dialect] = {
    "duckdb": DuckDB(),
    "clickhouse": ClickHouse(versioned=frozenset({"entries", "users"})),
}

_RECEIVED = Col("received_at", facts.B)
_DASHBOARD = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "unique_known_users",
    "avg_completion_rate",
    "total_completion_rate",
)

PLANS: dict[str, Query] = {
    # the raw beacons of a partial hour, as a report reads them
    "raw_facts": facts.aggregate(
        Table("player_events"),
        where=all_of(
            (
                Col("partner_id", facts.B).isin([101]),
                _RECEIVED.ge(Time(1_717_200_000_000_000)),
                _RECEIVED.lt(Time(1_717_201_800_000_000)),
            )
        ),
    ),
    # fact rows merged per keys (compaction)
    "merged_facts": facts.combined(Table("player_facts")),
    # the dashboard's totals over the facts
    "dashboard_totals": Select(
        tuple((name, METRICS[name].expr) for name in _DASHBOARD),
        Table("player_facts"),
        "f",
        where=Col("partner_id", "f").isin([101]),
    ),
}


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize("plan", sorted(PLANS))
def test_golden_sql(plan: str, dialect: str) -> None:
    text = DIALECTS[dialect].sql(PLANS[plan]) + "\n"
    path = GOLDEN / f"{plan}.{dialect}.sql"
    if os.environ.get("VANTAGE_UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"{path.name} is missing: write it with VANTAGE_UPDATE_GOLDEN=1"
    assert text == path.read_text(), f"{path.name} changed: see the module docstring"
