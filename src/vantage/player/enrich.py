"""What a player beacon's request says beyond its fields, derived once when it arrives.

Kaltura's reports group player events by the viewer's location (``location.country`` …), their
user agent (``userAgent.device`` …) and the embedding page's domain (``urlParts.domain``). Vantage
derives the same from the client's address (an offline MaxMind City database), the
``User-Agent`` header (ua-parser's offline rules) and the decoded referrer, and stores them
beside the raw values; docs/player-analytics.md says what each column holds. Anything unknown
is None: private and malformed addresses, unparsed agents, referrers that are not URLs.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlsplit

import geolite2
import maxminddb
import msgspec
import ua_parser
from ua_parser import basic, loaders

from vantage.config import Settings
from vantage.devices import Device

UA_CACHE_SIZE = 4_096
"""User agents remembered: the players of one audience send a handful of them, again and again."""
PLACE_CACHE_SIZE = 65_536
"""Client addresses remembered with their place: a viewer's player sends a beacon every 10
seconds from the same address, and reading the address and the database costs more than the
rest of storing the beacon (about 12 µs a lookup); some 13 MB when full."""
UA_KEY_CHARS = 512
"""Only this much of a user agent is parsed and cached: real ones are shorter, and it bounds the
cache's memory whatever clients send (the full header is stored raw)."""


class Place(msgspec.Struct, frozen=True, kw_only=True):
    """Where the client's address is, in English."""

    country_code: str | None = None
    """ISO 3166-1 alpha-2 (``NL``)."""
    country: str | None = None
    region: str | None = None
    """The largest subdivision (a state, province or constituent country)."""
    city: str | None = None


class Agent(msgspec.Struct, frozen=True, kw_only=True):
    """What the client runs, from its user agent."""

    device: str | None = None
    """The device class, a :class:`~vantage.devices.Device` name."""
    os_family: str | None = None
    os: str | None = None
    """Family and major version (``Windows 10``)."""
    browser_family: str | None = None
    browser: str | None = None
    """Family and major version (``Chrome 120``)."""


NOWHERE = Place()
UNKNOWN_AGENT = Agent()

# First match wins: a TV or console often also names Android, Windows or Linux, and an Android
# tablet is an Android device without "Mobile" (Google's convention for browsers).
_DEVICES: tuple[tuple[Device, re.Pattern[str]], ...] = (
    (Device.GAME_CONSOLE, re.compile(r"PlayStation|Xbox|Nintendo")),
    (
        Device.SMART_TV,
        re.compile(r"SMART-TV|SmartTV|HbbTV|AppleTV|GoogleTV|Roku|CrKey|Web0S|\bTV\b"),
    ),
    (Device.TABLET, re.compile(r"iPad|Tablet|Kindle|Silk/|PlayBook|Android(?!.*Mobile)")),
    (Device.MOBILE, re.compile(r"Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini")),
    (Device.COMPUTER, re.compile(r"Windows NT|Macintosh|X11|CrOS")),
)
_SPIDER = "Spider"  # ua-parser's device family for crawlers


class Enricher:
    """Built once at start-up: the database stays open (memory-mapped), and located addresses
    and parsed user agents are remembered."""

    def __init__(self, geoip_database: str | os.PathLike[str]) -> None:
        self._geo = maxminddb.open_database(geoip_database)
        _parser()  # load the rules now, not on the first beacon
        self._agent = functools.lru_cache(maxsize=UA_CACHE_SIZE)(_parse_agent)
        self._place = functools.lru_cache(maxsize=PLACE_CACHE_SIZE)(self._locate)

    @classmethod
    def from_settings(cls, settings: Settings) -> Enricher:
        return cls(settings.geoip_database or geolite2.geolite2.filename)

    def place(self, client_ip: str | None) -> Place:
        return self._place(client_ip or "")

    def _locate(self, client_ip: str) -> Place:
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return NOWHERE
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global:  # private, loopback, reserved: in no database
            return NOWHERE
        # A City (or Country) database's records are maps of this shape.
        record = cast("Mapping[str, Any] | None", self._geo.get(address))
        if record is None:
            return NOWHERE
        country = record.get("country", {})
        regions = record.get("subdivisions") or [{}]
        return Place(
            country_code=country.get("iso_code"),
            country=_english(country),
            region=_english(regions[0]),
            city=_english(record.get("city", {})),
        )

    def agent(self, user_agent: str | None) -> Agent:
        if not user_agent:
            return UNKNOWN_AGENT
        return self._agent(user_agent[:UA_KEY_CHARS])


def domain(referrer: str | None) -> str | None:
    """The referrer URL's host, lower case, without port or a leading ``www.``."""
    if not referrer:
        return None
    try:
        host = urlsplit(referrer).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return host.removeprefix("www.") if host else None


@functools.cache
def _parser() -> ua_parser.Parser:
    # No cache of ua-parser's own: Enricher caches the finished Agent.
    return ua_parser.Parser(basic.Resolver(loaders.load_builtins()))


def _parse_agent(user_agent: str) -> Agent:
    parsed = _parser().parse(user_agent)
    browser, os_, device = parsed.user_agent, parsed.os, parsed.device
    return Agent(
        device=_device(user_agent, device.family if device else None),
        os_family=os_.family if os_ else None,
        os=_versioned(os_.family, os_.major) if os_ else None,
        browser_family=browser.family if browser else None,
        browser=_versioned(browser.family, browser.major) if browser else None,
    )


def _device(user_agent: str, family: str | None) -> str | None:
    if family == _SPIDER:
        return Device.BOT.value
    return next((d.value for d, pattern in _DEVICES if pattern.search(user_agent)), None)


def _versioned(family: str, major: str | None) -> str:
    return f"{family} {major}" if major else family


def _english(names: Mapping[str, Any]) -> str | None:
    name = names.get("names", {}).get("en")
    return name if isinstance(name, str) else None
