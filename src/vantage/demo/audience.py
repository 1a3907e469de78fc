"""Where the school's viewers watch from: small fixed pools of client addresses, user agents and
embedding pages, enriched once, as the collector would enrich each beacon, into columns by pool
index.

Every address's country was checked against the bundled GeoLite2 City database (the enrichment
fills what the database says, whatever the comment); all are public, so every place is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import msgspec
import numpy as np
import pyarrow as pa

from vantage.demo import names
from vantage.player.enrich import Enricher, domain

# address, weight for the school's users, weight for anonymous viewers
ADDRESSES: tuple[tuple[str, float, float], ...] = (
    ("128.101.101.101", 30, 4),  # US, Minneapolis: the campus network
    ("24.0.0.1", 12, 6),  # US, New Jersey
    ("99.0.0.1", 10, 6),  # US, California
    ("142.0.0.1", 6, 3),  # US, South Dakota
    ("149.101.100.1", 5, 3),  # US, Maryland
    ("81.2.69.142", 4, 6),  # GB, England
    ("89.160.20.112", 2, 3),  # SE, Stockholm
    ("85.214.0.1", 3, 5),  # DE, Berlin
    ("2.2.3.4", 2, 4),  # FR
    ("80.80.80.80", 1, 3),  # NL
    ("31.0.0.1", 2, 3),  # PL, Warsaw
    ("133.1.0.1", 2, 4),  # JP, Osaka
    ("175.16.199.1", 3, 4),  # CN, Changchun
    ("177.0.0.1", 2, 4),  # BR, Cuiabá
    ("49.0.0.1", 1, 3),  # ID, Bogor
    ("41.0.0.1", 1, 3),  # ZA, Gauteng
    ("1.128.0.1", 1, 3),  # AU
    ("130.225.0.1", 1, 2),  # DK, Aarhus
)
# user agent, weight, delivery type (Apple's players get HLS, the rest DASH)
AGENTS: tuple[tuple[str, float, str], ...] = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        30,
        "dash",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Safari/605.1.15",
        14,
        "hls",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        12,
        "hls",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        4,
        "hls",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        8,
        "dash",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        2,
        "dash",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        3,
        "dash",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        7,
        "dash",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
        8,
        "dash",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
        3,
        "dash",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/123.0.0.0 Safari/537.36",
        2,
        "dash",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        4,
        "dash",
    ),
)
_SITE = f"https://mediaspace.{names.SCHOOL_DOMAIN}"
_LMS = f"https://lms.{names.SCHOOL_DOMAIN}"
# page, weight for users, weight for anonymous viewers, Kaltura application id (KMS 1, KAF 2,
# player 21), application name, player (uiConf) id
REFERRERS: tuple[tuple[str, float, float, int, str, int], ...] = (
    (f"{_SITE}/media/", 30, 10, 1, "KMS", 48_501),
    (f"{_SITE}/channel/courses", 8, 3, 1, "KMS", 48_501),
    (f"{_LMS}/courses/view.php", 40, 0, 2, "KAF", 48_502),
    (f"{_LMS}/mod/kalvidres/view.php", 15, 0, 2, "KAF", 48_502),
    (f"https://www.{names.SCHOOL_DOMAIN}/news/", 4, 25, 21, "PLAYER", 48_503),
    ("https://www.youtube-nocookie.example/embed/", 0, 6, 21, "PLAYER", 48_503),
    ("https://blog.edtech-weekly.example/2025/lecture-picks", 1, 14, 21, "PLAYER", 48_503),
    ("https://www.reddit.com/r/learnprogramming/", 1, 12, 21, "PLAYER", 48_503),
    ("https://news.ycombinator.com/item", 0, 6, 21, "PLAYER", 48_503),
    ("https://www.linkedin.com/feed/", 1, 10, 21, "PLAYER", 48_503),
)


@dataclass(frozen=True)
class Pool:
    """One pool's columns by pool index, and how likely each entry is for users and for
    anonymous viewers."""

    columns: dict[str, pa.Array]
    for_users: np.ndarray
    for_anonymous: np.ndarray


@dataclass(frozen=True)
class Audience:
    addresses: Pool  # client_ip and the place columns
    agents: Pool  # user_agent, delivery_type and the agent columns
    referrers: Pool  # referrer, domain, kaltura_application, application, ui_conf_id


def audience(enricher: Enricher) -> Audience:
    places = [msgspec.structs.asdict(enricher.place(ip)) for ip, _, _ in ADDRESSES]
    agents = [msgspec.structs.asdict(enricher.agent(ua)) for ua, _, _ in AGENTS]
    return Audience(
        addresses=Pool(
            {"client_ip": _strings(ip for ip, _, _ in ADDRESSES)} | _by_name(places),
            _share(w for _, w, _ in ADDRESSES),
            _share(w for _, _, w in ADDRESSES),
        ),
        agents=Pool(
            {
                "user_agent": _strings(ua for ua, _, _ in AGENTS),
                "delivery_type": _strings(d for _, _, d in AGENTS),
            }
            | _by_name(agents),
            _share(w for _, w, _ in AGENTS),
            _share(w for _, w, _ in AGENTS),
        ),
        referrers=Pool(
            {
                "referrer": _strings(r[0] for r in REFERRERS),
                "domain": _strings(domain(r[0]) for r in REFERRERS),
                "kaltura_application": pa.array([r[3] for r in REFERRERS], pa.int64()),
                "application": _strings(r[4] for r in REFERRERS),
                "ui_conf_id": pa.array([r[5] for r in REFERRERS], pa.int64()),
            },
            _share(r[1] for r in REFERRERS),
            _share(r[2] for r in REFERRERS),
        ),
    )


def _strings(values: Iterable[str | None]) -> pa.Array:
    return pa.array(list(values), pa.string())


def _by_name(rows: list[dict[str, str | None]]) -> dict[str, pa.Array]:
    return {name: _strings(row[name] for row in rows) for name in rows[0]}


def _share(weights: Iterable[float]) -> np.ndarray:
    w = np.array(list(weights), np.float64)
    return w / w.sum()
