"""The reports known by name (the Reports Microservice's ``reportName``, the dashboard's custom
report menu) and how a request's ``reportParameters`` become a query.

``prepare`` checks everything before a job is queued, so bad input is an answer, never a failed
job: an unknown name, a parameter the report does not take, a malformed date or id list, and a
report that needs a KS privilege ``virtualeventid:<id>`` asked without it. Preparing the same
request again gives the same query (no "now" in it), so a job restarted after a crash runs
exactly what was asked. docs/reports.md#report-names lists the names, parameters and columns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from vantage.analytics import run
from vantage.analytics.activity_reports import REPORTS as ACTIVITY_REPORTS
from vantage.analytics.activity_reports import ActivityReport
from vantage.analytics.period import EARLIEST, LATEST, Period, between, days
from vantage.analytics.query import ReportQuery
from vantage.analytics.room_reports import REPORTS as ROOM_REPORTS
from vantage.analytics.room_reports import Column, Filter, RoomReport
from vantage.analytics.titles import title_of
from vantage.store.engine import Engine

MAX_IDS = 10_000
MAX_ID_LENGTH = 128


class CatalogError(ValueError):
    """A request the catalog refuses: ``code`` is UNKNOWN_REPORT, MISSING_PARAMETER,
    INVALID_PARAMETER or FORBIDDEN, ``param`` the parameter at fault."""

    def __init__(self, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.param = param


Report = RoomReport | ActivityReport


@dataclass(frozen=True)
class Named:
    name: str
    title: str
    privileged: bool  # read only through a KS privilege virtualeventid:<id>
    reports: Mapping[str, Report]  # by taskType; "" for a report without task types


@dataclass(frozen=True)
class Prepared:
    named: Named
    query: ReportQuery


# Parameters as the seeds and Kaltura's samples spell them → what they are.
_FILTERS: dict[str, Filter] = {
    **dict.fromkeys(("entries_ids", "entry_ids", "entryIds"), Filter.ENTRY_IDS),
    **dict.fromkeys(("virtual_event_ids", "virtualEventIds"), Filter.VIRTUAL_EVENT_IDS),
    **dict.fromkeys(("user_ids", "userIds"), Filter.USER_IDS),
    **dict.fromkeys(("cue_point_ids", "cuePointIds", "session_ids"), Filter.SESSION_IDS),
    **dict.fromkeys(("parentEntryIds", "parent_entry_ids"), Filter.PARENT_ENTRY_IDS),
    **dict.fromkeys(("appGuid", "app_guid", "appGuids"), Filter.APP_GUIDS),
    **dict.fromkeys(("categories_ids", "categoryIds", "cat_ids"), Filter.CATEGORY_IDS),
}
_ROOM_FILTERS = frozenset({Filter.ENTRY_IDS, Filter.PARENT_ENTRY_IDS})
_DAYS = ("from_date_id", "to_date_id")  # YYYY-MM-DD, local days in timezone_offset
_TIMES = ("fromDate", "toDate", "from_date", "to_date")  # unix seconds or YYYY-MM-DD (UTC)
_OTHER = ("timezone_offset", "taskType", "params")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CATEGORY = re.compile(r"[0-9]{1,18}")  # a stored category id (BIGINT)

# reportsEnrichment: a room report with the people's profile beside each row, per taskType.
_PROFILE = tuple(
    Column(h, ref)
    for h, ref in (
        ("title", "title"),
        ("industry", "industry"),
        ("country", "country"),
        ("role", "user_role"),
    )
)


def _enriched(report_id: int, task: str) -> RoomReport:
    base = ROOM_REPORTS[report_id]
    return replace(base, name=f"reportsEnrichment/{task}", columns=base.columns + _PROFILE)


def _one(name: str, title: str, report: Report, privileged: bool = False) -> Named:
    return Named(name, title, privileged, {"": report})


NAMES: dict[str, Named] = {
    n.name: n
    for n in (
        *(_one(r.name, r.title, r, r.privileged) for r in ACTIVITY_REPORTS.values()),
        _one("roomData", "Room Data", ROOM_REPORTS[6000]),
        _one("attendeesData", "Attendees Data", ROOM_REPORTS[6001]),
        _one("breakoutRoomSessions", "Breakout Room Sessions", ROOM_REPORTS[6002]),
        Named(
            "reportsEnrichment",
            "Enriched Viewership",
            False,
            {
                "viewership": _enriched(3007, "viewership"),
                "attendance": _enriched(3009, "attendance"),
            },
        ),
    )
}
# Kaltura's numbers for the room reports are names too.
NAMES.update(
    {
        str(n): NAMES[name]
        for n, name in ((6000, "roomData"), (6001, "attendeesData"), (6002, "breakoutRoomSessions"))
    }
)


def prepare(
    name: object,
    parameters: object,
    partner_ids: frozenset[int],
    granted_virtual_events: frozenset[str],
) -> Prepared:
    """The query of a named report, or CatalogError. A KS's ``virtualeventid`` privilege
    (``granted_virtual_events``) limits every report to those events."""
    named = NAMES.get(name) if isinstance(name, str) else None
    if named is None:
        known = ", ".join(sorted(n for n in NAMES if not n.isdigit()))
        raise CatalogError("UNKNOWN_REPORT", f"no report is named {name!r}; known: {known}")
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, dict):
        raise CatalogError(
            "INVALID_PARAMETER", "reportParameters must be a JSON object", "reportParameters"
        )
    report = _report_of(named, parameters)
    filters: dict[Filter, tuple[str, ...]] = {}
    for key, value in parameters.items():
        f = _FILTERS.get(key)
        if f is None:
            if key not in (*_DAYS, *_TIMES, *_OTHER):
                raise CatalogError(
                    "INVALID_PARAMETER", f"{named.name} takes no parameter {key!r}", key
                )
            continue
        if not _takes(report, f):
            raise CatalogError(
                "INVALID_PARAMETER", f"{named.name} cannot be filtered by {key}", key
            )
        ids = _ids(key, value)
        if f is Filter.CATEGORY_IDS and not all(_CATEGORY.fullmatch(i) for i in ids):
            raise CatalogError(
                "INVALID_PARAMETER", f"{key} must list category ids (whole numbers)", key
            )
        if ids:
            filters[f] = tuple(dict.fromkeys((*filters.get(f, ()), *ids)))
    _limit_to_granted(named, filters, granted_virtual_events)
    if named.name == "registration" and not (
        filters.get(Filter.APP_GUIDS) or filters.get(Filter.VIRTUAL_EVENT_IDS)
    ):
        raise CatalogError(
            "MISSING_PARAMETER", "registration needs appGuid or virtual_event_ids", "appGuid"
        )
    query = ReportQuery(report, partner_ids, _period(parameters), filters=filters)
    return Prepared(named, query)


def rows(engine: Engine, prepared: Prepared, descriptive: bool = False) -> run.Rows:
    """The report's rows; with ``descriptive``, people's names as headers."""
    q = prepared.query
    got = (
        run.activity_rows(engine, q)
        if isinstance(q.report, ActivityReport)
        else run.room_rows(engine, q)
    )
    if not descriptive:
        return got
    report = q.report
    titles = (
        report.titles if isinstance(report, ActivityReport) else [title_of(h) for h in got.headers]
    )
    return run.Rows(titles, got.batches)


def _takes(report: Report, f: Filter) -> bool:
    """Whether the report takes the filter: one that narrows by rooms narrows by the rooms of
    categories too (a breakout is in its main room's), as the compilers read every filter."""
    if f is Filter.CATEGORY_IDS:
        return bool(report.filters & _ROOM_FILTERS) or f in report.filters
    return f in report.filters


def _report_of(named: Named, parameters: dict[str, Any]) -> Report:
    if "" in named.reports:
        if "taskType" in parameters:
            raise CatalogError("INVALID_PARAMETER", f"{named.name} takes no taskType", "taskType")
        return named.reports[""]
    task = parameters.get("taskType")
    if task is None:
        raise CatalogError(
            "MISSING_PARAMETER",
            f"{named.name} needs taskType: {', '.join(named.reports)}",
            "taskType",
        )
    report = named.reports.get(task) if isinstance(task, str) else None
    if report is None:
        raise CatalogError(
            "INVALID_PARAMETER",
            f"taskType must be one of {', '.join(named.reports)}, not {task!r}",
            "taskType",
        )
    return report


def _limit_to_granted(
    named: Named, filters: dict[Filter, tuple[str, ...]], granted: frozenset[str]
) -> None:
    asked = filters.get(Filter.VIRTUAL_EVENT_IDS)
    if not granted:
        if named.privileged:
            raise CatalogError(
                "FORBIDDEN",
                f"{named.name} needs a KS with the privilege virtualeventid:<virtual event id>",
            )
        return
    if asked is None:
        filters[Filter.VIRTUAL_EVENT_IDS] = tuple(sorted(granted))
    elif not set(asked) <= granted:
        outside = ", ".join(sorted(set(asked) - granted))
        raise CatalogError(
            "FORBIDDEN", f"the KS may not read virtual event(s) {outside}", "virtual_event_ids"
        )


def _ids(key: str, value: object) -> tuple[str, ...]:
    """An id list: a JSON list of ids, or ids in one text separated by commas."""
    if isinstance(value, str):
        items: list[object] = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list):
        items = list(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    else:
        raise CatalogError("INVALID_PARAMETER", f"{key} must be a list of ids", key)
    if len(items) > MAX_IDS:
        raise CatalogError("INVALID_PARAMETER", f"{key} may list at most {MAX_IDS} ids", key)
    ids = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise CatalogError("INVALID_PARAMETER", f"{key} must list ids (texts or numbers)", key)
        text = str(item).strip()
        if not 1 <= len(text) <= MAX_ID_LENGTH:
            raise CatalogError(
                "INVALID_PARAMETER",
                f"an id of {key} must have 1 to {MAX_ID_LENGTH} characters",
                key,
            )
        ids.append(text)
    return tuple(ids)


def _period(parameters: dict[str, Any]) -> Period:
    """Local days (``from_date_id``/``to_date_id``), else times, else all time; a missing end
    is open."""
    offset = _offset(parameters)
    if any(k in parameters for k in _DAYS):
        first = _day(parameters, "from_date_id", "19700101")
        last = _day(parameters, "to_date_id", "21060206")
        period = days(first, last, offset)
        assert period is not None  # both were read as days
        return period
    inner = parameters.get("params")
    times = dict(inner) if isinstance(inner, dict) else {}
    if inner is not None and not isinstance(inner, dict):
        raise CatalogError("INVALID_PARAMETER", "params must be a JSON object", "params")
    for key in _TIMES:
        if key in parameters:
            times.setdefault(key.replace("Date", "_date").lower(), parameters[key])
    unknown = set(times) - {"from_date", "to_date"}
    if unknown:
        key = sorted(unknown)[0]
        raise CatalogError(
            "INVALID_PARAMETER", f"params takes from_date and to_date, not {key!r}", key
        )
    return between(_time(times, "from_date", EARLIEST), _time(times, "to_date", LATEST - 1), offset)


def _day(parameters: dict[str, Any], key: str, default: str) -> str:
    if key not in parameters:
        return default
    value = parameters[key]
    if isinstance(value, str) and _DAY.match(value):
        compact = value.replace("-", "")
        if days(compact, compact) is not None:
            return compact
    raise CatalogError(
        "INVALID_PARAMETER", f"{key} must be a day as YYYY-MM-DD, not {value!r}", key
    )


def _time(times: dict[str, Any], key: str, default: int) -> int:
    if key not in times:
        return default
    value = times[key]
    if isinstance(value, str) and _DAY.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return max(EARLIEST, min(LATEST - 1, math.floor(value)))
    raise CatalogError(
        "INVALID_PARAMETER",
        f"{key} must be unix seconds or a day as YYYY-MM-DD, not {value!r}",
        key,
    )


def _offset(parameters: dict[str, Any]) -> int:
    value = parameters.get("timezone_offset", 0)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,5}", value.strip()):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 100_000:
        return value
    raise CatalogError(
        "INVALID_PARAMETER",
        f"timezone_offset must be whole minutes (JavaScript's sign), not {value!r}",
        "timezone_offset",
    )
