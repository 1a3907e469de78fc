"""The ``params`` string of ``report.getCsvFromStringParams`` → the query of a room report.

Kaltura's rules: pieces split on ``;``, each on its first ``=``; keys are case-sensitive; a
caller's ``partner_id`` is ignored (the KS decides). The names the seed guides and Kaltura's
samples use are all accepted (``from_date``/``fromDate``, ``entry_ids``/``entries_ids`` …).
Dates: ``from_date``/``to_date`` in unix seconds (or ``YYYY-MM-DD``, UTC midnight), or
``from_date_id``/``to_date_id`` as ``YYYYMMDD`` days in ``timezone_offset``; when they mean is
vantage.analytics.period's rule, the same as every report's (``to_date``'s second and
``to_date_id``'s day are included; the offset is normalised as Kaltura does).

Every value is checked here, before the report runs and before the first byte is sent: times
must be finite numbers, days real days, the offset whole minutes, and an id list holds at most
``MAX_IDS`` ids.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from vantage.analytics.period import Period, between, days
from vantage.analytics.query import ReportQuery
from vantage.analytics.room_reports import Filter, RoomReport

MAX_IDS = 10_000
_ID = re.compile("-?[0-9]{1,18}")  # a number id, within BIGINT

ALIASES: dict[str, str] = {
    **dict.fromkeys(("from_date", "fromDate"), "from_date"),
    **dict.fromkeys(("to_date", "toDate"), "to_date"),
    **dict.fromkeys(("from_date_id", "fromDay", "from_day"), "from_day"),
    **dict.fromkeys(("to_date_id", "toDay", "to_day"), "to_day"),
    **dict.fromkeys(("timezone_offset", "timeZoneOffset"), "timezone_offset"),
    **dict.fromkeys(("entry_ids", "entryIds", "entries_ids", "entryIdIn"), Filter.ENTRY_IDS.value),
    **dict.fromkeys(
        ("parentEntryIds", "parent_entry_ids", "parentEntryIdIn"), Filter.PARENT_ENTRY_IDS.value
    ),
    **dict.fromkeys(("user_ids", "userIds", "user_id", "userIdIn"), Filter.USER_IDS.value),
    **dict.fromkeys(
        ("cue_point_ids", "cuePointIds", "cuePointIdIn", "session_ids"), Filter.SESSION_IDS.value
    ),
    **dict.fromkeys(
        ("virtual_event_ids", "virtualEventIds", "virtualEventIdIn", "virtualeventid"),
        Filter.VIRTUAL_EVENT_IDS.value,
    ),
    **dict.fromkeys(
        ("cat_ids", "catIds", "category_ids", "categoriesIdsIn"), Filter.CATEGORY_IDS.value
    ),
}


class ParamError(ValueError):
    """A parameter that is missing or cannot be read; ``name`` is as the caller wrote it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def split_params(text: str) -> list[tuple[str, str | None]]:
    """``a=1;b=2=3;c`` → [('a', '1'), ('b', '2=3'), ('c', None)], as Kaltura splits it."""
    pairs: list[tuple[str, str | None]] = []
    for piece in text.split(";"):
        piece = piece.strip()
        key, sep, value = piece.partition("=")
        pairs.append((key.strip(), value.strip() if sep else None))
    return [(k, v) for k, v in pairs if k]


def build_query(
    report: RoomReport, pairs: list[tuple[str, str | None]], partner_ids: frozenset[int]
) -> ReportQuery:
    given: dict[str, tuple[str, str]] = {}  # canonical name → (name as written, value)
    for key, value in pairs:
        canonical = ALIASES.get(key)
        if canonical is not None and value not in (None, ""):
            given.setdefault(canonical, (key, value or ""))
    for name in report.required_params:
        if ALIASES.get(name, name) not in given:
            raise ParamError(name, f"missing parameter {name}")
    period = _period(given)
    filters: dict[Filter, tuple[str, ...]] = {}
    for f in Filter:
        if f.value in given:
            key, value = given[f.value]
            if f not in report.filters:
                raise ParamError(key, f"report {report.id} cannot be filtered by {key}")
            ids = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
            if len(ids) > MAX_IDS:
                raise ParamError(key, f"{key} may list at most {MAX_IDS} ids")
            if f is Filter.CATEGORY_IDS and not all(_ID.fullmatch(i) for i in ids):
                raise ParamError(key, f"{key} must list category ids (whole numbers)")
            if ids:
                filters[f] = ids
    return ReportQuery(report, partner_ids, period, filters=filters)


def _period(given: dict[str, tuple[str, str]]) -> Period:
    if "from_date" in given or "to_date" in given:
        return between(_time(given, "from_date"), _time(given, "to_date"))
    if "from_day" in given or "to_day" in given:
        first, last = _day(given, "from_day"), _day(given, "to_day")
        period = days(first, last, _offset(given))
        assert period is not None  # both were read as days
        return period
    raise ParamError("from_date", "missing parameter from_date (or from_date_id)")


def _time(given: dict[str, tuple[str, str]], name: str) -> int:
    """Whole unix seconds (a fraction is dropped, as PHP's int cast drops it)."""
    if name not in given:
        raise ParamError(name, f"missing parameter {name}")
    key, value = given[name]
    try:
        seconds = float(value)
    except ValueError:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            message = f"{key} must be unix seconds or YYYY-MM-DD, not {value!r}"
            raise ParamError(key, message) from None
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    if not math.isfinite(seconds):
        raise ParamError(key, f"{key} must be a finite number of unix seconds, not {value!r}")
    return math.floor(seconds)


def _day(given: dict[str, tuple[str, str]], name: str) -> str:
    if name not in given:
        raise ParamError(name, f"missing parameter {name}")
    key, value = given[name]
    if days(value, value) is None:
        raise ParamError(key, f"{key} must be a day as YYYYMMDD, not {value!r}")
    return value


def _offset(given: dict[str, tuple[str, str]]) -> int:
    if "timezone_offset" not in given:
        return 0
    key, value = given["timezone_offset"]
    try:
        return int(value)
    except ValueError:
        raise ParamError(key, f"{key} must be whole minutes, not {value!r}") from None
