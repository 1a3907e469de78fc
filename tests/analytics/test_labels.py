"""Date labels of zero-filled series, per interval and time zone (kaltura-report-service §10.3)."""

from __future__ import annotations

import datetime as dt

from vantage.analytics import query as kq
from vantage.analytics.period import fix_offset
from vantage.analytics.report_types import REPORTS
from vantage.kaltura import report_values as shown


def labels(start: str, end: str, interval: str, offset: int = 0) -> list[str]:
    first = int(dt.datetime.fromisoformat(start).timestamp())
    last = int(dt.datetime.fromisoformat(end).timestamp())
    values = {"fromDate": first, "toDate": last - 1, "interval": interval, "timeZoneOffset": offset}
    return shown.labels(kq.build(REPORTS[34], frozenset({1}), values, None, {}))


def test_days_follow_the_time_zone() -> None:
    assert labels("2026-06-01T00:00+00:00", "2026-06-03T00:00+00:00", "days") == [
        "20260601",
        "20260602",
    ]
    # UTC−5: the two UTC days touch three local days
    assert labels("2026-06-01T00:00+00:00", "2026-06-03T00:00+00:00", "days", 300) == [
        "20260531",
        "20260601",
        "20260602",
    ]


def test_months_years_and_hours() -> None:
    assert labels("2026-01-31T00:00+00:00", "2026-03-02T00:00+00:00", "months") == [
        "202601",
        "202602",
        "202603",
    ]
    assert labels("2025-12-31T00:00+00:00", "2026-01-02T00:00+00:00", "years") == ["2025", "2026"]
    assert labels("2026-06-01T22:30+00:00", "2026-06-02T00:00+00:00", "hours", -330) == [
        "2026060204",
        "2026060205",
    ]


def test_minutes_are_iso_times_in_the_zone() -> None:
    assert labels("2026-06-01T10:00+00:00", "2026-06-01T10:02+00:00", "minutes", -180) == [
        "2026-06-01T13:00:00.000+03:00",
        "2026-06-01T13:01:00.000+03:00",
    ]
    assert labels("2026-06-01T10:00:05+00:00", "2026-06-01T10:00:25+00:00", "ten_seconds") == [
        "2026-06-01T10:00:00.000Z",
        "2026-06-01T10:00:10.000Z",
        "2026-06-01T10:00:20.000Z",
    ]


def test_unsupported_offsets_round_to_whole_hours_as_php_does() -> None:
    assert [fix_offset(m) for m in (-330, 150, 30, -150, -29, 1000, -900)] == [
        -330,  # supported as it is
        180,  # halves away from zero
        60,
        -180,
        0,
        720,  # clamped to [−840, 720]
        -840,
    ]
