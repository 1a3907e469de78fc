"""Dates as people write them → unix seconds, in a named time zone.

Accepted: ``2024-08-01``, ``2024-08-01 13:30``, ``2024-08-01T13:30:00+02:00``, unix seconds,
``now``, ``today``, ``yesterday``, ``N days ago`` (also hours, weeks, months of 30 days) and,
for a whole range, ``last N days`` (also hours, weeks, months). A plain date as the end of a
range means the end of that day, so ``--from 2024-08-01 --to 2024-08-31`` is all of August.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UNITS = {"minute": 60, "hour": 3600, "day": 86_400, "week": 7 * 86_400, "month": 30 * 86_400}
_AGO = re.compile(r"^(\d+)\s+(minute|hour|day|week|month)s?\s+ago$")
_LAST = re.compile(r"^(?:last|past)\s+(\d+)\s+(minute|hour|day|week|month)s?$")


class DateError(ValueError):
    pass


def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"unknown time zone {name!r}; use a name like Europe/Berlin") from None


def last(text: str, now: dt.datetime) -> tuple[int, int] | None:
    """``last 30 days`` → (now − 30 days, now); None when ``text`` is not such a phrase."""
    match = _LAST.match(text.strip().lower())
    if not match:
        return None
    end = int(now.timestamp())
    return end - int(match.group(1)) * _UNITS[match.group(2)], end


def moment(text: str, tz: dt.tzinfo, now: dt.datetime, *, end_of_day: bool = False) -> int:
    """One point in time as unix seconds; a plain date is its start (or, with ``end_of_day``,
    the start of the next day, for an exclusive end)."""
    value = text.strip().lower()
    local_now = now.astimezone(tz)
    if re.fullmatch(r"\d{9,11}", value):
        return int(value)
    if value == "now":
        return int(now.timestamp())
    if value in ("today", "yesterday"):
        day = local_now.date() - dt.timedelta(days=value == "yesterday")
        return _day_start(day, tz, end_of_day)
    ago = _AGO.match(value)
    if ago:
        return int(now.timestamp()) - int(ago.group(1)) * _UNITS[ago.group(2)]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return _day_start(dt.date.fromisoformat(value), tz, end_of_day)
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise DateError(
            f"cannot read the date {text!r}: use 2024-08-01, 2024-08-01 13:30, today, "
            "'3 days ago' or unix seconds"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return int(parsed.timestamp())


def _day_start(day: dt.date, tz: dt.tzinfo, next_day: bool) -> int:
    if next_day:
        day += dt.timedelta(days=1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
