"""Varied player beacons as stored (derived columns set), as Arrow, for the ClickHouse tests.

Every number a sum adds is a multiple of 1/8, so sums are exact in any order and the engines'
totals can be compared with ``==``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pyarrow as pa

from vantage.player.facts import COUNTED_EVENTS

SCHEMA = pa.schema(
    [
        ("event_type", pa.string()),
        ("event_type_id", pa.int64()),
        ("partner_id", pa.int64()),
        ("entry_id", pa.string()),
        ("session_id", pa.string()),
        ("event_index", pa.int64()),
        ("received_at", pa.timestamp("us")),
        ("user_id", pa.string()),
        ("playback_type", pa.string()),
        ("playback_speed", pa.float64()),
        ("error_code", pa.int64()),
        ("report_type", pa.string()),
        ("device", pa.string()),
        ("country", pa.string()),
        ("referrer", pa.string()),
        ("custom_var1", pa.string()),
        ("ui_conf_id", pa.int64()),
        ("virtual_event_id", pa.int64()),
        ("sound_mode", pa.int64()),
        ("tab_mode", pa.int64()),
        ("screen_mode", pa.int64()),
        ("buffer_time", pa.float64()),
        ("average_bitrate", pa.float64()),
        ("join_time", pa.float64()),
        ("play_time", pa.float64()),
        ("coverage", pa.decimal128(38, 0)),
        ("new_percentiles", pa.int16()),
    ]
)

# Every counted event, and two the facts do not count.
EVENT_IDS = (*COUNTED_EVENTS, 5, 42)


def _eighths(rng: random.Random, most: int) -> float | None:
    return None if rng.random() < 0.2 else rng.randrange(most * 8) / 8


def _beacon(rng: random.Random, start: dt.datetime, hours: int, index: int) -> dict[str, Any]:
    event_id = rng.choice(EVENT_IDS)
    view = event_id == 99
    lo, hi = sorted(rng.sample(range(101), 2))
    return {
        "event_type": COUNTED_EVENTS.get(event_id, "other"),
        "event_type_id": event_id,
        "partner_id": rng.choice((101, 102)),
        "entry_id": rng.choice(("1_a", "1_b", "1_c")),
        "session_id": rng.choice(("s1", "s2", None)),
        "event_index": index,
        "received_at": start + dt.timedelta(seconds=rng.randrange(hours * 3600)),
        "user_id": rng.choice(("alice", "bob", None)),
        "playback_type": rng.choice(("vod", "live", None)),
        "playback_speed": rng.choice((1.0, 1.5, 2.0, 0.75, None)),
        "error_code": rng.choice((1001, 7, None)),
        "report_type": rng.choice(("spam", None)),
        "device": rng.choice(("Computer", "Mobile", None)),
        "country": rng.choice(("France", None)),
        "referrer": rng.choice(("https://a.example/p?x=1", "https://a.example/p#t", "", None)),
        "custom_var1": rng.choice(("course", None)),
        "ui_conf_id": rng.choice((23, None)),
        "virtual_event_id": rng.choice((5, None)),
        "sound_mode": rng.choice((1, 2, None)),
        "tab_mode": rng.choice((1, 2, None)),
        "screen_mode": rng.choice((1, 2, None)),
        "buffer_time": _eighths(rng, 10),
        "average_bitrate": rng.choice((0.0, 500.0, 1250.5, None)),
        "join_time": _eighths(rng, 4),
        "play_time": _eighths(rng, 60) if view or 11 <= event_id <= 14 else None,
        "coverage": ((1 << (hi + 1)) - (1 << lo)) if view and rng.random() < 0.8 else None,
        "new_percentiles": rng.randrange(20) if view and rng.random() < 0.8 else None,
    }


def beacons(seed: int, rows: int, start: dt.datetime, hours: int) -> pa.Table:
    """``rows`` beacons received over ``hours`` hours from ``start`` (naive UTC)."""
    rng = random.Random(seed)
    return pa.Table.from_pylist([_beacon(rng, start, hours, i) for i in range(rows)], schema=SCHEMA)
