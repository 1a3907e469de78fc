"""Time in the demo: microsecond units, the 120-day window before ``now``, weekly slots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

US = 1_000_000  # all times are unix microseconds
MS = US // 1000
MINUTE = 60 * US
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WINDOW_DAYS = 120
LAST_END_MARGIN = 30 * MINUTE  # the newest session ends at least this long before ``now``
READING_WEEK = 8  # no classes that week

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def at_us(us: int) -> dt.datetime:
    """Unix microseconds as an aware datetime (exact, unlike float seconds)."""
    return _EPOCH + dt.timedelta(microseconds=int(us))


@dataclass(frozen=True)
class Clock:
    """``now`` and the times derived from it that the whole school is planned around."""

    now_us: int
    window_start_us: int
    term_start: dt.date
    last_end_us: int

    @classmethod
    def at(cls, now: dt.datetime) -> Clock:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be a timezone-aware datetime")
        now = now.astimezone(dt.UTC)
        now_us = (now - _EPOCH) // dt.timedelta(microseconds=1)
        window_start = now_us - WINDOW_DAYS * DAY
        # the first class is at least three days into the window: time to set things up
        term_start = (now - dt.timedelta(days=WINDOW_DAYS - 4)).date()
        return cls(now_us, window_start, term_start, now_us - LAST_END_MARGIN)


def weekly(
    first_day: dt.date,
    weekday: int,
    hour: int,
    until_us: int,
    duration_us: int,
    every: int = 1,
) -> list[tuple[int, int]]:
    """(week number, start in unix µs) of a weekly slot from ``first_day`` on, ending by
    ``until_us``; the reading week has no classes."""
    day = first_day + dt.timedelta(days=(weekday - first_day.weekday()) % 7)
    out: list[tuple[int, int]] = []
    week = 0
    while True:
        start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
        start_us = int(start.timestamp()) * US
        if start_us + duration_us > until_us:
            return out
        if week != READING_WEEK and week % every == 0:
            out.append((week, start_us))
        week += 1
        day += dt.timedelta(days=7)
