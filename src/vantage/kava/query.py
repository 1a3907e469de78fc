"""A KAVA report request, read from Kaltura's input filter, as the compiler needs it.

Time follows kaltura-report-service §9.3 and §10: ``fromDate``/``toDate`` (unix seconds) or,
when both are set, ``fromDay``/``toDay`` (YYYYMMDD, local days of ``timeZoneOffset``). The
offset is in minutes with JavaScript's sign (300 = UTC−5) and is normalised as Kaltura does.
``toDate`` includes its own second (dashboards send 23:59:59 for "the whole day"); Kaltura's
Druid interval ends just before it. A range reaching outside ``EARLIEST`` .. ``LATEST`` is cut
to it: no stored time lies outside, and every time inside is one the store and Python's dates
can hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vantage.kava import filters
from vantage.kava.catalog import KavaReport

SUPPORTED_OFFSETS = frozenset(
    {
        *(-840, -780, -765, -720, -690, -660, -630, -600, -570, -540, -525, -480, -420),
        *(-390, -360, -345, -330, -300, -270, -240, -210, -180, -120, -60, 0, 60, 120),
        *(180, 210, 240, 270, 300, 360, 420, 480, 540, 570, 600, 660, 720),
    }
)
INTERVALS = ("days", "hours", "minutes", "months", "ten_minutes", "ten_seconds", "years")
INTERVAL_ALIASES = {"tenSeconds": "ten_seconds"}  # the seed guide's spelling
MAX_RESULT_SIZE = 12_000
EARLIEST = 0  # 1970-01-01
LATEST = 2**32  # 2106-02-07: unsigned 32-bit unix time


class QueryError(ValueError):
    """A request Kaltura answers with INTERNAL_SERVERL_ERROR (its plain exceptions)."""


def fix_offset(minutes: int) -> int:
    if minutes in SUPPORTED_OFFSETS:
        return minutes
    clamped = max(-840, min(720, minutes))
    hours = int(abs(clamped) / 60 + 0.5)  # PHP's round(): halves away from zero
    return hours * 60 if clamped >= 0 else -hours * 60


@dataclass(frozen=True)
class KavaQuery:
    report: KavaReport
    partner_ids: frozenset[int]
    start: int  # unix seconds, inclusive
    end: int  # unix seconds, exclusive
    interval: str
    offset: int  # minutes, Kaltura's sign
    conditions: filters.Conditions
    object_ids: tuple[str, ...]
    playback_types: tuple[str, ...]
    delimiter: str
    skip_empty_dates: bool
    friendly: bool

    @property
    def empty_range(self) -> bool:
        return self.end <= self.start


def build(
    report: KavaReport,
    partner_ids: frozenset[int],
    filter_values: Mapping[str, Any],
    object_ids: str | None,
    options: Mapping[str, Any],
) -> KavaQuery:
    delimiter = options.get("delimiter") or ","
    offset = fix_offset(int(filter_values.get("timeZoneOffset") or 0))
    start, end = (max(EARLIEST, min(LATEST, t)) for t in _range(filter_values, offset))
    playback = filters.split(filter_values.get("playbackTypeIn") or "", delimiter)
    return KavaQuery(
        report=report,
        partner_ids=partner_ids,
        start=start,
        end=end,
        interval=_interval(filter_values.get("interval") or "days"),
        offset=offset,
        conditions=filters.conditions(filter_values, delimiter, partner_ids),
        object_ids=tuple(filters.split(object_ids or "", delimiter)),
        playback_types=_playback(playback, report),
        delimiter=delimiter,
        skip_empty_dates=bool(options.get("skipEmptyDates", True)),
        friendly=bool(options.get("useFriendlyHeadersNames", False)),
    )


def _interval(name: str) -> str:
    return INTERVAL_ALIASES.get(name, name)


def _playback(asked: list[str], report: KavaReport) -> tuple[str, ...]:
    if asked:
        return tuple(asked)
    return ("vod",) if report.playback_types is None else report.playback_types


def _range(values: Mapping[str, Any], offset: int) -> tuple[int, int]:
    from_day, to_day = values.get("fromDay"), values.get("toDay")
    if from_day and to_day:
        first, last = _day(from_day, offset), _day(to_day, offset)
        if first is None or last is None:
            return 0, 0
        return first, last + 86_400
    start = int(values.get("fromDate") or 0)
    end = int(values.get("toDate") or 0) + 1
    return start, end


def _day(text: str, offset: int) -> int | None:
    try:
        day = dt.datetime.strptime(str(text), "%Y%m%d").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return int(day.timestamp()) + offset * 60


def page(size: int | None, index: int | None) -> tuple[int, int]:
    """Kaltura's paging of report tables: (page size, page index)."""
    size = size if size and size > 0 else 10
    index = index if index and index > 0 else 1
    if size * index > MAX_RESULT_SIZE:
        if index != 1:
            raise QueryError(f"result limit is {MAX_RESULT_SIZE} rows")
        size = MAX_RESULT_SIZE
    return size, index
