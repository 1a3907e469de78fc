"""The range a page asks about: presets as whole days in the viewer's zone, custom days."""

from __future__ import annotations

import datetime as dt

import pytest

from vantage.web import dates

NOW = dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC)  # the day Paris moves to summer time


def _utc(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


def test_last_seven_days_end_today_in_the_zone() -> None:
    paris = dates.zone("Europe/Paris")
    r = dates.pick({"preset": "7"}, paris, NOW)
    assert (r.first, r.last) == (dt.date(2026, 3, 23), dt.date(2026, 3, 29))
    assert r.start == _utc("2026-03-22T23:00:00+00:00")  # midnight in Paris, winter time
    assert r.end == _utc("2026-03-29T21:59:59+00:00")  # the last second, summer time
    assert r.as_params() == {"preset": "7"}


def test_today_depends_on_the_zone() -> None:
    late = dt.datetime(2026, 8, 3, 23, 30, tzinfo=dt.UTC)
    assert dates.pick({"preset": "30"}, dates.zone("UTC"), late).last == dt.date(2026, 8, 3)
    assert dates.pick({"preset": "30"}, dates.zone("Asia/Tokyo"), late).last == dt.date(2026, 8, 4)
    assert dates.pick({}, dates.zone("UTC"), late).preset == "30"  # the default


def test_a_custom_range_takes_both_days() -> None:
    r = dates.pick(
        {"preset": "custom", "from": "2026-08-01", "to": "2026-08-03"}, dates.zone("UTC"), NOW
    )
    assert (r.start, r.end) == (
        _utc("2026-08-01T00:00:00+00:00"),
        _utc("2026-08-03T23:59:59+00:00"),
    )
    assert r.as_params() == {"preset": "custom", "from": "2026-08-01", "to": "2026-08-03"}


@pytest.mark.parametrize(
    "params",
    [
        {"preset": "custom", "from": "2026-08-01"},
        {"preset": "custom", "from": "2026-08-01", "to": "08/03/2026"},
        {"preset": "custom", "from": "2026-08-04", "to": "2026-08-03"},
        {"preset": "custom", "from": "0001-01-01", "to": "2026-08-03"},
        {"preset": "custom", "from": "2026-08-01", "to": "9999-12-31"},
        {"preset": "14"},
    ],
)
def test_what_cannot_be_read_is_refused(params: dict[str, str]) -> None:
    with pytest.raises(dates.BadInput):
        dates.pick(params, dates.zone("UTC"), NOW)


def test_zones_are_iana_names() -> None:
    assert dates.zone("America/Sao_Paulo").key == "America/Sao_Paulo"
    for bad in ("Mars/Olympus", "../etc/passwd", "", "+02:00"):
        with pytest.raises(dates.BadInput):
            dates.zone(bad)
