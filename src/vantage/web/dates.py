"""What range a page asks about, in the viewer's named time zone.

The presets are the seeds': the last 7, 30, 120 or 365 days, today included, each day whole in
the viewer's zone; ``custom`` takes ``from`` and ``to`` (YYYY-MM-DD, both included). A session
picked on a room page replaces the range with the session's start to its end.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

PRESETS = ("7", "30", "120", "365")
DEFAULT_PRESET = "30"
CUSTOM = "custom"
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
"""Custom dates outside these are refused (a typo, not a question)."""


class BadInput(ValueError):
    """A parameter a page cannot read; the page answers 400 with this message."""


@cache
def zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone(name: str) -> zoneinfo.ZoneInfo:
    if name not in zones():
        raise BadInput(f"unknown time zone {name[:60]!r}: name one such as Europe/Paris")
    return zoneinfo.ZoneInfo(name)


@dataclass(frozen=True)
class Range:
    preset: str
    first: dt.date
    last: dt.date
    start: int  # unix seconds of the first day's local midnight
    end: int  # unix seconds of the last moment of the last day, included

    def as_params(self) -> dict[str, str]:
        if self.preset == CUSTOM:
            return {"preset": CUSTOM, "from": self.first.isoformat(), "to": self.last.isoformat()}
        return {"preset": self.preset}


def pick(params: Mapping[str, str], tz: zoneinfo.ZoneInfo, now: dt.datetime) -> Range:
    preset = params.get("preset") or DEFAULT_PRESET
    if preset in PRESETS:
        last = now.astimezone(tz).date()
        first = last - dt.timedelta(days=int(preset) - 1)
    elif preset == CUSTOM:
        first, last = _day(params, "from"), _day(params, "to")
        if first > last:
            raise BadInput("the range's 'from' date is after its 'to' date")
    else:
        raise BadInput(f"unknown preset {preset[:20]!r}: one of {', '.join(PRESETS)} or custom")
    start = _midnight(first, tz)
    end = _midnight(last + dt.timedelta(days=1), tz) - 1
    return Range(preset, first, last, start, end)


def _day(params: Mapping[str, str], name: str) -> dt.date:
    text = params.get(name, "")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"'{name}' must be a date as YYYY-MM-DD, not {text[:20]!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise BadInput(f"'{name}' must be between {EARLIEST} and {LATEST}")
    return day


def _midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> int:
    return int(dt.datetime.combine(day, dt.time(), tz).timestamp())
