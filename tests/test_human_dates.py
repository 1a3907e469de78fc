from __future__ import annotations

import datetime as dt

import pytest

from vantage import human_dates as hd

NOW = dt.datetime(2024, 9, 10, 15, 30, tzinfo=dt.UTC)
BERLIN = hd.zone("Europe/Berlin")  # UTC+2 in summer


def test_plain_dates_are_local_midnights() -> None:
    assert hd.moment("2024-08-01", BERLIN, NOW) == int(
        dt.datetime(2024, 7, 31, 22, tzinfo=dt.UTC).timestamp()
    )
    # as an end, the whole day is included
    assert hd.moment("2024-08-31", BERLIN, NOW, end_of_day=True) == int(
        dt.datetime(2024, 8, 31, 22, tzinfo=dt.UTC).timestamp()
    )


def test_times_offsets_and_unix_seconds() -> None:
    assert hd.moment("2024-08-01 13:30", BERLIN, NOW) == int(
        dt.datetime(2024, 8, 1, 11, 30, tzinfo=dt.UTC).timestamp()
    )
    assert hd.moment("2024-08-01T13:30:00+00:00", BERLIN, NOW) == 1722519000
    assert hd.moment("1722470400", BERLIN, NOW) == 1722470400


def test_relative_words() -> None:
    now = int(NOW.timestamp())
    assert hd.moment("now", BERLIN, NOW) == now
    assert hd.moment("3 days ago", BERLIN, NOW) == now - 3 * 86_400
    assert hd.moment("today", BERLIN, NOW) == int(
        dt.datetime(2024, 9, 9, 22, tzinfo=dt.UTC).timestamp()
    )
    assert hd.moment("yesterday", BERLIN, NOW) == int(
        dt.datetime(2024, 9, 8, 22, tzinfo=dt.UTC).timestamp()
    )
    assert hd.last("last 30 days", NOW) == (now - 30 * 86_400, now)
    assert hd.last("past 2 weeks", NOW) == (now - 14 * 86_400, now)
    assert hd.last("2024-08-01", NOW) is None


@pytest.mark.parametrize("text", ["soon", "2024-13-01", "31/08/2024"])
def test_unreadable_dates_say_what_works(text: str) -> None:
    with pytest.raises(hd.DateError, match="2024-08-01"):
        hd.moment(text, BERLIN, NOW)


def test_unknown_zone() -> None:
    with pytest.raises(hd.DateError, match="Europe/Berlin"):
        hd.zone("Mars/Olympus")
