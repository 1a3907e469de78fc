"""Time conversions shared by every layer.

The store keeps times as naive UTC TIMESTAMPs (microseconds); the APIs speak unix seconds and
RFC 3339; the writer and the report compiler work in unix microseconds.
"""

from __future__ import annotations

import datetime as dt

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAIVE_EPOCH = EPOCH.replace(tzinfo=None)
_US = dt.timedelta(microseconds=1)


def to_micros(value: int | float | dt.datetime) -> int:
    """Unix microseconds of unix seconds (fractions allowed) or of an aware datetime."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("timestamp needs a UTC offset, e.g. 2024-08-01T10:00:00Z")
        return (value - EPOCH) // _US
    return round(value * 1_000_000)


def stored(micros: int) -> dt.datetime:
    """The store's value (naive UTC) for unix microseconds."""
    return _NAIVE_EPOCH + dt.timedelta(microseconds=micros)


def stored_micros(value: dt.datetime) -> int:
    """Unix microseconds of a value read from the store (naive UTC)."""
    return (value - _NAIVE_EPOCH) // _US


def unix_seconds(value: dt.datetime) -> int | float:
    """Whole unix seconds of a stored value, or a fraction when it has one."""
    micros = stored_micros(value)
    return micros // 1_000_000 if micros % 1_000_000 == 0 else micros / 1_000_000
