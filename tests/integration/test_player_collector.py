"""analytics.trackEvent over real HTTP: beacons replayed exactly as Kaltura's players send them."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import httpx
import msgspec
import pytest

from tests.integration.server import Server, create_partner

API = "/api_v3/index.php"
KEYS = ("eventType", "partnerId", "entryId", "sessionId")  # what the web player puts in the URL
REFERRER = "https://school.example/watch?id=1"


@dataclass
class Collector:
    server: Server
    partner_id: int
    other_id: int

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Stop the server and read the store (one process may open it at a time)."""
        self.server.stop()
        with duckdb.connect(str(self.server.store), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[Collector]:
    store = tmp_path / "store.duckdb"
    pid, _ = create_partner(store, "Test University")
    other, _ = create_partner(store, "Other College")
    server = Server(store).start()
    try:
        yield Collector(server, pid, other)
    finally:
        server.stop()


def web_sequence(partner_id: int, session: str) -> list[dict[str, Any]]:
    """A viewing as playkit-js-kava reports it: impression to error, views every 10 s."""
    common = {
        "partnerId": partner_id,
        "entryId": "1_video",
        "sessionId": session,
        "referrer": base64.b64encode(REFERRER.encode()).decode(),
        "deliveryType": "hls",
        "playbackType": "vod",
        "clientVer": "3.17.0",
        "clientTag": "html5:v3.17.0",
        "playbackSpeed": 1,
        "playerSkin": "",
        "kalturaApplication": 21,
        "userId": "alice",
        "persistentSessionId": "7f1c-anon",
    }
    steps: list[dict[str, Any]] = [
        {"eventType": 1, "position": 0, "playerJSLoadTime": 412.5, "loadedPlugins": ["kava"]},
        {"eventType": 2, "position": 0},
        {
            "eventType": 3,
            "position": 0,
            "bufferTime": 0.4,
            "bufferTimeSum": 0.4,
            "actualBitrate": 1200,
            "joinTime": 0.8,
            "canPlay": 0.6,
            "networkConnectionType": "4g",
        },
    ]
    view = {
        "bufferTime": 0,
        "bufferTimeSum": 0.4,
        "actualBitrate": 1200,
        "averageBitrate": 1150,
        "audioLanguage": "en",
        "soundMode": 2,
        "tabMode": 2,
        "viewabilityMode": 2,
        "screenMode": 1,
    }
    for i in range(1, 11):
        steps.append({"eventType": 99, "position": 10 * i, "playTimeSum": 10 * i, **view})
        if i in (3, 5, 8, 10):
            steps.append({"eventType": {3: 11, 5: 12, 8: 13, 10: 14}[i], "position": 10 * i})
    steps += [
        {"eventType": 33, "position": 100},
        {
            "eventType": 4,
            "position": 100,
            "bufferTime": 0,
            "bufferTimeSum": 0.4,
            "actualBitrate": 1200,
        },
        {"eventType": 35, "position": 100, "targetPosition": 30.5},
        {
            "eventType": 98,
            "position": 31,
            "errorCode": 7003,
            "errorPosition": 2,
            "errorDetails": '{"category":7,"code":7003}',
        },
    ]
    return [{**common, **step, "eventIndex": n} for n, step in enumerate(steps, 1)]


def post(client: httpx.Client, beacon: dict[str, Any], **headers: str) -> httpx.Response:
    query = {"service": "analytics", "action": "trackEvent", "apiVersion": "3.3.0", "format": 1}
    query |= {k: beacon[k] for k in KEYS}
    body = {k: v for k, v in beacon.items() if k not in KEYS}
    return client.post(API, params=query, json=body, headers=headers)


def get(client: httpx.Client, beacon: dict[str, Any]) -> httpx.Response:
    query = {"service": "analytics", "action": "trackEvent", **beacon}
    query["loadedPlugins"] = ",".join(query.get("loadedPlugins", []))
    return client.get(API, params=query, headers={"User-Agent": "kava-android/4.0"})


def ok(answer: httpx.Response) -> float:
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    data = answer.json()
    assert set(data) == {"time", "viewEventsEnabled"} and data["viewEventsEnabled"] is True
    assert isinstance(data["time"], float) and abs(data["time"] - time.time()) < 60
    return float(data["time"])


def test_the_web_players_post_form_and_the_android_get_form(collector: Collector) -> None:
    web, android = (
        web_sequence(collector.partner_id, "s-web"),
        web_sequence(collector.partner_id, "s-android"),
    )
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        for beacon in web:
            ok(post(client, beacon, Origin="https://school.example"))
        for beacon in android:
            ok(get(client, beacon))
    rows = collector.rows(
        "SELECT session_id, event_index, event_type, event_type_id, referrer, play_time_sum, "
        "target_position, error_code, loaded_plugins, user_agent, client_ip "
        "FROM player_events ORDER BY session_id, event_index"
    )
    assert len(rows) == 2 * len(web)
    for session, sent in (("s-android", android), ("s-web", web)):
        mine = [r for r in rows if r[0] == session]
        assert [r[1] for r in mine] == [b["eventIndex"] for b in sent]
        assert [r[3] for r in mine] == [b["eventType"] for b in sent]
        assert mine[0][2] == "playerImpression" and mine[0][8] == ["kava"]
        assert all(r[4] == REFERRER and r[10] == "127.0.0.1" for r in mine)
        views = [r[5] for r in mine if r[2] == "view"]
        assert views == [10.0 * i for i in range(1, 11)]
        names = [r[2] for r in mine]
        for name in ("playThrough25", "playThrough100", "pauseClicked", "resume", "seek", "error"):
            assert name in names
        assert next(r[6] for r in mine if r[2] == "seek") == 30.5
        assert next(r[7] for r in mine if r[2] == "error") == 7003
    assert {r[9] for r in rows if r[0] == "s-android"} == {"kava-android/4.0"}


def test_a_repeated_beacon_is_stored_once(collector: Collector) -> None:
    beacon = web_sequence(collector.partner_id, "s1")[3]
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        ok(post(client, beacon))
        ok(post(client, beacon))
        ok(get(client, beacon))
        ok(post(client, {**beacon, "eventIndex": beacon["eventIndex"] + 1}))
    assert collector.rows("SELECT event_index FROM player_events ORDER BY 1") == [(4,), (5,)]


def test_a_browser_on_another_origin_may_post(collector: Collector) -> None:
    answer = httpx.options(
        f"{collector.server.url}{API}?service=analytics&action=trackEvent",
        headers={
            "Origin": "https://school.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert "content-type" in answer.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize(
    ("change", "code", "name"),
    [
        ({"eventType": None}, "MISSING_MANDATORY_PARAMETER", "eventType"),
        ({"sessionId": None}, "MISSING_MANDATORY_PARAMETER", "sessionId"),
        ({"eventIndex": "second"}, "INVALID_PARAMETER_VALUE", "eventIndex"),
        ({"eventType": 7}, "INVALID_PARAMETER_VALUE", "eventType"),
        ({"entryId": "x" * 500}, "INVALID_PARAMETER_VALUE", "entryId"),
        ({"partnerId": 999_999}, "INVALID_PARAMETER_VALUE", "partnerId"),
    ],
)
def test_bad_beacons_are_refused_and_not_stored(
    collector: Collector, change: dict[str, Any], code: str, name: str
) -> None:
    beacon = {**web_sequence(collector.partner_id, "s1")[1], **change}
    beacon = {k: v for k, v in beacon.items() if v is not None}
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        answer = client.get(
            API, params={"service": "analytics", "action": "trackEvent", "format": 1, **beacon}
        )
    assert answer.json()["code"] == code
    assert answer.json()["args"]["PARAM_NAME"] == name
    assert collector.rows("SELECT count(*) FROM player_events") == [(0,)]


def test_beacons_stay_with_their_partner(collector: Collector) -> None:
    mine = web_sequence(collector.partner_id, "shared-session")[:3]
    theirs = web_sequence(collector.other_id, "shared-session")[:2]
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        for beacon in mine + theirs:  # same session and indexes: not duplicates across partners
            ok(post(client, beacon))
    counts = collector.rows("SELECT partner_id, count(*) FROM player_events GROUP BY 1 ORDER BY 1")
    assert counts == [(collector.partner_id, 3), (collector.other_id, 2)]


def test_stats_collect_is_stored_as_a_beacon(collector: Collector) -> None:
    event = {
        "partnerId": collector.partner_id,
        "entryId": "1_video",
        "sessionId": "legacy",
        "eventType": 17,
        "currentPoint": 12_000,
        "newPoint": 45_500,
        "seek": 1,
        "referrer": REFERRER,
        "uiconfId": 5,
    }
    params = {"service": "stats", "action": "collect", "format": 1}
    params |= {f"event:{k}": v for k, v in event.items()}
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        assert client.get(API, params=params).json() is True
        assert client.get(API, params={**params, "event:eventType": 2}).json() is True  # unmapped
    assert collector.rows(
        "SELECT event_type, position, target_position, referrer, ui_conf_id, event_index "
        "FROM player_events"
    ) == [("seek", 12.0, 45.5, REFERRER, 5, None)]


CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
ENRICHED = (
    "SELECT client_ip, user_agent, country_code, country, region, city, device, os_family, os, "
    "browser_family, browser, domain FROM player_events"
)


def test_beacons_behind_a_trusted_proxy_are_stored_enriched(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    pid, _ = create_partner(store, "Test University")
    server = Server(store, env={"VANTAGE_TRUSTED_PROXIES": "127.0.0.1"}).start()
    collector = Collector(server, pid, 0)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            beacon = web_sequence(pid, "s1")[0]
            # What the client claimed, then what the proxy saw: the proxy's entry counts.
            forwarded = "10.0.0.7, 193.0.6.139"
            ok(post(client, beacon, **{"User-Agent": CHROME_WINDOWS, "X-Forwarded-For": forwarded}))
        assert collector.rows(ENRICHED) == [
            (
                "193.0.6.139",
                CHROME_WINDOWS,
                "NL",
                "Netherlands",
                "North Holland",
                "Amsterdam",
                "Computer",
                "Windows",
                "Windows 10",
                "Chrome",
                "Chrome 120",
                "school.example",
            )
        ]
    finally:
        server.stop()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(collector: Collector) -> None:
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        beacon = web_sequence(collector.partner_id, "s1")[0]
        ok(post(client, beacon, **{"X-Forwarded-For": "193.0.6.139"}))
    [row] = collector.rows(ENRICHED)
    assert row[0] == "127.0.0.1" and row[2:6] == (None, None, None, None)


def test_one_bad_beacon_among_many_fails_alone(collector: Collector) -> None:
    """A beacon whose integer does not fit a BIGINT, sent amid good ones: before its range was
    checked it failed the commit group, and with it hundreds of good beacons."""
    import asyncio

    good = [{**web_sequence(collector.partner_id, f"s{i}")[0], "eventIndex": 1} for i in range(400)]
    bad = {**good[0], "sessionId": "bad", "eventIndex": 2**63}

    async def send_all() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=collector.server.url, timeout=60, limits=limits) as c:
            query = {"service": "analytics", "action": "trackEvent", "format": 1}

            def one(beacon: dict[str, Any]) -> Any:
                body = {k: v for k, v in beacon.items() if k not in KEYS}
                return c.post(API, params=query | {k: beacon[k] for k in KEYS}, json=body)

            sends = [one(b) for b in good]
            sends.insert(200, one(bad))
            return await asyncio.gather(*sends)

    answers = asyncio.run(send_all())
    refused = answers.pop(200).json()
    assert (refused["code"], refused["args"]["PARAM_NAME"]) == (
        "INVALID_PARAMETER_VALUE",
        "eventIndex",
    )
    for answer in answers:
        ok(answer)
    assert collector.rows("SELECT count(*), count(DISTINCT session_id) FROM player_events") == [
        (400, 400)
    ]


NOT_STORABLE = [
    ("averageBitrate", "inf"),
    ("averageBitrate", "-inf"),
    ("averageBitrate", "nan"),
    ("averageBitrate", "1e400"),
    ("playTimeSum", "Infinity"),
    ("position", "NaN"),
    ("uiConfId", str(2**63)),
    ("kalturaApplication", str(-(2**63) - 1)),
]


def test_numbers_a_column_cannot_hold_are_refused_by_get_and_post(collector: Collector) -> None:
    beacon = web_sequence(collector.partner_id, "s1")[4]  # a view
    query = {"service": "analytics", "action": "trackEvent", "format": 1}
    answers = []
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        for field, value in NOT_STORABLE:
            # the POST body as JSON text: 1e400, NaN and Infinity as a JSON parser reads them
            number = f'"{value}"' if value in ("inf", "-inf", "nan") else value
            body = {k: v for k, v in beacon.items() if k not in KEYS and k != field}
            text = msgspec.json.encode(body)[:-1] + f',"{field}":{number}}}'.encode()
            answers += [
                (field, client.get(API, params={**query, **beacon, field: value})),
                (
                    field,
                    client.post(
                        API,
                        params=query | {k: beacon[k] for k in KEYS},
                        content=text,
                        headers={"Content-Type": "application/json"},
                    ),
                ),
            ]
    for field, answer in answers:
        assert answer.status_code == 200
        assert answer.json()["code"] == "INVALID_PARAMETER_VALUE", answer.text
        assert answer.json()["args"]["PARAM_NAME"] == field
    assert collector.rows("SELECT count(*) FROM player_events") == [(0,)]


def test_a_non_ascii_referrer_is_stored_with_its_beacon(collector: Collector) -> None:
    beacons = web_sequence(collector.partner_id, "s1")[:3]
    query = {"service": "analytics", "action": "trackEvent", "format": 1}
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        # percent-encoded UTF-8, as browsers and Android send a URL with non-ASCII characters
        ok(get(client, {**beacons[0], "referrer": "https://école.example/café?q=ü"}))
        # percent-encoded latin-1 bytes, which are not UTF-8: read as U+FFFD
        url = httpx.URL(API, params={**query, **beacons[1]}).copy_merge_params({})
        ok(client.get(f"{url}&referrer=https://ex.com/caf%E9"))
        ok(post(client, {**beacons[2], "referrer": "https://ex.com/café"}))
    assert collector.rows("SELECT referrer, domain FROM player_events ORDER BY event_index") == [
        ("https://école.example/café?q=ü", "école.example"),
        ("https://ex.com/caf\ufffd", "ex.com"),
        ("https://ex.com/café", "ex.com"),
    ]


def test_beacons_without_a_session_are_counted(collector: Collector) -> None:
    """The web player sends an empty sessionId when the page set none; two such viewers of one
    entry send the same indexes and positions, and neither is a copy of the other."""
    beacons = web_sequence(collector.partner_id, "")[:5]
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        for beacon in beacons:
            ok(post(client, beacon))  # one viewer by POST
            ok(get(client, beacon))  # another by GET
    assert collector.rows(
        "SELECT count(*), count(session_id), sum(play_time) FROM player_events"
    ) == [(10, 0, 40.0)]  # each view a play of its own: up to 10 s of its playTimeSum


def test_empty_text_is_not_sent_and_numbers_may_come_as_text(collector: Collector) -> None:
    view = web_sequence(collector.partner_id, "s1")[4]
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        ok(get(client, {**view, "audioLanguage": "", "customVar1": ""}))
        sent = {**view, "eventIndex": 6, "audioLanguage": "", "kalturaApplication": "21"}
        ok(post(client, sent))
    assert (
        collector.rows("SELECT audio_language, custom_var1, kaltura_application FROM player_events")
        == [(None, None, 21)] * 2
    )


def test_stats_collect_refuses_what_no_column_holds(collector: Collector) -> None:
    params = {"service": "stats", "action": "collect", "format": 1}
    event = {"partnerId": collector.partner_id, "entryId": "1_video", "sessionId": "legacy"}
    params |= {f"event:{k}": v for k, v in {**event, "eventType": 3}.items()}
    with httpx.Client(base_url=collector.server.url, timeout=30) as client:
        answer = client.get(API, params={**params, "event:uiconfId": str(2**63)})
    assert answer.json()["code"] == "INVALID_PARAMETER_VALUE", answer.text
    assert answer.json()["args"]["PARAM_NAME"] == "event:uiconfId"
