from __future__ import annotations

import datetime as dt

import pytest

from vantage.timeconv import stored, stored_micros, to_micros, unix_seconds


def test_to_micros_is_exact_for_datetimes_and_seconds() -> None:
    moment = dt.datetime(2024, 8, 1, 12, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert to_micros(moment) == 1722506400_123456
    assert to_micros(1722506400.25) == 1722506400_250000
    with pytest.raises(ValueError, match="UTC offset"):
        to_micros(moment.replace(tzinfo=None))


def test_store_values_round_trip() -> None:
    assert stored(1722506400_123456) == dt.datetime(2024, 8, 1, 10, 0, 0, 123456)
    assert stored_micros(stored(-5)) == -5
    assert unix_seconds(stored(1_000_000)) == 1 and isinstance(unix_seconds(stored(1_000_000)), int)
    assert unix_seconds(stored(1_500_000)) == 1.5
