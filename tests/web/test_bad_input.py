"""Bad input answers a clear page or JSON error with the right status, never a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.web.conftest import DAY, signed_in
from vantage.ingest.store import Store

ROOM = "/analytics/rooms/1_main"


@pytest.fixture(autouse=True)
def admin(client: TestClient, school: Store) -> None:
    signed_in(client, school)


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        ("/analytics/rooms/1_nothing", DAY, 404, "There is no room"),
        ("/analytics/rooms/2_room", DAY, 404, "There is no room"),  # partner 102's
        ("/analytics/categories/9", DAY, 404, "There is no category"),  # partner 102's
        ("/analytics/categories/abc", DAY, 404, "There is no category"),
        ("/analytics/categories/" + "9" * 5000, DAY, 404, "There is no category"),
        ("/analytics/rooms/" + "x" * 5000, DAY, 404, "There is no room"),
        (ROOM, {**DAY, "from": "2026-02-30"}, 400, "YYYY-MM-DD"),
        (ROOM, {**DAY, "to": "yesterday"}, 400, "YYYY-MM-DD"),
        (ROOM, {**DAY, "from": "2026-08-04"}, 400, "after"),
        (ROOM, {**DAY, "from": "1900-01-01"}, 400, "between"),
        (ROOM, {"preset": "9"}, 400, "unknown preset"),
        (ROOM, {**DAY, "tz": "Mars/Olympus"}, 400, "unknown time zone"),
        (ROOM + "/panels/engagement", {**DAY, "order": "email"}, 400, "ordered by"),
        (ROOM + "/panels/engagement", {**DAY, "page": "0"}, 400, "is a whole number from 1"),
        (ROOM + "/panels/engagement", {**DAY, "size": "11"}, 400, "is one of 10, 25, 50"),
        (ROOM + "/panels/engagement", {**DAY, "search": "x" * 65}, 400, "at most 64"),
        (ROOM + "/panels/heatmap", DAY, 404, "no such panel"),
    ],
)
def test_a_clear_answer_with_its_status(
    client: TestClient, url: str, params: dict[str, str], status: int, words: str
) -> None:
    page = client.get(url, params=params)
    assert page.status_code == status and words in page.text
    assert page.headers["content-type"].startswith("text/html")
    twin = client.get(url + ".json", params=params)
    assert twin.status_code == status
    assert twin.json()["error"]["status"] == status and words in twin.json()["error"]["message"]


def test_a_panel_answers_its_error_as_a_fragment(client: TestClient) -> None:
    # htmx puts it in the panel's place (the page's htmx-config swaps 4xx answers too)
    answer = client.get(ROOM + "/panels/engagement", params={**DAY, "order": "x"})
    assert answer.status_code == 400
    assert answer.text.startswith("<h2>That question cannot be read</h2>")
    assert "<html" not in answer.text


def test_another_partners_ids_leak_nothing(client: TestClient) -> None:
    page = client.get("/analytics/rooms/2_room", params=DAY)
    assert "Elsewhere" not in page.text  # partner 102's room name


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_PARAMS = st.dictionaries(
    st.sampled_from(
        ["preset", "from", "to", "tz", "session", "order", "page", "size", "search", "x"]
        + ["viewers_page"]
    ),
    st.one_of(
        _TEXT,
        st.sampled_from(["7", "custom", "2026-08-03", "UTC", "s1", "-live_view_time", "1", "10"]),
        st.integers(-(10**20), 10**20).map(str),
    ),
)
_PATHS = st.sampled_from(
    [
        ROOM,
        ROOM + ".json",
        ROOM + "/panels/countries",
        "/analytics/categories/5/panels/devices.json",
        ROOM + "/panels/overview",
        ROOM + "/panels/engagement.json",
        "/analytics/categories/5/panels/engagement",
        ROOM + "/panels/recordings.json",
        "/analytics/categories/5/panels/recordings",
        "/analytics/categories/5.json",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=_PATHS, params=_PARAMS)
def test_no_query_string_makes_a_page_fail(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code < 500, answer.text[:500]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["rooms", "categories"]),
    key=st.one_of(_TEXT, st.integers(-(10**30), 10**30).map(str)).filter(
        lambda t: "/" not in t and t not in ("", ".", "..")
    ),
)
def test_no_id_makes_a_page_fail(client: TestClient, kind: str, key: str) -> None:
    from urllib.parse import quote

    answer = client.get(f"/analytics/{kind}/{quote(key, safe='')}.json", params=DAY)
    assert answer.status_code < 500, answer.text[:500]
