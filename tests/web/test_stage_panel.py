"""The stage participation panel and its twin, on the class of
tests/analytics/test_stage_participation.py (its docstring works out every number)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.analytics.conftest import open_store
from tests.analytics.test_stage_participation import ENTRIES, EVENTS, USERS
from tests.web.conftest import DAY, add_categories, signed_in_dashboard
from vantage.ingest.store import Store

PANEL = "/analytics/rooms/1_main/panels/stage"


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("stage-web") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, EVENTS) as store:
        add_categories(store)
        yield store


@pytest.fixture(scope="module")
def client(stage: Store) -> TestClient:
    return signed_in_dashboard(stage)


def test_the_twin_lists_who_was_on_stage(client: TestClient) -> None:
    twin = client.get(PANEL + ".json", params={**DAY, "session": "s1"}).json()
    assert [
        (p["user_id"], p["name"], p["role"], p["on_stage_seconds"], p["present_seconds"])
        for p in twin["people"]
    ] == [("prof", "Ada Lovelace", "host", 60.0, 90.0), ("eve", None, "speaker", 30.0, 50.0)]
    assert [p["share"] for p in twin["people"]] == [pytest.approx(2 / 3), pytest.approx(0.6)]


def test_the_fragment_shows_the_twins_numbers(client: TestClient) -> None:
    html = client.get(PANEL, params={**DAY, "tz": "Europe/Paris", "session": "s1"}).text
    # prof: 1 minute on stage, 66.7% of his time, 12:00:00 to 12:00:50 in Paris (10:00 UTC)
    assert '<th scope="row">Ada Lovelace</th><td>host</td>\n      <td>1.0 min</td>' in html
    assert "<td>66.7%" in html
    assert "<td>2026-08-03 12:00:00</td><td>2026-08-03 12:00:50</td>" in html
    # eve: half a minute, 60%, 12:02:00 to 12:02:20
    assert '<th scope="row">eve</th><td>speaker</td>\n      <td>0.5 min</td>' in html
    assert "<td>2026-08-03 12:02:00</td><td>2026-08-03 12:02:20</td>" in html
    assert "Presented media is not shown" in html


def test_the_room_without_a_session_includes_its_breakouts(client: TestClient) -> None:
    twin = client.get(PANEL + ".json", params=DAY).json()
    assert [p["user_id"] for p in twin["people"]] == ["prof", "eve", "carol"]


def test_a_channel_lists_who_was_on_stage_in_its_rooms(client: TestClient) -> None:
    twin = client.get("/analytics/categories/5/panels/stage.json", params=DAY).json()
    assert [p["user_id"] for p in twin["people"]] == ["prof", "eve", "carol"]
