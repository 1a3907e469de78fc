"""The one rule for when a report looks, for every report (kaltura-report-service §9.3, §10).

A report covers ``[start, end)`` in whole unix seconds. It is asked either by times, where the
second of ``to`` is included (dashboards send 23:59:59 for "the whole day"; Kaltura's Druid
interval ends just before the next second), or by local days ``YYYYMMDD`` in a time zone, the
last day included whole. A time zone is an offset in minutes with JavaScript's sign (300 is
UTC−5), normalised as Kaltura normalises it: an offset it does not support becomes the nearest
whole hour within −14 h … +12 h. A range reaching outside ``EARLIEST`` … ``LATEST`` is cut to
it: no stored time lies outside, and every time inside is one both engines and Python hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vantage.sql.expr import Time

SUPPORTED_OFFSETS = frozenset(
    {
        *(-840, -780, -765, -720, -690, -660, -630, -600, -570, -540, -525, -480, -420),
        *(-390, -360, -345, -330, -300, -270, -240, -210, -180, -120, -60, 0, 60, 120),
        *(180, 210, 240, 270, 300, 360, 420, 480, 540, 570, 600, 660, 720),
    }
)
EARLIEST = 0  # 1970-01-01
LATEST = 2**32  # 2106-02-07: unsigned 32-bit unix time
DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True)
class Period:
    start: int  # unix seconds, inclusive
    end: int  # unix seconds, exclusive
    offset: int = 0  # minutes, JavaScript's sign; one of SUPPORTED_OFFSETS

    @property
    def empty(self) -> bool:
        return self.end <= self.start

    @property
    def whole_hours(self) -> tuple[int, int] | None:
        """The first and the end of the whole hours inside the range (what hourly facts
        answer), or None when it holds none."""
        first, last = -(-self.start // HOUR) * HOUR, self.end // HOUR * HOUR
        return (first, last) if first < last else None


def time_at(seconds: int) -> Time:
    """A unix second as a plan's time."""
    return Time(seconds * 1_000_000)


def fix_offset(minutes: int) -> int:
    if minutes in SUPPORTED_OFFSETS:
        return minutes
    clamped = max(-840, min(720, minutes))
    hours = int(abs(clamped) / 60 + 0.5)  # PHP's round(): halves away from zero
    return hours * 60 if clamped >= 0 else -hours * 60


def between(start: int, last: int, offset: int = 0) -> Period:
    """From ``start`` to ``last``, both unix seconds, the second of ``last`` included."""
    return _cut(start, last + 1, fix_offset(offset))


def day_start(text: str, offset: int) -> int | None:
    """The first second of a local day ``YYYYMMDD`` in ``offset`` (already fixed); None when
    the text is not such a day."""
    try:
        day = dt.datetime.strptime(str(text), "%Y%m%d").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return int(day.timestamp()) + offset * 60


def days(first: str, last: str, offset: int = 0) -> Period | None:
    """The local days ``first`` … ``last`` (``YYYYMMDD``) whole; None when either is not a day."""
    fixed = fix_offset(offset)
    start, end = day_start(first, fixed), day_start(last, fixed)
    if start is None or end is None:
        return None
    return _cut(start, end + DAY, fixed)


def _cut(start: int, end: int, offset: int) -> Period:
    return Period(max(EARLIEST, min(LATEST, start)), max(EARLIEST, min(LATEST, end)), offset)
