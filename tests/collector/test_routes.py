"""The collectors answer any request with a documented answer: never HTTP 5xx, never an
unexpected error. ``/api/v1/events`` (POST and GET) and the player beacon (analytics.trackEvent,
GET and POST), through the app on a real store."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.faults import Faults, watching
from vantage.config import Settings
from vantage.entities import partners
from vantage.ingest.store import Store
from vantage.server import create_app

FEW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e20", "1e400", "9223372036854775808", "", "1_0"]),
    st.floats().map(repr),
)
TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["\ud800", "%", "x" * 3000]))
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.text(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@dataclass(frozen=True)
class App:
    client: TestClient
    partner_id: int
    faults: Faults

    def check(self, answer: Any) -> None:
        assert answer.status_code < 500, answer.text
        assert b"INTERNAL_SERVERL_ERROR" not in answer.content, answer.text
        self.faults.assert_none()
        if answer.status_code >= 400:
            error = answer.json()["error"]
            assert error["code"] and error["message"]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    config = Settings.load(engine=str(tmp_path_factory.mktemp("collector") / "s.duckdb"))
    with watching() as faults, Store.open(config) as store:
        partner = store.writer.submit(lambda tx: partners.create(tx, "Collector U")).result()
        client = TestClient(create_app(config, store), raise_server_exceptions=False)
        token = base64.b64encode(f"{partner.id}:{partner.admin_secrets[0]}".encode()).decode()
        client.headers["Authorization"] = f"Basic {token}"
        with client:
            yield App(client, partner.id, faults)


@pytest.mark.parametrize(
    "query",
    [
        "since=nan",
        "since=inf",
        "until=-inf",
        "since=1e20",
        "until=-1e20",
        "since=x",
        "offset=9223372036854775808",
        "offset=-1",
        "limit=0",
        "limit=" + "9" * 5000,
    ],
)
def test_out_of_range_listing_parameters_are_400(app: App, query: str) -> None:
    answer = app.client.get(f"/api/v1/events?{query}")
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "INVALID_PARAMETER"
    assert error["message"].startswith(query.partition("=")[0] + " must be")


def test_the_widest_listing_parameters_are_accepted(app: App) -> None:
    query = "since=-62135596800&until=253402300799&offset=9223372036854775807&limit=10000"
    answer = app.client.get(f"/api/v1/events?{query}")
    assert answer.status_code == 200 and answer.json() == {"objects": [], "totalCount": 0}


@FEW
@given(
    query=st.dictionaries(
        st.sampled_from(["since", "until", "limit", "offset", "entryId", "type", "userId", "x"]),
        st.one_of(NUMBERS, TEXT),
        max_size=4,
    )
)
def test_listing_events_never_fails_inside(app: App, query: dict[str, str]) -> None:
    encoded = urllib.parse.urlencode(query, errors="surrogatepass")
    app.faults.records.clear()
    app.check(app.client.get(f"/api/v1/events?{encoded}"))


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@FEW
@given(
    body=st.one_of(
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "type",
                        "partnerId",
                        "time",
                        "eventId",
                        "entryId",
                        "sessionId",
                        "userId",
                        "viewTime",
                    ]
                ),
                JSON_VALUES,
                max_size=8,
            ),
            max_size=3,
        ).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
        st.integers(30, 20_000).map(deep),
        st.just(b'[{"type":"\\ud800"}]'),
    ),
    media=st.sampled_from(["application/json", "application/x-ndjson"]),
)
def test_posting_events_never_fails_inside(app: App, body: bytes, media: str) -> None:
    app.faults.records.clear()
    app.check(app.client.post("/api/v1/events", content=body, headers={"Content-Type": media}))


BEACON_FIELDS = [
    "eventType", "partnerId", "entryId", "sessionId", "eventIndex", "position", "bufferTime",
    "averageBitrate", "playbackSpeed", "uiConfId", "soundMode", "virtualEventId",
    "kalturaApplication", "errorCode", "referrer", "userId", "playbackType", "loadedPlugins",
]  # fmt: skip


@FEW
@given(
    fields=st.dictionaries(st.sampled_from(BEACON_FIELDS), st.one_of(NUMBERS, TEXT), max_size=10),
    typed=st.dictionaries(st.sampled_from(BEACON_FIELDS), JSON_VALUES, max_size=5),
    post=st.booleans(),
)
def test_beacons_never_fail_inside(
    app: App, fields: dict[str, str], typed: dict[str, Any], post: bool
) -> None:
    query = {
        "service": "analytics",
        "action": "trackEvent",
        "eventType": "1",
        "partnerId": str(app.partner_id),
        "entryId": "1_x",
        "sessionId": "s",
        **fields,
    }
    url = "/api_v3/index.php?" + urllib.parse.urlencode(query, errors="surrogatepass")
    app.faults.records.clear()
    if post:
        answer = app.client.post(url, content=json.dumps(typed).encode(), headers=JSON)
    else:
        answer = app.client.get(url)
    assert answer.status_code < 500, answer.text
    assert b"INTERNAL_SERVERL_ERROR" not in answer.content, answer.text
    app.faults.assert_none()


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("service=analytics&action=trackEvent&eventType=1&entryId=1_x", b"{}"),  # no partner
        ("service=analytics&action=trackEvent&eventType=1&partnerId=999999&entryId=1_x", b""),
        ("service=analytics&action=trackEvent&format=99", b""),  # an unknown format: no body
        ("service=analytics&action=trackEvent&format=2&eventType=x", b'{"partnerId":1}'),
        ("service=analytics&action=nothing&format=1", b""),
        ("service=multirequest&format=1&1:service=analytics&1:action=trackEvent", b""),
    ],
)
def test_the_shortcut_to_the_kaltura_api_answers_as_its_route(
    app: App, query: str, body: bytes
) -> None:
    """``/api_v3/index.php`` goes past the router (server._Shortcut); ``/api_v3/index.php/``
    reaches the same endpoint through it."""
    answers = [
        app.client.post(f"{path}?{query}", content=body, headers=JSON)
        for path in ("/api_v3/index.php", "/api_v3/index.php/")
    ]
    shortcut, routed = (
        (a.status_code, a.headers.get("content-type"), a.headers.get("x-kaltura"), _timeless(a))
        for a in answers
    )
    assert shortcut == routed


def _timeless(answer: Any) -> bytes:
    return re.sub(rb"<executionTime>[^<]*</executionTime>", b"", answer.content)


def test_a_beacon_past_the_body_limit_is_refused_413(app: App) -> None:
    too_large = b" " * (Settings.load().max_body_bytes + 1)
    for path in ("/api_v3/index.php", "/api_v3/index.php/"):
        answer = app.client.post(f"{path}?service=analytics", content=too_large, headers=JSON)
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "BODY_TOO_LARGE"
