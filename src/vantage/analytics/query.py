"""The one query model: which report, for whom, when, and narrowed how.

A query is built from the API's parameters: ``build`` reads Kaltura's report input filter for a
report type; vantage.kaltura.string_params reads a room report's ``params`` string into the same
model. When it looks is vantage.analytics.period's one rule for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vantage.analytics import filters
from vantage.analytics.activity_reports import ActivityReport
from vantage.analytics.period import Period, between, days, fix_offset
from vantage.analytics.report_types import ReportType
from vantage.analytics.room_reports import Filter, RoomReport

INTERVALS = ("days", "hours", "minutes", "months", "ten_minutes", "ten_seconds", "years")
INTERVAL_ALIASES = {"tenSeconds": "ten_seconds"}  # the seed guide's spelling


class QueryError(ValueError):
    """A question the report cannot answer (no total, no graphs, beyond the result limit)."""


@dataclass(frozen=True)
class ReportQuery:
    report: ReportType | RoomReport | ActivityReport
    partner_ids: frozenset[int]
    period: Period
    interval: str = "days"
    conditions: filters.Conditions = filters.NONE  # a report type's input filter
    filters: Mapping[Filter, tuple[str, ...]] = field(default_factory=dict)  # a room report's
    object_ids: tuple[str, ...] = ()
    playback_types: tuple[str, ...] = ("vod",)
    skip_empty_dates: bool = True
    friendly: bool = False

    @property
    def start(self) -> int:
        return self.period.start

    @property
    def end(self) -> int:
        return self.period.end

    @property
    def offset(self) -> int:
        return self.period.offset

    @property
    def empty_range(self) -> bool:
        return self.period.empty

    @property
    def report_type(self) -> ReportType:
        """The report, for the compilers of report types (never given a room report)."""
        assert isinstance(self.report, ReportType)
        return self.report


def build(
    report: ReportType,
    partner_ids: frozenset[int],
    filter_values: Mapping[str, Any],
    object_ids: str | None,
    options: Mapping[str, Any],
) -> ReportQuery:
    """A report type's query from Kaltura's input filter (API field name → value), its
    objectIds and its response options. ``fromDay``/``toDay`` win when both are set; an
    unreadable day gives an empty range, as in Kaltura."""
    delimiter = options.get("delimiter") or ","
    offset = fix_offset(int(filter_values.get("timeZoneOffset") or 0))
    from_day, to_day = filter_values.get("fromDay"), filter_values.get("toDay")
    if from_day and to_day:
        period = days(str(from_day), str(to_day), offset) or Period(0, 0, offset)
    else:
        start, last = int(filter_values.get("fromDate") or 0), int(filter_values.get("toDate") or 0)
        period = between(start, last, offset)
    playback = filters.split(filter_values.get("playbackTypeIn") or "", delimiter)
    interval = str(filter_values.get("interval") or "days")
    return ReportQuery(
        report=report,
        partner_ids=partner_ids,
        period=period,
        interval=INTERVAL_ALIASES.get(interval, interval),
        conditions=filters.conditions(filter_values, delimiter, partner_ids, report.recordings),
        object_ids=tuple(filters.split(object_ids or "", delimiter)),
        playback_types=_playback(playback, report),
        skip_empty_dates=bool(options.get("skipEmptyDates", True)),
        friendly=bool(options.get("useFriendlyHeadersNames", False)),
    )


def _playback(asked: list[str], report: ReportType) -> tuple[str, ...]:
    if asked:
        return tuple(asked)
    return ("vod",) if report.playback_types is None else report.playback_types
