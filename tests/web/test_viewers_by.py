"""The countries and top devices panels and their twins, on the class of
tests/analytics/test_countries_and_devices.py (its docstring works out every number): the twin
is the Kaltura API's getTable of 60007 / 60006 for the same range and room or category."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.analytics.test_countries_and_devices import open_class
from tests.web.conftest import DAY, add_categories, make_ks, signed_in_dashboard
from vantage.ingest.store import Store

ROOM = "/analytics/rooms/1_main"
CHANNEL = "/analytics/categories/5"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_class(tmp_path_factory.mktemp("clients-web") / "store.duckdb") as store:
        add_categories(store)
        yield store


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return signed_in_dashboard(store)


def _table(client: TestClient, store: Store, report: int, **where: str) -> list[dict[str, str]]:
    """Every row of the report's getTable for 2026-08-03 (UTC), as the API prints it."""
    data = {
        "format": "1",
        "ks": make_ks(store),
        "reportType": str(report),
        "reportInputFilter[objectType]": "KalturaReportInputFilter",
        "reportInputFilter[fromDate]": "1785715200",  # 2026-08-03 00:00 UTC
        "reportInputFilter[toDate]": "1785801599",
        "pager[pageSize]": "500",
        **{f"reportInputFilter[{k}]": v for k, v in where.items()},
    }
    body = client.post("/api_v3/service/report/action/getTable", data=data).json()
    header = body["header"].split(",")
    lines = [line for line in body["data"].split(";") if line]
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines]
    assert len(rows) == int(body["totalCount"])
    return rows


def _same(twin: dict[str, Any], api: list[dict[str, str]]) -> None:
    """The twin's rows are the API's, each value as printed (an unknown name is empty)."""
    assert twin["total_count"] == len(api) and twin["more"] == 0
    ours = [{k: "" if v is None else str(v) for k, v in row.items()} for row in twin["rows"]]
    key = twin["column"]
    assert sorted(ours, key=lambda r: r[key]) == sorted(api, key=lambda r: r[key])


@pytest.mark.parametrize(
    ("page", "where"),
    [(ROOM, {"entryIdIn": "1_main"}), (CHANNEL, {"categoriesIdsIn": "5"})],
)
def test_the_twins_are_the_kaltura_apis_tables(
    client: TestClient, store: Store, page: str, where: dict[str, str]
) -> None:
    devices = client.get(page + "/panels/devices.json", params=DAY).json()
    _same(devices, _table(client, store, 60006, **where))
    countries = client.get(page + "/panels/countries.json", params=DAY).json()
    _same(countries, _table(client, store, 60007, **where))


def test_the_twins_order_by_live_and_recording_viewers(client: TestClient) -> None:
    devices = client.get(ROOM + "/panels/devices.json", params=DAY).json()
    assert devices["column"] == "device"
    assert [
        (r["device"], r["unique_combined_live_viewers"], r["unique_vod_viewers"])
        for r in devices["rows"]
    ] == [("Computer", 2, 1), ("Mobile", 1, 1), ("Tablet", 1, 0), (None, 1, 0)]
    countries = client.get(ROOM + "/panels/countries.json", params=DAY).json()
    assert [r["country"] for r in countries["rows"]] == [
        "Germany",
        "France",
        "Netherlands",
        "Spain",
        None,
    ]


def test_the_fragments_show_the_twins_numbers(client: TestClient) -> None:
    html = client.get(ROOM + "/panels/devices", params=DAY).text
    assert '<th scope="col">Device</th><th scope="col">Live unique viewers</th>' in html
    assert '<tr><th scope="row">Computer</th><td>2</td><td>1</td></tr>' in html
    assert '<tr><th scope="row">Unknown</th><td>1</td><td>0</td></tr>' in html
    html = client.get(CHANNEL + "/panels/countries", params=DAY).text
    assert '<tr><th scope="row">Germany</th><td>2</td><td>1</td></tr>' in html
    assert '<tr><th scope="row">Netherlands</th><td>0</td><td>1</td></tr>' in html
    assert "more countries" not in html  # five rows: all shown


def test_a_range_nobody_watched_says_so(client: TestClient) -> None:
    later = {**DAY, "from": "2026-08-05", "to": "2026-08-05"}
    assert (
        "Nobody watched in this range." in client.get(ROOM + "/panels/countries", params=later).text
    )


def test_the_pages_load_both_panels(client: TestClient) -> None:
    html = client.get(ROOM, params=DAY).text
    assert 'hx-get="/analytics/rooms/1_main/panels/countries?' in html
    assert 'hx-get="/analytics/rooms/1_main/panels/devices?' in html
    assert 'id="panel-devices"><h2>' not in html  # no longer "coming"
    twin = client.get(CHANNEL + ".json", params=DAY).json()
    assert {"countries", "devices"} <= set(twin["panels"])
