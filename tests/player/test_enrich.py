from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vantage.config import Settings
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon
from vantage.player.enrich import NOWHERE, UNKNOWN_AGENT, Agent, Enricher, Place, domain

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID_TABLET = (  # a Galaxy Tab S9: Android without "Mobile"
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
CHROME_ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
SAMSUNG_TV = (
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36"
)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher.from_settings(Settings())


# Looked up once in the bundled GeoLite2 City (build of 2018-07-03) and written down.
@pytest.mark.parametrize(
    ("ip", "place"),
    [
        (  # RIPE NCC's own address
            "193.0.6.139",
            Place(
                country_code="NL", country="Netherlands", region="North Holland", city="Amsterdam"
            ),
        ),
        (  # Google Public DNS over IPv6
            "2001:4860:4860::8888",
            Place(
                country_code="US",
                country="United States",
                region="California",
                city="Mountain View",
            ),
        ),
        ("8.8.8.8", Place(country_code="US", country="United States")),  # anycast: no city
        (
            "::ffff:193.0.6.139",
            Place(
                country_code="NL", country="Netherlands", region="North Holland", city="Amsterdam"
            ),
        ),
    ],
)
def test_public_addresses_are_located(enricher: Enricher, ip: str, place: Place) -> None:
    assert enricher.place(ip) == place


@pytest.mark.parametrize(
    "ip",
    [
        "10.1.2.3",
        "192.168.1.1",
        "172.16.0.9",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "",
        None,
        "300.1.2.3",
        "not an address",
        "1.2.3",
    ],
)
def test_private_loopback_and_malformed_addresses_are_nowhere(
    enricher: Enricher, ip: str | None
) -> None:
    assert enricher.place(ip) == NOWHERE


@pytest.mark.parametrize(
    ("user_agent", "agent"),
    [
        (
            CHROME_WINDOWS,
            Agent(
                device="Computer",
                os_family="Windows",
                os="Windows 10",
                browser_family="Chrome",
                browser="Chrome 120",
            ),
        ),
        (
            SAFARI_IPHONE,
            Agent(
                device="Mobile",
                os_family="iOS",
                os="iOS 17",
                browser_family="Mobile Safari",
                browser="Mobile Safari 17",
            ),
        ),
        (
            CHROME_ANDROID_TABLET,
            Agent(
                device="Tablet",
                os_family="Android",
                os="Android 13",
                browser_family="Chrome",
                browser="Chrome 120",
            ),
        ),
        (
            CHROME_ANDROID_PHONE,
            Agent(
                device="Mobile",
                os_family="Android",
                os="Android 14",
                browser_family="Chrome Mobile",
                browser="Chrome Mobile 120",
            ),
        ),
        (GOOGLEBOT, Agent(device="Bot", browser_family="Googlebot", browser="Googlebot 2")),
        (
            SAMSUNG_TV,
            Agent(
                device="Smart TV",
                os_family="Tizen",
                os="Tizen 6",
                browser_family="Samsung Internet",
                browser="Samsung Internet 4",
            ),
        ),
        ("kava-android/4.0", Agent()),
        ("", UNKNOWN_AGENT),
        (None, UNKNOWN_AGENT),
    ],
)
def test_user_agents_are_described(
    enricher: Enricher, user_agent: str | None, agent: Agent
) -> None:
    assert enricher.agent(user_agent) == agent


def test_parsed_user_agents_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    from vantage.player import enrich

    calls: list[str] = []
    parse = enrich._parse_agent
    monkeypatch.setattr(enrich, "_parse_agent", lambda ua: calls.append(ua) or parse(ua))
    fresh = Enricher.from_settings(Settings())
    first = fresh.agent(CHROME_WINDOWS)
    assert fresh.agent(CHROME_WINDOWS) is first
    assert fresh.agent("x" * 10_000) == fresh.agent("x" * 20_000)  # cached by their first chars
    assert calls == [CHROME_WINDOWS, "x" * enrich.UA_KEY_CHARS]


def test_located_addresses_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Enricher.from_settings(Settings())
    database = fresh._geo
    reads: list[object] = []
    monkeypatch.setattr(fresh, "_geo", _Counting(database, reads))
    first = fresh.place("193.0.6.139")
    assert fresh.place("193.0.6.139") is first
    assert fresh.place("8.8.8.8") == Place(country_code="US", country="United States")
    assert len(reads) == 2


class _Counting:
    def __init__(self, database: Any, reads: list[object]) -> None:
        self._database, self._reads = database, reads

    def get(self, address: object) -> Any:
        self._reads.append(address)
        return self._database.get(address)


@pytest.mark.parametrize(
    ("referrer", "host"),
    [
        ("https://www.school.example/watch?id=1", "school.example"),
        ("https://School.Example:8443/a/b#c", "school.example"),
        ("http://www.sub.school.example", "sub.school.example"),
        ("https://wwwschool.example/", "wwwschool.example"),
        ("https://[2001:db8::1]:8080/x", "2001:db8::1"),
        ("//cdn.school.example/embed", "cdn.school.example"),
        ("school.example/watch", None),  # not a URL: no host to tell
        ("https://[broken/", None),
        ("", None),
        (None, None),
    ],
)
def test_the_referrers_domain(referrer: str | None, host: str | None) -> None:
    assert domain(referrer) == host


def test_another_database_can_be_named(tmp_path: Path) -> None:
    missing = tmp_path / "GeoIP2-City.mmdb"
    with pytest.raises(FileNotFoundError):
        Enricher.from_settings(Settings(geoip_database=str(missing)))


def test_arrow_rows_carry_the_enrichment(enricher: Enricher) -> None:
    beacons = [
        decode_beacon(
            {
                "eventType": 1,
                "partnerId": 1,
                "entryId": "e",
                "sessionId": "s",
                "eventIndex": 1,
                "referrer": "https://www.school.example/watch",
            }
        ),
        decode_beacon(
            {"eventType": 2, "partnerId": 1, "entryId": "e", "sessionId": "s", "eventIndex": 2}
        ),
    ]
    received = Received(
        1,
        "193.0.6.139",
        CHROME_WINDOWS,
        enricher.place("193.0.6.139"),
        enricher.agent(CHROME_WINDOWS),
    )
    rows = to_arrow(beacons, received).to_pylist()
    assert [r["domain"] for r in rows] == ["school.example", None]
    assert {(r["country_code"], r["city"], r["device"], r["browser"]) for r in rows} == {
        ("NL", "Amsterdam", "Computer", "Chrome 120")
    }
